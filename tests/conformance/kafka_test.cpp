// Kafka's own behaviour through the public API, beyond the scenarios every broker shares:
// delivery reports and messages carry partitions and offsets, keyed messages land where the
// Java client puts them, partition reads start where asked, and topics are declared, purged
// and deleted as queues. Runs when kafka is in POSTWIRE_BROKERS.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "conformance/brokers.hpp"
#include "conformance/scenario.hpp"
#include "protocol/kafka/partitioner.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;

class Kafka : public ::testing::Test {
 protected:
  void SetUp() override {
    RecordProperty("broker", "kafka");
    if (!testing::broker_selected("kafka")) {
      GTEST_SKIP() << "kafka is not in POSTWIRE_BROKERS";
    }
    url_ = testing::broker_url("kafka");
    ASSERT_FALSE(url_.empty());
  }
  void TearDown() override {
    if (url_.empty()) return;
    try {
      Client client = Client::connect(url_);
      for (const auto& topic : topics_) {
        try {
          client.delete_queue(topic);
        } catch (const Exception&) {
        }
      }
      client.close();
    } catch (const Exception&) {
    }
  }

  Client connect() const {
    return Client::connect(url_, testing::make_config({{"linger.ms", "2"}}));
  }

  // A fresh topic with `partitions` partitions, deleted after the test.
  std::string topic(Client& client, int partitions) {
    std::string name = testing::unique_name("kafka");
    QueueSpec spec;
    spec.name = name;
    spec.settings = {{"partitions", std::to_string(partitions)}};
    client.declare_queue(spec);
    topics_.push_back(name);
    return name;
  }

  std::string url_;
  std::vector<std::string> topics_;
};

// kafka://user:password@host:port from a URL without credentials.
std::string with_login(const std::string& url, const std::string& user,
                       const std::string& password) {
  const std::size_t authority = url.find("://") + 3;
  return url.substr(0, authority) + user + ":" + password + "@" + url.substr(authority);
}

// Declares a topic, sends one message, reads it back and deletes the topic.
void round_trip(Client& client) {
  const std::string name = testing::unique_name("login");
  QueueSpec spec;
  spec.name = name;
  client.declare_queue(spec);
  Message message;
  message.body = "authenticated";
  const auto ids = testing::send_confirmed(client, name, {message});
  {
    Consumer consumer = client.subscribe(name);
    auto got = testing::receive(consumer, 1, 30s);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].message().id, ids[0]);
    EXPECT_EQ(got[0].message().body, "authenticated");
  }
  client.delete_queue(name);
}

std::int32_t java_partition(const std::string& key, std::int32_t partitions) {
  return kafka::partition_for_key({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()},
                                  partitions);
}

TEST_F(Kafka, reports_carry_the_partition_the_key_picks_and_ascending_offsets) {
  Client client = connect();
  const std::string name = topic(client, 4);
  Producer producer = client.producer();
  std::map<std::string, std::string> key_of;  // id -> key
  for (int i = 0; i < 200; ++i) {
    Message message;
    message.key = "customer-" + std::to_string(i % 37);
    message.body = "order " + std::to_string(i);
    key_of[producer.send(name, std::move(message))] = "customer-" + std::to_string(i % 37);
  }
  const auto reports = testing::await_reports(client, 200, 60s);
  ASSERT_EQ(reports.size(), 200U);
  std::map<std::int32_t, std::set<std::int64_t>> offsets;
  for (const auto& report : reports) {
    ASSERT_TRUE(report.error.is_ok()) << report.error.to_string();
    EXPECT_GE(report.attempts, 1U) << "a confirmed record was written at least once";
    ASSERT_TRUE(report.position.partition.has_value());
    ASSERT_TRUE(report.position.offset.has_value());
    EXPECT_EQ(*report.position.partition, java_partition(key_of.at(report.id), 4)) << report.id;
    EXPECT_TRUE(offsets[*report.position.partition].insert(*report.position.offset).second)
        << "offset reported twice";
  }
  for (const auto& [partition, seen] : offsets) {
    // A fresh topic: each partition's offsets are 0, 1, 2, ... with no gap.
    EXPECT_EQ(*seen.begin(), 0) << "partition " << partition;
    EXPECT_EQ(*seen.rbegin(), static_cast<std::int64_t>(seen.size()) - 1)
        << "partition " << partition;
  }
  // Every record written counts as sent, as on RabbitMQ (each attempt counts).
  const MetricsSnapshot stats = client.stats();
  EXPECT_GE(stats.sent, 200U);
  EXPECT_EQ(stats.sent, 200U + stats.retried);
  EXPECT_GT(stats.bytes_sent, 0U);
}

