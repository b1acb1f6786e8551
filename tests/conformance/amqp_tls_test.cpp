// RabbitMQ over TLS (amqps): server verification against the right and a wrong CA, and SASL
// EXTERNAL authentication with a client certificate. The URLs and files come from
// `ci/brokers env`; a missing variable fails the test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "conformance/brokers.hpp"
#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;

class AmqpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    RecordProperty("broker", "amqp");
    if (!testing::broker_selected("amqp")) {
      GTEST_SKIP() << "amqp is not in POSTWIRE_BROKERS";
    }
    url_ = testing::required_env("POSTWIRE_TEST_AMQPS_URL");
    ca_ = testing::required_env("POSTWIRE_TEST_AMQP_TLS_CA");
    ASSERT_FALSE(url_.empty() || ca_.empty());
  }

  // Declares a queue, sends one message, receives it back and deletes the queue.
  static void round_trip(Client& client) {
    const std::string queue = testing::unique_name("tls");
    QueueSpec spec;
    spec.name = queue;
    spec.durable = false;
    spec.auto_delete = false;
    client.declare_queue(spec);
    Message message;
    message.body = "over tls";
    const auto ids = testing::send_confirmed(client, queue, {message});
    {
      Consumer consumer = client.subscribe(queue);
      auto delivery = consumer.poll(30s);
      EXPECT_TRUE(delivery.has_value()) << "nothing received over amqps";
      if (delivery) {
        EXPECT_EQ(delivery->message().id, ids[0]);
        EXPECT_EQ(delivery->message().body, "over tls");
        delivery->ack();
      }
    }
    client.delete_queue(queue);
  }

  std::string url_;
  std::string ca_;
};

TEST_F(AmqpTls, round_trip) {
  Client client = Client::connect(url_, testing::make_config({{"tls.ca.location", ca_}}));
  round_trip(client);
}

TEST_F(AmqpTls, other_ca_is_rejected) {
  const std::string other_ca = testing::required_env("POSTWIRE_TEST_AMQP_TLS_OTHER_CA");
  ASSERT_FALSE(other_ca.empty());
  try {
    Client client = Client::connect(url_, testing::make_config({{"tls.ca.location", other_ca}}));
    FAIL() << "connected although the server certificate is not signed by " << other_ca;
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::tls_certificate_rejected) << e.what();
  }
}

TEST_F(AmqpTls, sasl_external) {
  const std::string cert = testing::required_env("POSTWIRE_TEST_AMQP_TLS_CERT");
  const std::string key = testing::required_env("POSTWIRE_TEST_AMQP_TLS_KEY");
  ASSERT_FALSE(cert.empty() || key.empty());
  Client client = Client::connect(testing::url_without_credentials(url_),
                                  testing::make_config({
                                      {"sasl.mechanism", "EXTERNAL"},
                                      {"tls.ca.location", ca_},
                                      {"tls.certificate.location", cert},
                                      {"tls.key.location", key},
                                  }));
  round_trip(client);
}

}  // namespace
}  // namespace postwire
