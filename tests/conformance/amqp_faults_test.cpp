// RabbitMQ faults that affect the whole node: a broker that stops answering (its process is
// stopped, so only heartbeats can tell) and a memory alarm that blocks every publisher. They
// disturb the broker every other test uses, so they live in the serial executable with the
// restart scenario.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "conformance/brokers.hpp"
#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Output of a command run from the repository root, e.g. `ci/brokers pid amqp`.
std::string command_output(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe(fds) != 0) {
    throw std::runtime_error("pipe() failed");
  }
  const int pid = testing::spawn(argv, fds[1]);
  ::close(fds[1]);
  std::string out;
  char buffer[256];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  EXPECT_EQ(testing::wait_for(pid), 0) << argv[0] << " " << argv[1];
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

std::string brokers_script() { return testing::repository_root() + "/ci/brokers"; }

// Polls `client` until an event satisfies `wanted`, up to `timeout`. Delivery reports polled
// on the way are kept in `reports` (when given).
template <typename Predicate>
bool await_event(Client& client, std::chrono::milliseconds timeout, Predicate wanted,
                 std::vector<DeliveryReport>* reports = nullptr) {
  const auto deadline = Clock::now() + timeout;
  std::vector<Event> events;
  while (Clock::now() < deadline) {
    events.clear();
    client.poll(events, 100, 200ms);
    bool found = false;
    for (auto& event : events) {
      if (auto* report = std::get_if<DeliveryReport>(&event); report != nullptr && reports) {
        reports->push_back(std::move(*report));
        continue;
      }
      found = found || wanted(event);
    }
    if (found) {
      return true;
    }
  }
  return false;
}

class AmqpFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    RecordProperty("broker", "amqp");
    if (!testing::broker_selected("amqp")) {
      GTEST_SKIP() << "amqp is not in POSTWIRE_BROKERS";
    }
    url_ = testing::broker_url("amqp");
  }
  std::string url_;
};

// Continues a stopped process whatever happens in the test.
struct ContinueOnExit {
  pid_t pid;
  ~ContinueOnExit() { ::kill(pid, SIGCONT); }
};

TEST_F(AmqpFaults, silent_broker_is_detected_by_heartbeats_and_recovered) {
  Client client = Client::connect(url_, testing::make_config({
                                            {"heartbeat.interval.ms", "1000"},
                                            {"reconnect.backoff.ms", "100"},
                                            {"reconnect.backoff.max.ms", "1000"},
                                            {"socket.connection.setup.timeout.ms", "2000"},
                                        }));
  const pid_t pid = std::stoi(command_output({brokers_script(), "pid", "amqp"}));
  ASSERT_GT(pid, 1);
  Error lost;
  {
    ContinueOnExit resume{pid};
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    // Two missed heartbeat intervals (the broker may lower ours to its own) and then some.
    const bool recovering = await_event(client, 20s, [&](const Event& event) {
      const auto* connection = std::get_if<ConnectionEvent>(&event);
      if (connection != nullptr && connection->state == ConnectionState::recovering) {
        lost = connection->error;
        return true;
      }
      return false;
    });
    ASSERT_TRUE(recovering) << "no recovering event while the broker was stopped";
  }
  EXPECT_NE(lost.message().find("heartbeat"), std::string::npos) << lost.to_string();
  ASSERT_TRUE(await_event(client, 60s, [](const Event& event) {
    const auto* connection = std::get_if<ConnectionEvent>(&event);
    return connection != nullptr && connection->state == ConnectionState::connected;
  })) << "no reconnect after the broker continued";

  const std::string queue = testing::unique_name("pw-conf-heartbeat");
  client.declare_queue(QueueSpec{.name = queue, .durable = false, .auto_delete = false});
  Producer producer = client.producer();
  producer.send(queue, Message{.body = "after the silence"}, 1);
  producer.flush(30s);
  const auto reports = testing::await_reports(client, 1, 30s);
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_FALSE(reports[0].error) << reports[0].error.to_string();
  client.delete_queue(queue);
}