TEST_F(Kafka, a_partition_read_delivers_what_was_sent_with_its_position) {
  Client client = connect();
  const std::string name = topic(client, 3);
  std::vector<Message> sent;
  for (int i = 0; i < 60; ++i) {
    Message message;
    message.key = i % 2 == 0 ? "even" : "";
    message.body =
        testing::random_bytes(static_cast<std::size_t>(i) * 7, static_cast<std::uint32_t>(i));
    message.headers = {{"n", std::to_string(i)}, {"binary", std::string("\0\x01\xff", 3)}};
    message.content_type = "application/octet-stream";
    sent.push_back(message);
  }
  Producer producer = client.producer();
  std::map<std::string, Position> where;
  for (auto& message : sent) message.id = producer.send(name, message);
  for (const auto& report : testing::await_reports(client, sent.size(), 60s)) {
    ASSERT_TRUE(report.error.is_ok()) << report.error.to_string();
    where[report.id] = report.position;
  }

  Consumer consumer = client.subscribe(name);
  auto deliveries = testing::receive(consumer, sent.size(), 30s);
  ASSERT_EQ(deliveries.size(), sent.size());
  std::map<std::int32_t, std::int64_t> last_offset;
  for (auto& delivery : deliveries) {
    const Message& got = delivery.message();
    const auto match = std::ranges::find_if(sent, [&](const Message& m) { return m.id == got.id; });
    ASSERT_NE(match, sent.end()) << "unexpected id " << got.id;
    EXPECT_TRUE(got.body == match->body);
    EXPECT_EQ(got.key, match->key);
    EXPECT_EQ(got.content_type, match->content_type);
    EXPECT_TRUE(testing::same_headers(testing::application_headers(got), match->headers));
    const Position& position = delivery.position();
    ASSERT_TRUE(position.partition && position.offset);
    EXPECT_EQ(*position.partition, *where.at(got.id).partition);
    EXPECT_EQ(*position.offset, *where.at(got.id).offset);
    EXPECT_TRUE(position.broker_timestamp.has_value());
    // Each partition's messages arrive in offset order.
    const auto previous = last_offset.find(*position.partition);
    if (previous != last_offset.end()) {
      EXPECT_GT(*position.offset, previous->second);
    }
    last_offset[*position.partition] = *position.offset;
    EXPECT_EQ(delivery.source(), name);
    delivery.ack();
  }
}

TEST_F(Kafka, a_read_starts_at_latest_or_at_an_offset_when_asked) {
  Client client = connect();
  const std::string name = topic(client, 1);
  std::vector<Message> first(5);
  for (std::size_t i = 0; i < first.size(); ++i) first[i].body = "before " + std::to_string(i);
  testing::send_confirmed(client, name, first);

  SubscribeOptions latest;
  latest.settings = {{"start", "latest"}};
  Consumer from_latest = client.subscribe(name, latest);
  SubscribeOptions at_three;
  at_three.settings = {{"start.offset", "3"}, {"partitions", "0"}};
  Consumer from_three = client.subscribe(name, at_three);

  Message after;
  after.body = "after";
  testing::send_confirmed(client, name, {after});

  auto got = testing::receive(from_latest, 1, 30s);
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].message().body, "after");
  testing::expect_no_delivery(from_latest, 500ms, "a read from latest");

  auto tail = testing::receive(from_three, 3, 30s);
  ASSERT_EQ(tail.size(), 3U);
  EXPECT_EQ(tail[0].message().body, "before 3");
  EXPECT_EQ(tail[1].message().body, "before 4");
  EXPECT_EQ(tail[2].message().body, "after");
}

TEST_F(Kafka, declaring_a_topic_again_with_another_partition_count_is_refused) {
  Client client = connect();
  const std::string name = topic(client, 2);
  QueueSpec same;
  same.name = name;
  same.settings = {{"partitions", "2"}};
  EXPECT_NO_THROW(client.declare_queue(same));
  QueueSpec other = same;
  other.settings = {{"partitions", "5"}};
  try {
    client.declare_queue(other);
    ADD_FAILURE() << "a different partition count was accepted";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::precondition_failed) << e.what();
    EXPECT_NE(std::string(e.what()).find("2 partitions"), std::string::npos) << e.what();
  }
  QueueSpec bad = same;
  bad.settings = {{"partitons", "2"}};
  try {
    client.declare_queue(bad);
    ADD_FAILURE() << "a misspelt option was accepted";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_NE(std::string(e.what()).find("partitons"), std::string::npos) << e.what();
  }
}

TEST_F(Kafka, sending_to_a_topic_that_does_not_exist_fails_naming_it) {
  Client client = connect();
  const std::string missing = testing::unique_name("missing");
  Message message;
  message.body = "nowhere";
  client.producer().send(missing, message);
  const auto reports = testing::await_reports(client, 1, 60s);
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(reports[0].error.code(), ErrorCode::not_found) << reports[0].error.to_string();
  EXPECT_NE(reports[0].error.message().find(missing), std::string::npos)
      << reports[0].error.message();
  EXPECT_THROW((void)client.subscribe(missing), Exception);
}

