// Consumers that exclude others: an exclusive consumer refuses a second one on its queue, and
// on a single-active-consumer queue only one of several consumers receives until it goes.
#include <set>
#include <string>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;

POSTWIRE_SCENARIO_SUITE(ConsumerModes);

TEST_P(ConsumerModes, exclusive_consumer_refuses_a_second) {
  Client client = connect();
  if (!client.capabilities().exclusive_consumers) {
    GTEST_FAIL() << "capability query says exclusive consumers are not supported";
  }
  const std::string queue = queue_name("exclusive");
  declare_queue(client, queue);
  Consumer first = client.subscribe(queue, SubscribeOptions{.prefetch = {}, .exclusive = true});
  Client other = connect();
  try {
    Consumer second = other.subscribe(queue);
    ADD_FAILURE() << "a second consumer joined an exclusively consumed queue";
  } catch (const Exception& e) {
    EXPECT_TRUE(e.code() == ErrorCode::access_denied || e.code() == ErrorCode::resource_locked)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(queue), std::string::npos) << e.what();
  }
}

TEST_P(ConsumerModes, single_active_consumer_gets_everything_until_it_leaves) {
  Client client = connect();
  const std::string queue = queue_name("sac");
  QueueSpec spec;
  spec.name = queue;
  spec.single_active_consumer = true;
  client.declare_queue(spec);
  std::vector<Message> messages;
  for (int i = 0; i < 20; ++i) {
    Message message;
    message.body = std::to_string(i);
    messages.push_back(std::move(message));
  }
  testing::send_confirmed(client, queue, std::move(messages));

  Consumer active = client.subscribe(queue, SubscribeOptions{.prefetch = 5, .exclusive = false});
  Client other_client = connect();
  Consumer standby = other_client.subscribe(queue);
  std::set<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    auto delivery = active.poll(10s);
    ASSERT_TRUE(delivery.has_value()) << "the active consumer stopped receiving";
    seen.insert(delivery->message().body);
    delivery->ack();
  }
  testing::expect_no_delivery(standby, 1s, "the standby consumer while another is active");
  active.close();
  for (int i = 0; i < 10; ++i) {
    auto delivery = standby.poll(10s);
    ASSERT_TRUE(delivery.has_value()) << "the standby consumer did not take over";
    seen.insert(delivery->message().body);
    delivery->ack();
  }
  EXPECT_EQ(seen.size(), 20U);
}

}  // namespace
}  // namespace postwire
