// Declared topology: exchanges route as their type says, queues are purged and deleted with
// counts, conflicting declarations are refused, and a consumer survives its queue being
// deleted and declared again.
#include <string>
#include <vector>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Exchanges, queue arguments and consumer cancellation are RabbitMQ's (capabilities().exchanges);
// Kafka's topics are declared, purged and deleted in kafka_test.cpp.
POSTWIRE_SCENARIO_SUITE_ON(Topology, "amqp");
POSTWIRE_SCENARIO_SUITE_ON(ConsumerCancel, "amqp");

void declare_exchange(Client& client, const std::string& name, ExchangeType type) {
  ExchangeSpec spec;
  spec.name = name;
  spec.type = type;
  client.declare_exchange(spec);
}

void bind_queue(Client& client, const std::string& exchange, const std::string& queue,
                const std::string& key, Headers match = {}) {
  BindingSpec binding;
  binding.exchange = exchange;
  binding.destination = queue;
  binding.routing_key = key;
  binding.match_headers = std::move(match);
  client.bind(binding);
}

// Expects exactly the message `id` on `queue` and acks it.
void expect_one(Client& client, const std::string& queue, const std::string& id) {
  Consumer consumer = client.subscribe(queue);
  auto delivery = consumer.poll(30s);
  ASSERT_TRUE(delivery.has_value()) << "nothing routed to " << queue;
  EXPECT_EQ(delivery->message().id, id) << queue;
  delivery->ack();
  testing::expect_no_delivery(consumer, 500ms, queue);
}

Message keyed(std::string key, Headers headers = {}) {
  Message message;
  message.body = "routed by " + key;
  message.key = std::move(key);
  message.headers = std::move(headers);
  return message;
}

TEST_P(Topology, topic_exchange) {
  Client client = connect();
  const std::string exchange = exchange_name("topic");
  const std::string first = queue_name("topic-a");
  const std::string second = queue_name("topic-b");
  declare_exchange(client, exchange, ExchangeType::topic);
  declare_queue(client, first);
  declare_queue(client, second);
  bind_queue(client, exchange, first, "order.*");
  bind_queue(client, exchange, second, "#.created");
  const auto ids =
      testing::send_confirmed(client, "exchange/" + exchange, {keyed("order.created")});
  expect_one(client, first, ids[0]);
  expect_one(client, second, ids[0]);
}

TEST_P(Topology, fanout_exchange) {
  Client client = connect();
  const std::string exchange = exchange_name("fanout");
  const std::string first = queue_name("fanout-a");
  const std::string second = queue_name("fanout-b");
  declare_exchange(client, exchange, ExchangeType::fanout);
  declare_queue(client, first);
  declare_queue(client, second);
  bind_queue(client, exchange, first, "");
  bind_queue(client, exchange, second, "");
  const auto ids = testing::send_confirmed(client, "exchange/" + exchange, {keyed("any.key")});
  expect_one(client, first, ids[0]);
  expect_one(client, second, ids[0]);
}

TEST_P(Topology, headers_exchange) {
  Client client = connect();
  const std::string exchange = exchange_name("headers");
  const std::string orders = queue_name("headers-orders");
  const std::string invoices = queue_name("headers-invoices");
  declare_exchange(client, exchange, ExchangeType::headers);
  declare_queue(client, orders);
  declare_queue(client, invoices);
  bind_queue(client, exchange, orders, "", {{"type", "order"}, {"region", "eu"}});
  bind_queue(client, exchange, invoices, "", {{"type", "invoice"}});
  const auto ids = testing::send_confirmed(
      client, "exchange/" + exchange, {keyed("ignored", {{"type", "order"}, {"region", "eu"}})});
  expect_one(client, orders, ids[0]);
  Consumer consumer = client.subscribe(invoices);
  testing::expect_no_delivery(consumer, 1s, "the queue bound to type=invoice");
}

TEST_P(Topology, purge_queue_counts) {
  Client client = connect();
  const std::string queue = queue_name("purge");
  const QueueSpec spec = declare_queue(client, queue);
  testing::send_confirmed(client, queue, std::vector<Message>(5, keyed("k")));
  EXPECT_EQ(client.purge_queue(queue), 5U);
  testing::expect_queue_empty(client, spec);
}

TEST_P(Topology, delete_queue_counts) {
  Client client = connect();
  const std::string queue = queue_name("delete");
  const QueueSpec spec = declare_queue(client, queue);
  testing::send_confirmed(client, queue, std::vector<Message>(3, keyed("k")));
  EXPECT_EQ(client.delete_queue(queue), 3U);
  EXPECT_EQ(client.declare_queue(spec).message_count, 0U) << "declared anew, empty";
}

TEST_P(Topology, redeclare_with_other_arguments) {
  Client client = connect();
  const std::string queue = queue_name("redeclare");
  QueueSpec spec;
  spec.name = queue;
  spec.max_length = 10;
  client.declare_queue(spec);
  spec.max_length = 20;
  try {
    client.declare_queue(spec);
    FAIL() << "re-declaring " << queue << " with another max_length succeeded";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::precondition_failed) << e.what();
    EXPECT_NE(std::string(e.what()).find(queue), std::string::npos)
        << "names the queue: " << e.what();
  }
}

// Polls `client` until a ConsumerEvent for `source` in `state` arrives, meanwhile polling
// `consumer` into `received`.
bool await_consumer_state(Client& client, Consumer& consumer, const std::string& source,
                          ConsumerState state, std::vector<Delivery>& received, std::string& seen) {
  const auto deadline = Clock::now() + 30s;
  std::vector<Event> events;
  while (Clock::now() < deadline) {
    events.clear();
    client.poll(events, 100, 100ms);
    bool found = false;
    for (const auto& event : events) {
      seen += testing::describe(event) + "\n";
      if (const auto* e = std::get_if<ConsumerEvent>(&event)) {
        found = found || (e->source == source && e->state == state);
      }
    }
    if (auto delivery = consumer.poll(50ms)) {
      received.push_back(std::move(*delivery));
    }
    if (found) {
      return true;
    }
  }
  return false;
}

TEST_P(ConsumerCancel, resumes_after_queue_is_declared_again) {
  Client subscriber = connect();
  Client admin = connect();
  const std::string queue = queue_name("cancel");
  const QueueSpec spec = declare_queue(admin, queue);
  Consumer consumer = subscriber.subscribe(queue);
  std::vector<Delivery> received;
  std::string seen;

  admin.delete_queue(queue);
  ASSERT_TRUE(
      await_consumer_state(subscriber, consumer, queue, ConsumerState::cancelled, received, seen))
      << "no ConsumerEvent{cancelled} for " << queue << "; events:\n"
      << seen;

  admin.declare_queue(spec);
  const auto ids = testing::send_confirmed(admin, queue, {keyed("after")});
  EXPECT_TRUE(
      await_consumer_state(subscriber, consumer, queue, ConsumerState::active, received, seen))
      << "no ConsumerEvent{active} for " << queue << "; events:\n"
      << seen;
  const auto deadline = Clock::now() + 30s;
  while (received.empty() && Clock::now() < deadline) {
    if (auto delivery = consumer.poll(500ms)) {
      received.push_back(std::move(*delivery));
    }
  }
  ASSERT_EQ(received.size(), 1U) << "the message sent after re-declaring";
  EXPECT_EQ(received[0].message().id, ids[0]);
  received[0].ack();
}

}  // namespace
}  // namespace postwire
