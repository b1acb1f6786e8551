// Consumers that exclude others: an exclusive consumer refuses a second one on its queue, and
// on a single-active-consumer queue only one of several consumers receives until it goes.
// And consumers whose messages arrive through the client's event queue, each message naming the
// consumer it is for; and subscribe options by name.
#include <poll.h>

#include <map>
#include <set>
#include <string>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;

// Exclusive and single-active consumers, and competing consumers of one queue, are RabbitMQ's;
// Kafka shares a topic through consumer groups.
POSTWIRE_SCENARIO_SUITE_ON(ConsumerModes, "amqp");

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

TEST_P(ConsumerModes, two_consumers_of_one_source_each_get_only_their_own) {
  Client client = connect();
  const std::string queue = queue_name("identity");
  const QueueSpec spec = declare_queue(client, queue);
  constexpr int kCount = 40;
  std::vector<Message> messages;
  for (int i = 0; i < kCount; ++i) {
    Message message;
    message.body = std::to_string(i);
    messages.push_back(std::move(message));
  }
  const SubscribeOptions as_events{.prefetch = 2, .exclusive = false, .deliver_as_events = true};
  Consumer first = client.subscribe(queue, as_events);
  Consumer second = client.subscribe(queue, as_events);
  ASSERT_NE(first.id(), second.id());
  // From another client: waiting for the reports polls the sender's events.
  Client producer = connect();
  testing::send_confirmed(producer, queue, std::move(messages));
  std::set<std::string> seen;
  std::map<std::uint64_t, int> per_consumer;
  std::vector<Event> events;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (seen.size() < static_cast<std::size_t>(kCount) &&
         std::chrono::steady_clock::now() < deadline) {
    events.clear();
    client.poll(events, 64, 100ms);
    for (auto& event : events) {
      if (auto* delivery = std::get_if<Delivery>(&event)) {
        EXPECT_TRUE(delivery->consumer_id() == first.id() || delivery->consumer_id() == second.id())
            << "a message for consumer " << delivery->consumer_id();
        ++per_consumer[delivery->consumer_id()];
        EXPECT_TRUE(seen.insert(delivery->message().body).second)
            << "message " << delivery->message().body << " reached both consumers";
        delivery->ack();
      }
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kCount));
  EXPECT_GT(per_consumer[first.id()], 0) << "the broker shares a source between its consumers";
  EXPECT_GT(per_consumer[second.id()], 0) << "the broker shares a source between its consumers";
  first.close();
  second.close();
  testing::expect_queue_empty(client, spec);
}

TEST_P(ConsumerModes, an_unknown_subscribe_option_is_refused_by_name) {
  Client client = connect();
  const std::string queue = queue_name("unknown-option");
  declare_queue(client, queue);
  SubscribeOptions options;
  options.settings = {{"no_such_option", "1"}};
  try {
    Consumer consumer = client.subscribe(queue, options);
    ADD_FAILURE() << "an unknown subscribe option was accepted";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_NE(std::string(e.what()).find("no_such_option"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace postwire
