// Sending and receiving: bodies and envelope fields survive the trip, ids are assigned, order
// holds per key, nothing is lost or duplicated at volume, compression is transparent.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "conformance/scenario.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using testing::Scenario;

POSTWIRE_SCENARIO_SUITE(RoundTrip);
POSTWIRE_SCENARIO_SUITE(Ordering);
POSTWIRE_SCENARIO_SUITE(Volume);
POSTWIRE_SCENARIO_SUITE(Compression);

// A counter the client may or may not have: MetricsSnapshot::compressed.
template <typename Snapshot>
std::optional<std::uint64_t> compressed_count(const Snapshot& snapshot) {
  if constexpr (requires { snapshot.compressed; }) {
    return snapshot.compressed;
  } else {
    return std::nullopt;
  }
}

TEST_P(RoundTrip, binary_bodies) {
  Client client = connect(testing::make_config({{"message.max.bytes", "4194304"}}));
  const std::string queue = queue_name("roundtrip");
  declare_queue(client, queue);

  std::string large = testing::random_bytes(1U << 20U, 20240601);
  large[0] = '\0';
  large[large.size() / 2] = '\0';
  large[large.size() - 1] = '\0';
  const std::array<std::string, 3> bodies = {std::string(), std::string(1, '\0'), large};
  const std::string run = testing::unique_name("id");

  std::vector<Message> sent;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    Message message;
    message.body = bodies[i];
    // The first has no key and must arrive without one (not with the queue's name).
    message.key = i == 0 ? std::string() : "key-" + std::to_string(i);
    message.id = run + "-" + std::to_string(i);
    message.headers = {{"text", "value " + std::to_string(i)},
                       {"binary", std::string("\0\xff\x01", 3)},
                       {"empty", ""}};
    sent.push_back(message);
  }
  const auto ids = testing::send_confirmed(client, queue, sent);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(ids[i], sent[i].id) << "send() returns the given id";
  }

  Consumer consumer = client.subscribe(queue);
  auto deliveries = testing::receive(consumer, sent.size(), 30s);
  ASSERT_EQ(deliveries.size(), sent.size());
  std::set<std::string> seen;
  for (auto& delivery : deliveries) {
    const Message& got = delivery.message();
    const auto match = std::ranges::find_if(sent, [&](const Message& m) { return m.id == got.id; });
    ASSERT_NE(match, sent.end()) << "unexpected id " << got.id;
    EXPECT_TRUE(seen.insert(got.id).second) << "received twice: " << got.id;
    EXPECT_EQ(got.body.size(), match->body.size()) << got.id;
    EXPECT_TRUE(got.body == match->body) << "body of " << got.id << " differs";
    EXPECT_EQ(got.key, match->key);
    EXPECT_TRUE(testing::same_headers(testing::application_headers(got), match->headers))
        << "sent " << testing::describe(match->headers) << ", received "
        << testing::describe(got.headers);
    EXPECT_EQ(delivery.delivery_count(), 1U) << got.id;
    EXPECT_EQ(delivery.source(), queue);
    delivery.ack();
  }
  testing::expect_no_delivery(consumer, 500ms, "after the round trip");
}

TEST_P(RoundTrip, assigned_id_is_uuid7) {
  Client client = connect();
  const std::string queue = queue_name("uuid");
  declare_queue(client, queue);

  Producer producer = client.producer();
  Message message;
  message.body = "no id given";
  const std::string id = producer.send(queue, message, 7);
  ASSERT_EQ(id.size(), 36U) << id;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(id[i], '-') << id;
    } else {
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(id[i])) != 0) << id;
    }
  }
  EXPECT_EQ(id[14], '7') << "version nibble of " << id;
  EXPECT_NE(std::string("89abAB").find(id[19]), std::string::npos) << "variant of " << id;

  producer.flush(30s);
  const auto reports = testing::await_reports(client, 1, 30s);
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_FALSE(reports[0].error) << reports[0].error.to_string();
  EXPECT_EQ(reports[0].token, 7U);
  EXPECT_EQ(reports[0].id, id);

  Consumer consumer = client.subscribe(queue);
  auto delivery = consumer.poll(30s);
  ASSERT_TRUE(delivery.has_value());
  EXPECT_EQ(delivery->message().id, id);
  delivery->ack();
}