TEST_F(AmqpFaults, unconfirmed_message_fails_once_delivery_timeout_is_spent) {
  Client client = Client::connect(url_, testing::make_config({
                                            {"heartbeat.interval.ms", "1000"},
                                            {"delivery.timeout.ms", "3000"},
                                            {"reconnect.backoff.ms", "100"},
                                            {"reconnect.backoff.max.ms", "500"},
                                            {"socket.connection.setup.timeout.ms", "1000"},
                                        }));
  const std::string queue = testing::unique_name("pw-conf-timeout");
  client.declare_queue(QueueSpec{.name = queue, .durable = false, .auto_delete = false});
  const pid_t pid = std::stoi(command_output({brokers_script(), "pid", "amqp"}));
  ASSERT_GT(pid, 1);
  std::vector<DeliveryReport> reports;
  {
    ContinueOnExit resume{pid};
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    client.producer().send(queue, Message{.body = "never confirmed"}, 9);
    // Not lost silently: a report says it failed, and why.
    reports = testing::await_reports(client, 1, 30s);
  }
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(reports[0].token, 9U);
  EXPECT_EQ(reports[0].error.code(), ErrorCode::delivery_timeout) << reports[0].error.to_string();
  EXPECT_NE(reports[0].error.message().find("delivery.timeout.ms"), std::string::npos);
  ASSERT_TRUE(await_event(client, 60s, [](const Event& event) {
    const auto* connection = std::get_if<ConnectionEvent>(&event);
    return connection != nullptr && connection->state == ConnectionState::connected;
  })) << "no reconnect after the broker continued";
  client.delete_queue(queue);
}

// Restores the memory watermark whatever happens in the test.
struct RestoreWatermark {
  ~RestoreWatermark() {
    command_output({brokers_script(), "ctl", "amqp", "set_vm_memory_high_watermark", "0.4"});
  }
};

TEST_F(AmqpFaults, blocked_publishers_wait_and_resume) {
  Client client = Client::connect(url_, testing::make_config({{"max.block.ms", "500"}}));
  const std::string queue = testing::unique_name("pw-conf-blocked");
  client.declare_queue(QueueSpec{.name = queue, .durable = false, .auto_delete = false});
  Producer producer = client.producer();
  std::vector<DeliveryReport> reports;
  {
    RestoreWatermark restore;
    // A watermark of 0 raises the memory alarm at once: the broker blocks publishers.
    command_output({brokers_script(), "ctl", "amqp", "set_vm_memory_high_watermark", "0"});
    producer.send(queue, Message{.body = "held while blocked"}, 1);
    ASSERT_TRUE(await_event(
        client, 20s,
        [](const Event& event) {
          const auto* flow = std::get_if<FlowEvent>(&event);
          return flow != nullptr && flow->blocked;
        },
        &reports))
        << "no blocked event under a memory alarm";
    EXPECT_TRUE(reports.empty()) << "a message was confirmed while publishers were blocked";

    const auto started = Clock::now();
    try {
      producer.send(queue, Message{.body = "refused while blocked"}, 2);
      ADD_FAILURE() << "send() did not wait for the blocked broker";
    } catch (const Exception& e) {
      EXPECT_EQ(e.code(), ErrorCode::queue_full) << e.what();
      EXPECT_NE(std::string(e.what()).find("blocked"), std::string::npos) << e.what();
      EXPECT_GE(Clock::now() - started, 400ms) << "send() gave up before max.block.ms";
    }
  }
  ASSERT_TRUE(await_event(
      client, 30s,
      [](const Event& event) {
        const auto* flow = std::get_if<FlowEvent>(&event);
        return flow != nullptr && !flow->blocked;
      },
      &reports))
      << "no unblocked event after the alarm cleared";
  producer.flush(30s);
  for (auto& report :
       testing::await_reports(client, 1 - std::min<std::size_t>(reports.size(), 1), 30s)) {
    reports.push_back(std::move(report));
  }
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(reports[0].token, 1U);
  EXPECT_FALSE(reports[0].error) << reports[0].error.to_string();
  client.delete_queue(queue);
}

}  // namespace
}  // namespace postwire
