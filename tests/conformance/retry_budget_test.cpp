// The retry budget (retry.budget.*): every retry of a send spends tokens from one client-wide
// bucket, and a retry the bucket cannot pay is not made; the message fails with
// retry_budget_exhausted. A full queue that rejects publishes makes the broker refuse every
// attempt, so the number of attempts shows what the budget allowed.
#include <string>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;

// A full queue that rejects publishes is RabbitMQ's; Kafka's retries are in its own suite.
POSTWIRE_SCENARIO_SUITE_ON(RetryBudget, "amqp");

// Sends one message to a queue that holds one message already and rejects the next.
DeliveryReport send_to_full_queue(Client& client, const std::string& queue) {
  client.declare_queue(QueueSpec{
      .name = queue, .durable = false, .max_length = 1, .overflow = Overflow::reject_publish});
  Producer producer = client.producer();
  testing::send_confirmed(client, queue, {Message{.body = "fills the queue"}});
  producer.send(queue, Message{.body = "one too many"}, 2);
  const auto reports = testing::await_reports(client, 1, 60s);
  return reports.empty() ? DeliveryReport{} : reports.front();
}

TEST_P(RetryBudget, retries_stop_when_the_budget_is_spent) {
  // Two retries' worth of tokens: the first attempt and two retries, then no more.
  Client client = connect(testing::make_config({{"retry.budget.capacity", "10"},
                                                {"retry.budget.retry.cost", "5"},
                                                {"retry.backoff.ms", "10"},
                                                {"retry.backoff.max.ms", "50"}}));
  const DeliveryReport report = send_to_full_queue(client, queue_name("budget"));
  EXPECT_EQ(report.error.code(), ErrorCode::retry_budget_exhausted) << report.error.to_string();
  EXPECT_EQ(report.attempts, 3U);
  EXPECT_NE(report.error.message().find("retry.budget.capacity=10"), std::string::npos)
      << report.error.to_string();
  EXPECT_NE(report.error.message().find("broker_nacked"), std::string::npos)
      << "names the failure that was not retried: " << report.error.to_string();
}

TEST_P(RetryBudget, zero_capacity_disables_retries) {
  Client client = connect(testing::make_config({{"retry.budget.capacity", "0"}}));
  const DeliveryReport report = send_to_full_queue(client, queue_name("no-retries"));
  EXPECT_EQ(report.error.code(), ErrorCode::retry_budget_exhausted) << report.error.to_string();
  EXPECT_EQ(report.attempts, 1U);
}

TEST_P(RetryBudget, with_budget_left_retries_last_until_the_delivery_timeout) {
  Client client = connect(testing::make_config({{"delivery.timeout.ms", "1500"},
                                                {"retry.backoff.ms", "20"},
                                                {"retry.backoff.max.ms", "100"}}));
  const DeliveryReport report = send_to_full_queue(client, queue_name("timeout"));
  EXPECT_EQ(report.error.code(), ErrorCode::broker_nacked) << report.error.to_string();
  EXPECT_NE(report.error.message().find("delivery.timeout.ms spent"), std::string::npos)
      << report.error.to_string();
  EXPECT_GT(report.attempts, 3U) << "the default budget allows many retries";
}

}  // namespace
}  // namespace postwire