TEST_P(Ordering, per_key) {
  Client client = connect();
  const std::string queue = queue_name("order");
  declare_queue(client, queue);

  constexpr int keys = 3;
  constexpr int per_key = 300;
  std::vector<Message> messages;
  for (int i = 0; i < per_key; ++i) {
    for (int k = 0; k < keys; ++k) {
      Message message;
      message.key = "key-" + std::to_string(k);
      message.body = std::to_string(i);
      messages.push_back(std::move(message));
    }
  }
  testing::send_confirmed(client, queue, std::move(messages));

  Consumer consumer = client.subscribe(queue);
  std::map<std::string, std::vector<int>> received;
  // Acked as they arrive: more than the prefetch are outstanding otherwise.
  std::size_t total = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (total < static_cast<std::size_t>(keys * per_key) &&
         std::chrono::steady_clock::now() < deadline) {
    auto delivery = consumer.poll(500ms);
    if (!delivery) {
      continue;
    }
    received[delivery->message().key].push_back(std::stoi(delivery->message().body));
    delivery->ack();
    ++total;
  }
  ASSERT_EQ(total, static_cast<std::size_t>(keys * per_key));
  ASSERT_EQ(received.size(), static_cast<std::size_t>(keys));
  for (const auto& [key, sequence] : received) {
    ASSERT_EQ(sequence.size(), static_cast<std::size_t>(per_key)) << key;
    for (int i = 0; i < per_key; ++i) {
      ASSERT_EQ(sequence[static_cast<std::size_t>(i)], i) << "key " << key << ", position " << i;
    }
  }
}

TEST_P(Volume, ten_thousand_messages) {
  Client client = connect();
  const std::string queue = queue_name("volume");
  const QueueSpec spec = declare_queue(client, queue);

  constexpr int count = 10'000;
  Producer producer = client.producer();
  for (int i = 0; i < count; ++i) {
    Message message;
    message.body = "m" + std::to_string(i);
    message.headers = {{"seq", std::to_string(i)}};
    producer.send(queue, std::move(message), static_cast<std::uint64_t>(i));
  }
  producer.flush(120s);
  const auto reports = testing::await_reports(client, count, 120s);
  std::size_t failed = 0;
  for (const auto& report : reports) {
    if (report.error) {
      if (failed++ < 5) {
        ADD_FAILURE() << "report " << report.token << ": " << report.error.to_string();
      }
    }
  }
  EXPECT_EQ(failed, 0U);

  Consumer consumer = client.subscribe(queue);
  std::set<int> seen;
  std::size_t duplicates = 0;
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  std::vector<Delivery> batch;
  while (seen.size() < static_cast<std::size_t>(count) &&
         std::chrono::steady_clock::now() < deadline) {
    batch.clear();
    consumer.poll(batch, 500, 500ms);
    for (auto& delivery : batch) {
      const int seq = std::stoi(testing::header_or_fail(delivery.message(), "seq"));
      if (!seen.insert(seq).second) {
        ++duplicates;
      }
      delivery.ack();
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(count)) << "messages lost";
  EXPECT_EQ(duplicates, 0U) << "messages duplicated";
  testing::expect_no_delivery(consumer, 1s, "after all 10000");
  consumer.close();
  testing::expect_acked_messages_gone(client, spec);
  EXPECT_GE(client.stats().confirmed, static_cast<std::uint64_t>(count));
}

TEST_P(Compression, round_trip) {
  Client client = connect(testing::make_config({{"compression.codec", "zstd"}}));
  const std::string queue = queue_name("zstd");
  declare_queue(client, queue);

  std::string large;
  for (int i = 0; large.size() < 256U * 1024U; ++i) {
    large += "order " + std::to_string(i % 97) + " shipped to warehouse " + std::to_string(i % 13) +
             "; ";
  }
  large.resize(256U * 1024U);
  Message big;
  big.body = large;
  Message small;
  small.body = "tiny";
  const auto ids = testing::send_confirmed(client, queue, {big, small});
  ASSERT_EQ(ids.size(), 2U);

  Consumer consumer = client.subscribe(queue);
  auto deliveries = testing::receive(consumer, 2, 30s);
  ASSERT_EQ(deliveries.size(), 2U);
  for (auto& delivery : deliveries) {
    const std::string& expected = delivery.message().id == ids[0] ? large : small.body;
    EXPECT_EQ(delivery.message().body.size(), expected.size()) << delivery.message().id;
    EXPECT_TRUE(delivery.message().body == expected) << "body of " << delivery.message().id;
    delivery.ack();
  }
  if (const auto compressed = compressed_count(client.stats())) {
    EXPECT_GT(*compressed, 0U) << "stats().compressed";
  }
}

}  // namespace
}  // namespace postwire
