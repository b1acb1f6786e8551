// Settling deliveries: nack redelivers (now or after a delay), the delivery limit and
// dead_letter() move messages to the dead-letter queue, the dedup window drops repeated ids,
// and a consumer that dies loses nothing it had not acknowledged.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Settlement that the broker keeps (acks that survive a reconnect, redelivery after a crash) needs
// consumer groups on Kafka: these run on RabbitMQ until then. Dead-lettering is postwire's own
// copy to `<source>.dlq` on both.
POSTWIRE_SCENARIO_SUITE_ON(Ack, "amqp");
POSTWIRE_SCENARIO_SUITE_ON(Nack, "amqp");
POSTWIRE_SCENARIO_SUITE_ON(DeadLetter, "amqp", "kafka");
POSTWIRE_SCENARIO_SUITE_ON(Dedup, "amqp");
POSTWIRE_SCENARIO_SUITE_ON(ConsumerCrash, "amqp");

Message text_message(std::string body) {
  Message message;
  message.body = std::move(body);
  return message;
}

// Acks may be held back to be sent together; closing the consumer right after acking must
// still deliver every one of them, or the broker would redeliver what was done.
TEST_P(Ack, acks_made_just_before_close_are_kept) {
  Client client = connect();
  const std::string queue = queue_name("ack-close");
  const QueueSpec spec = declare_queue(client, queue);
  std::vector<Message> messages;
  for (int i = 0; i < 20; ++i) {
    messages.push_back(text_message(std::to_string(i)));
  }
  testing::send_confirmed(client, queue, std::move(messages));
  std::set<std::string> acked;
  for (int round = 0; round < 4; ++round) {
    Consumer consumer = client.subscribe(queue, SubscribeOptions{.prefetch = 100});
    // Ack five and close at once, before the acks' coalescing delay has passed; the messages
    // delivered and not acked go back to the queue.
    for (auto& delivery : testing::receive(consumer, 5, 30s)) {
      EXPECT_TRUE(acked.insert(delivery.message().body).second)
          << "message " << delivery.message().body << " was acked and came back";
      delivery.ack();
    }
    consumer.close();
  }
  EXPECT_EQ(acked.size(), 20U);
  testing::expect_queue_empty(client, spec);
}

TEST_P(Nack, redelivers_at_once) {
  Client client = connect();
  const std::string queue = queue_name("nack");
  const QueueSpec spec = declare_queue(client, queue);
  const auto ids = testing::send_confirmed(client, queue, {text_message("again")});

  Consumer consumer = client.subscribe(queue);
  auto first = consumer.poll(30s);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->message().id, ids[0]);
  EXPECT_EQ(first->delivery_count(), 1U);
  first->nack(0ms);

  auto second = consumer.poll(30s);
  ASSERT_TRUE(second.has_value()) << "no redelivery after nack(0)";
  EXPECT_EQ(second->message().id, ids[0]);
  EXPECT_EQ(second->message().body, "again");
  EXPECT_EQ(second->delivery_count(), 2U);
  second->ack();

  testing::expect_no_delivery(consumer, 1s, "after the ack");
  consumer.close();
  testing::expect_queue_empty(client, spec);
}

TEST_P(Nack, delay_is_honoured) {
  Client client = connect();
  const std::string queue = queue_name("nackdelay");
  declare_queue(client, queue);
  const auto ids = testing::send_confirmed(client, queue, {text_message("later")});

  Consumer consumer = client.subscribe(queue);
  auto first = consumer.poll(30s);
  ASSERT_TRUE(first.has_value());
  const auto nacked_at = Clock::now();
  first->nack(1500ms);

  auto second = consumer.poll(30s);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - nacked_at);
  ASSERT_TRUE(second.has_value()) << "no redelivery after nack(1500 ms)";
  EXPECT_EQ(second->message().id, ids[0]);
  EXPECT_GE(elapsed, 1400ms) << "redelivered too early";
  EXPECT_LE(elapsed, 10'000ms) << "redelivered too late";
  EXPECT_EQ(second->delivery_count(), 2U);
  second->ack();
}

TEST_P(DeadLetter, after_max_deliveries) {
  Client client = connect(testing::make_config({{"max.deliveries", "3"}}));
  const std::string queue = queue_name("limit");
  declare_queue(client, queue);
  const auto ids = testing::send_confirmed(client, queue, {text_message("poison")});

  Consumer consumer = client.subscribe(queue);
  for (std::uint32_t n = 1; n <= 3; ++n) {
    auto delivery = consumer.poll(30s);
    ASSERT_TRUE(delivery.has_value()) << "delivery " << n << " missing";
    EXPECT_EQ(delivery->message().id, ids[0]);
    EXPECT_EQ(delivery->delivery_count(), n);
    delivery->nack(0ms);
  }
  testing::expect_no_delivery(consumer, 3s, "a fourth delivery beyond max.deliveries=3");

  Consumer dlq = testing::subscribe_when_declared(client, queue + ".dlq");
  auto dead = dlq.poll(30s);
  ASSERT_TRUE(dead.has_value()) << "nothing on " << queue << ".dlq";
  EXPECT_EQ(dead->message().id, ids[0]);
  EXPECT_EQ(dead->message().body, "poison");
  const std::string reason = testing::header_or_fail(dead->message(), "pw-dead-letter-reason");
  EXPECT_NE(reason.find('3'), std::string::npos) << "reason names the limit: " << reason;
  EXPECT_TRUE(reason.find("max.deliveries") != std::string::npos ||
              reason.find("deliver") != std::string::npos)
      << "reason names the delivery limit: " << reason;
  EXPECT_EQ(testing::header_or_fail(dead->message(), "pw-original-destination"), queue);
  dead->ack();
}

