// Consumers that exclude others: an exclusive consumer refuses a second one on its queue, and
// on a single-active-consumer queue only one of several consumers receives until it goes.
// And consumers whose messages arrive through the client's event queue.
#include <poll.h>

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

TEST_P(ConsumerModes, messages_arrive_as_client_events_when_asked) {
  Client producer_client = connect();
  const std::string queue = queue_name("as-events");
  const QueueSpec spec = declare_queue(producer_client, queue);
  constexpr int kCount = 50;
  std::vector<Message> messages;
  for (int i = 0; i < kCount; ++i) {
    Message message;
    message.body = "event-" + std::to_string(i);
    messages.push_back(std::move(message));
  }
  testing::send_confirmed(producer_client, queue, std::move(messages));

  Client client = connect();
  Consumer consumer = client.subscribe(
      queue, SubscribeOptions{.prefetch = 10, .exclusive = false, .deliver_as_events = true});
  try {
    (void)consumer.poll(0ms);
    ADD_FAILURE() << "Consumer::poll on a consumer that delivers as events";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
  }
  std::set<std::string> seen;
  std::vector<Event> events;
  while (seen.size() < static_cast<std::size_t>(kCount)) {
    // The client's wakeup fd reports the messages, as an event loop would wait for them.
    pollfd fd{.fd = client.wakeup_fd(), .events = POLLIN, .revents = 0};
    ASSERT_EQ(::poll(&fd, 1, 10000), 1) << "no message event within 10 s; got " << seen.size();
    events.clear();
    client.poll(events, 64, 0ms);
    for (auto& event : events) {
      if (auto* delivery = std::get_if<Delivery>(&event)) {
        EXPECT_EQ(delivery->source(), queue);
        EXPECT_TRUE(seen.insert(delivery->message().body).second)
            << "duplicate " << delivery->message().body;
        delivery->ack();
      }
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kCount));
  consumer.close();
  testing::expect_queue_empty(producer_client, spec);
}

}  // namespace
}  // namespace postwire
