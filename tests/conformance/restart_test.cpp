// The broker restarts while a producer is sending: every message is confirmed in the end and
// none is missing (a republished message may arrive twice). This scenario restarts the broker
// that every other test uses, so it lives in its own executable that ctest runs alone
// (RUN_SERIAL).
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

POSTWIRE_SCENARIO_SUITE_ON(BrokerRestart, "amqp");

TEST_P(BrokerRestart, mid_stream) {
  Client client = connect(testing::make_config({
      {"max.block.ms", "120000"},
      {"delivery.timeout.ms", "180000"},
      {"reconnect.backoff.ms", "100"},
      {"reconnect.backoff.max.ms", "2000"},
  }));
  const std::string queue = queue_name("restart");
  declare_queue(client, queue);  // durable: it and its persistent messages survive

  constexpr int total = 20'000;
  constexpr int restart_after = 3'000;
  // At least this many are sent after the connection was seen lost, so the restart falls in
  // the middle of the stream rather than after it.
  constexpr int kept_for_after = 5'000;

  std::vector<DeliveryReport> reports;
  std::vector<std::string> connection_log;
  bool saw_recovering = false;
  bool saw_connected_after = false;
  std::vector<Event> events;
  auto drain = [&](std::chrono::milliseconds timeout) {
    events.clear();
    client.poll(events, 5000, timeout);
    for (auto& event : events) {
      if (auto* report = std::get_if<DeliveryReport>(&event)) {
        reports.push_back(std::move(*report));
      } else if (const auto* connection = std::get_if<ConnectionEvent>(&event)) {
        connection_log.push_back(testing::describe(event));
        if (connection->state == ConnectionState::recovering) {
          saw_recovering = true;
        } else if (connection->state == ConnectionState::connected && saw_recovering) {
          saw_connected_after = true;
        }
      }
    }
  };

  Producer producer = client.producer();
  int restart_pid = -1;
  const auto restart_started = Clock::now();
  for (int i = 0; i < total; ++i) {
    if (i == restart_after) {
      restart_pid = testing::spawn(
          {"/bin/sh", "-c", "exec \"$0\"/ci/brokers restart amqp", testing::repository_root()});
    }
    if (i > restart_after && !saw_recovering) {
      if (i < total - kept_for_after) {
        drain(1ms);  // paced while waiting for the broker to go
      } else {
        while (!saw_recovering && Clock::now() - restart_started < 120s) {
          drain(100ms);
        }
      }
    } else if (i % 100 == 0) {
      drain(0ms);
    }
    Message message;
    message.body = "r" + std::to_string(i);
    message.headers = {{"seq", std::to_string(i)}};
    message.persistent = true;
    producer.send(queue, std::move(message), static_cast<std::uint64_t>(i));
  }
  ASSERT_GE(restart_pid, 0);
  EXPECT_EQ(testing::wait_for(restart_pid), 0) << "ci/brokers restart amqp failed";
  producer.flush(180s);
  const auto deadline = Clock::now() + 60s;
  while (reports.size() < static_cast<std::size_t>(total) && Clock::now() < deadline) {
    drain(100ms);
  }
  drain(0ms);

  ASSERT_EQ(reports.size(), static_cast<std::size_t>(total)) << "delivery reports";
  std::size_t failed = 0;
  std::size_t retried = 0;
  for (const auto& report : reports) {
    if (report.error && failed++ < 5) {
      ADD_FAILURE() << "message " << report.token << " failed: " << report.error.to_string();
    }
    retried += report.attempts > 1 ? 1 : 0;
  }
  EXPECT_EQ(failed, 0U) << "failed reports";
  std::string log;
  for (const auto& line : connection_log) {
    log += line + "\n";
  }
  EXPECT_TRUE(saw_recovering) << "no ConnectionEvent{recovering}; connection events:\n" << log;
  EXPECT_TRUE(saw_connected_after) << "no ConnectionEvent{connected} after recovering:\n" << log;

  Consumer consumer = client.subscribe(queue);
  std::set<int> seen;
  std::size_t duplicates = 0;
  std::vector<Delivery> batch;
  const auto consume_deadline = Clock::now() + 180s;
  while (seen.size() < static_cast<std::size_t>(total) && Clock::now() < consume_deadline) {
    batch.clear();
    consumer.poll(batch, 500, 500ms);
    for (auto& delivery : batch) {
      if (!seen.insert(std::stoi(testing::header_or_fail(delivery.message(), "seq"))).second) {
        ++duplicates;
      }
      delivery.ack();
    }
  }
  // Drain what is left so that duplicates are counted too.
  for (bool more = true; more;) {
    batch.clear();
    more = consumer.poll(batch, 500, 2s) > 0;
    for (auto& delivery : batch) {
      if (!seen.insert(std::stoi(testing::header_or_fail(delivery.message(), "seq"))).second) {
        ++duplicates;
      }
      delivery.ack();
    }
  }
  std::cout << "broker restart: " << retried << " messages sent more than once, " << duplicates
            << " duplicates received\n";
  std::vector<int> missing;
  for (int i = 0; i < total && missing.size() < 20; ++i) {
    if (!seen.contains(i)) {
      missing.push_back(i);
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(total))
      << (total - static_cast<int>(seen.size())) << " messages missing, e.g. seq "
      << (missing.empty() ? -1 : missing.front());
}

}  // namespace
}  // namespace postwire