TEST_P(DeadLetter, explicit_reason) {
  Client client = connect();
  const std::string queue = queue_name("explicit");
  const QueueSpec spec = declare_queue(client, queue);
  const auto ids = testing::send_confirmed(client, queue, {text_message("bad order")});

  Consumer consumer = client.subscribe(queue);
  auto delivery = consumer.poll(30s);
  ASSERT_TRUE(delivery.has_value());
  delivery->dead_letter("invalid order");

  Consumer dlq = testing::subscribe_when_declared(client, queue + ".dlq");
  auto dead = dlq.poll(30s);
  ASSERT_TRUE(dead.has_value()) << "nothing on " << queue << ".dlq";
  EXPECT_EQ(dead->message().id, ids[0]);
  EXPECT_EQ(testing::header_or_fail(dead->message(), "pw-dead-letter-reason"), "invalid order");
  EXPECT_EQ(testing::header_or_fail(dead->message(), "pw-original-destination"), queue);
  dead->ack();
  testing::expect_no_delivery(consumer, 1s, "the source queue after dead_letter()");
  consumer.close();
  testing::expect_acked_messages_gone(client, spec);
}

TEST_P(Dedup, drops_repeated_ids) {
  Client client = connect(testing::make_config({{"dedup.window.size", "1000"}}));
  const std::string queue = queue_name("dedup");
  const QueueSpec spec = declare_queue(client, queue);
  const std::string duplicate = testing::unique_name("dup");
  const std::string other = testing::unique_name("other");
  std::vector<Message> messages;
  for (const auto& id : {duplicate, duplicate, duplicate, other}) {
    Message message = text_message("body of " + id);
    message.id = id;
    messages.push_back(std::move(message));
  }
  testing::send_confirmed(client, queue, std::move(messages));

  Consumer consumer = client.subscribe(queue);
  std::map<std::string, int> received;
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline) {
    if (auto delivery = consumer.poll(500ms)) {
      ++received[delivery->message().id];
      delivery->ack();
    }
  }
  EXPECT_EQ(received[duplicate], 1) << "the repeated id";
  EXPECT_EQ(received[other], 1) << "the other id";
  EXPECT_EQ(received.size(), 2U);

  auto deduplicated = client.stats().deduplicated;
  for (const auto until = Clock::now() + 5s; deduplicated < 2 && Clock::now() < until;) {
    std::this_thread::sleep_for(100ms);
    deduplicated = client.stats().deduplicated;
  }
  EXPECT_EQ(deduplicated, 2U) << "stats().deduplicated";
  consumer.close();
  testing::expect_queue_empty(client, spec);
}

// Reads lines from `fd` until one equals "ready" (returned true) or another final line comes,
// the pipe closes or `timeout` passes. Every "received <id>" line adds to `ids`.
bool read_child_output(int fd, std::set<std::string>& ids, std::string& transcript,
                       std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string pending;
  while (Clock::now() < deadline) {
    pollfd poll_fd{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&poll_fd, 1, 200) <= 0) {
      continue;
    }
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) {
      return false;
    }
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t newline = 0;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      transcript += line + "\n";
      if (line == "ready") {
        return true;
      }
      if (line.starts_with("received ")) {
        ids.insert(line.substr(9));
      } else {
        return false;
      }
    }
  }
  return false;
}

TEST_P(ConsumerCrash, unacked_messages_are_redelivered) {
  Client client = connect();
  const std::string queue = queue_name("crash");
  const QueueSpec spec = declare_queue(client, queue);
  constexpr std::size_t count = 200;
  std::vector<Message> messages;
  for (std::size_t i = 0; i < count; ++i) {
    messages.push_back(text_message("crash " + std::to_string(i)));
  }
  const auto ids = testing::send_confirmed(client, queue, std::move(messages));
  ASSERT_EQ(ids.size(), count);

  // The dying consumer is this test binary run again as a helper process (see run_child).
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  const int child = testing::spawn(
      {"/proc/self/exe", std::string(testing::child_flag), "consume", url(), queue, "20"},
      pipe_fds[1]);
  ::close(pipe_fds[1]);
  std::set<std::string> held;
  std::string transcript;
  const bool ready = read_child_output(pipe_fds[0], held, transcript, 90s);
  ::kill(child, SIGKILL);
  EXPECT_EQ(testing::wait_for(child), 128 + SIGKILL);
  ::close(pipe_fds[0]);
  ASSERT_TRUE(ready) << "the consumer process did not get ready; it said:\n" << transcript;
  EXPECT_EQ(held.size(), 20U);

  Consumer consumer = client.subscribe(queue);
  std::set<std::string> seen;
  std::size_t duplicates = 0;
  const auto deadline = Clock::now() + 60s;
  std::vector<Delivery> batch;
  while (seen.size() < count && Clock::now() < deadline) {
    batch.clear();
    consumer.poll(batch, 100, 500ms);
    for (auto& delivery : batch) {
      const std::string& id = delivery.message().id;
      if (!seen.insert(id).second) {
        ++duplicates;
      }
      if (held.contains(id)) {
        EXPECT_TRUE(delivery.redelivered()) << id << " was delivered to the killed consumer";
        EXPECT_GE(delivery.delivery_count(), 2U) << id;
      }
      delivery.ack();
    }
  }
  for (const auto& id : ids) {
    EXPECT_TRUE(seen.contains(id)) << "lost: " << id;
  }
  EXPECT_EQ(duplicates, 0U);
  testing::expect_no_delivery(consumer, 1s, "after every message");
  consumer.close();
  testing::expect_queue_empty(client, spec);
}

}  // namespace
}  // namespace postwire
