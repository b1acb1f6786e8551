// Failures are reported with the documented error code and a message that names what failed.
#include <string>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

POSTWIRE_SCENARIO_SUITE(Errors);
// Exchanges, virtual hosts and URL credentials are RabbitMQ's; Kafka's SASL logins are tested in
// kafka_test.cpp against its SASL listener.
POSTWIRE_SCENARIO_SUITE_ON(AmqpErrors, "amqp");

DeliveryReport send_one(Client& client, const std::string& destination) {
  Producer producer = client.producer();
  Message message;
  message.body = "nowhere to go";
  message.key = "order.created";
  producer.send(destination, std::move(message), 1);
  const auto reports = testing::await_reports(client, 1, 60s);
  return reports.empty() ? DeliveryReport{} : reports.front();
}

TEST_P(Errors, unknown_queue) {
  Client client = connect();
  const std::string missing = testing::unique_name("missing");
  const DeliveryReport report = send_one(client, missing);
  EXPECT_TRUE(report.error.code() == ErrorCode::unroutable ||
              report.error.code() == ErrorCode::not_found)
      << report.error.to_string();
  EXPECT_NE(report.error.message().find(missing), std::string::npos)
      << "names the queue: " << report.error.to_string();
}

TEST_P(AmqpErrors, unknown_exchange) {
  Client client = connect();
  const std::string missing = testing::unique_name("nope");
  const DeliveryReport report = send_one(client, "exchange/" + missing);
  EXPECT_EQ(report.error.code(), ErrorCode::not_found) << report.error.to_string();
  EXPECT_NE(report.error.message().find(missing), std::string::npos)
      << "names the exchange: " << report.error.to_string();
}

TEST_P(Errors, oversized_message) {
  Client client = connect(testing::make_config({{"message.max.bytes", "1024"}}));
  const std::string queue = queue_name("oversized");
  declare_queue(client, queue);
  Producer producer = client.producer();
  Message message;
  message.body = std::string(2048, 'x');
  try {
    producer.send(queue, std::move(message));
    FAIL() << "a 2048-byte body was accepted with message.max.bytes=1024";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::message_too_large) << e.what();
    const std::string text = e.error().message();
    EXPECT_NE(text.find("2048"), std::string::npos) << "names the size: " << text;
    EXPECT_NE(text.find("1024"), std::string::npos) << "names the limit: " << text;
  }
  // A refused send loses nothing: the caller still holds the whole message.
  EXPECT_EQ(message.body, std::string(2048, 'x'));  // NOLINT(bugprone-use-after-move)
}

// Runs Client::connect(url) expecting it to throw; returns the error and checks it came
// within `bound`.
Error connect_error(const std::string& url, std::chrono::seconds bound, const Config& config = {}) {
  const auto started = Clock::now();
  try {
    Client client = Client::connect(url, config);
    ADD_FAILURE() << "connect succeeded";
    return {};
  } catch (const Exception& e) {
    const auto took = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started);
    EXPECT_LE(took, bound) << "connect kept retrying: " << e.what();
    return e.error();
  }
}

TEST_P(AmqpErrors, bad_credentials) {
  const Error error = connect_error(testing::url_with_password(url(), "wrong-password"), 30s);
  EXPECT_EQ(error.code(), ErrorCode::authentication_failed) << error.to_string();
  EXPECT_EQ(error.message().find("wrong-password"), std::string::npos)
      << "the message must not show the password: " << error.message();
}

TEST_P(AmqpErrors, missing_vhost) {
  const std::string vhost = testing::unique_name("vhost");
  const Error error = connect_error(testing::url_with_path(url(), "/" + vhost), 30s);
  EXPECT_TRUE(error.code() == ErrorCode::not_found || error.code() == ErrorCode::access_denied)
      << error.to_string();
  EXPECT_NE(error.message().find(vhost), std::string::npos)
      << "names the vhost: " << error.to_string();
}

TEST_P(Errors, broker_down) {
  const Error error = connect_error(testing::url_with_port(url(), "1"), 60s);
  EXPECT_EQ(error.code(), ErrorCode::connection_refused) << error.to_string();
  EXPECT_NE(error.message().find("127.0.0.1:1"), std::string::npos)
      << "names the address: " << error.to_string();
}

// Several hosts in one URL are tried in turn: a dead first host does not stop the client, and
// when every host is dead the error lists them all.
TEST_P(Errors, dead_first_host_is_skipped) {
  const std::string live = url();
  const std::size_t authority =
      live.find('@') != std::string::npos ? live.find('@') + 1 : live.find("://") + 3;
  const std::string with_dead_first =
      live.substr(0, authority) + "127.0.0.1:1," + live.substr(authority);
  Client client = Client::connect(with_dead_first);
  const std::string queue = queue_name("multi-host");
  declare_queue(client, queue);
  EXPECT_EQ(testing::send_confirmed(client, queue, {Message{.body = "via the second host"}}).size(),
            1U);

  const std::string all_dead = testing::url_with_port(url(), "1");
  const std::size_t at =
      all_dead.find('@') != std::string::npos ? all_dead.find('@') + 1 : all_dead.find("://") + 3;
  const Error error =
      connect_error(all_dead.substr(0, at) + "127.0.0.1:2," + all_dead.substr(at), 60s);
  EXPECT_EQ(error.code(), ErrorCode::connection_refused) << error.to_string();
  EXPECT_NE(error.message().find("127.0.0.1:1"), std::string::npos) << error.to_string();
  EXPECT_NE(error.message().find("127.0.0.1:2"), std::string::npos) << error.to_string();
}

TEST_P(Errors, unknown_config_key) {
  Config config;
  const Error error = config.set("no.such.option", "1");
  EXPECT_EQ(error.code(), ErrorCode::config_unknown_key) << error.to_string();
  EXPECT_NE(error.message().find("no.such.option"), std::string::npos) << error.to_string();
}

}  // namespace
}  // namespace postwire