TEST_F(Kafka, an_invalid_topic_name_is_refused_naming_it) {
  Client client = connect();
  Message message;
  message.body = "x";
  const std::vector<std::string> names = {"has space", "slash/ed", std::string(250, 'a'), ".."};
  for (const std::string& bad : names) {
    try {
      (void)client.producer().send(bad, message);
      ADD_FAILURE() << "sent to '" << bad << "'";
    } catch (const Exception& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
    QueueSpec spec;
    spec.name = bad;
    EXPECT_THROW(client.declare_queue(spec), Exception) << bad;
  }
}

TEST_F(Kafka, purge_deletes_every_record_and_says_how_many) {
  Client client = connect();
  const std::string name = topic(client, 2);
  std::vector<Message> messages(25);
  for (std::size_t i = 0; i < messages.size(); ++i) messages[i].body = std::to_string(i);
  testing::send_confirmed(client, name, messages);
  EXPECT_EQ(client.purge_queue(name), 25U);
  Consumer consumer = client.subscribe(name);
  testing::expect_no_delivery(consumer, 1s, "a purged topic");
  QueueSpec spec;
  spec.name = name;
  EXPECT_EQ(client.declare_queue(spec).message_count, 0U);
}

TEST_F(Kafka, priorities_and_ttls_are_refused_rather_than_dropped) {
  Client client = connect();
  const std::string name = topic(client, 1);
  EXPECT_FALSE(client.capabilities().priorities);
  Message prioritised;
  prioritised.priority = 5;
  EXPECT_THROW((void)client.producer().send(name, prioritised), Exception);
  Message expiring;
  expiring.ttl = 1000ms;
  try {
    (void)client.producer().send(name, expiring);
    ADD_FAILURE() << "a TTL was accepted";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_supported);
  }
}

TEST_F(Kafka, logs_in_with_each_sasl_mechanism) {
  const std::string url = with_login(testing::required_env("POSTWIRE_TEST_KAFKA_SASL_URL"),
                                     testing::required_env("POSTWIRE_TEST_KAFKA_SASL_USER"),
                                     testing::required_env("POSTWIRE_TEST_KAFKA_SASL_PASSWORD"));
  for (const char* mechanism : {"plain", "scram-sha-256", "scram-sha-512"}) {
    SCOPED_TRACE(mechanism);
    Client client = Client::connect(url, testing::make_config({{"sasl.mechanism", mechanism}}));
    round_trip(client);
  }
}

TEST_F(Kafka, a_wrong_password_is_refused_without_showing_it) {
  const std::string url =
      with_login(testing::required_env("POSTWIRE_TEST_KAFKA_SASL_URL"),
                 testing::required_env("POSTWIRE_TEST_KAFKA_SASL_USER"), "not-the-password");
  for (const char* mechanism : {"plain", "scram-sha-256", "scram-sha-512"}) {
    SCOPED_TRACE(mechanism);
    try {
      Client client = Client::connect(url, testing::make_config({{"sasl.mechanism", mechanism}}));
      ADD_FAILURE() << "logged in with a wrong password";
    } catch (const Exception& e) {
      EXPECT_EQ(e.code(), ErrorCode::authentication_failed) << e.what();
      EXPECT_EQ(std::string(e.what()).find("not-the-password"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("postwire"), std::string::npos)
          << "names the user: " << e.what();
    }
  }
}

TEST_F(Kafka, tls_verifies_the_broker_and_refuses_another_ca) {
  const std::string url = with_login(testing::required_env("POSTWIRE_TEST_KAFKA_TLS_URL"),
                                     testing::required_env("POSTWIRE_TEST_KAFKA_SASL_USER"),
                                     testing::required_env("POSTWIRE_TEST_KAFKA_SASL_PASSWORD"));
  {
    Client client = Client::connect(
        url, testing::make_config(
                 {{"sasl.mechanism", "scram-sha-512"},
                  {"tls.ca.location", testing::required_env("POSTWIRE_TEST_KAFKA_TLS_CA")}}));
    round_trip(client);
  }
  try {
    Client client = Client::connect(
        url, testing::make_config(
                 {{"sasl.mechanism", "scram-sha-512"},
                  {"tls.ca.location", testing::required_env("POSTWIRE_TEST_KAFKA_OTHER_CA")}}));
    ADD_FAILURE() << "a broker signed by another CA was trusted";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::tls_certificate_rejected) << e.what();
  }
}

}  // namespace
}  // namespace postwire
