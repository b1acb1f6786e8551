#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "kafka_test_util.hpp"
#include "protocol/kafka/partitioner.hpp"

namespace postwire::kafka {
namespace {

using test::Bytes;
using test::expect_error;
using test::text;

// Kafka's UtilsTest.testMurmur2 (clients/src/test/java/org/apache/kafka/common/utils/
// UtilsTest.java), checked against apache/kafka at 1eb7644349cb: every value as listed there.
TEST(KafkaPartitioner, Murmur2MatchesJava) {
  const std::vector<std::pair<std::string_view, std::int32_t>> cases = {
      {"21", -973932308},
      {"foobar", -790332482},
      {"a-little-bit-long-string", -985981536},
      {"a-little-bit-longer-string", -1486304829},
      {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
      {"abc", 479470107},
  };
  for (const auto& [key, hash] : cases) {
    EXPECT_EQ(murmur2(text(key)), hash) << key;
  }
}

// Every tail length (0-3 bytes after the whole words) goes through its own branch.
TEST(KafkaPartitioner, Murmur2CoversEveryTailLength) {
  std::set<std::int32_t> hashes;
  const Bytes key = text("abcdefgh");
  for (std::size_t n = 0; n <= key.size(); ++n) {
    hashes.insert(murmur2(std::span<const std::uint8_t>(key).first(n)));
  }
  EXPECT_EQ(hashes.size(), key.size() + 1);
}

TEST(KafkaPartitioner, PartitionForKeyClearsTheSignBitAsJavaDoes) {
  // murmur2("foobar") is -790332482; Java's toPositive masks it to 1357151166 (abs() would
  // give 790332482 and another partition).
  EXPECT_EQ(partition_for_key(text("foobar"), 10), 1357151166 % 10);
  EXPECT_EQ(partition_for_key(text("foobar"), 7), 1357151166 % 7);
  EXPECT_EQ(partition_for_key(text("abc"), 12), 479470107 % 12);
  EXPECT_EQ(partition_for_key(text("21"), 1), 0);
}

TEST(KafkaPartitioner, PartitionForKeyNeedsPartitions) {
  expect_error(
      ErrorCode::invalid_argument, [] { static_cast<void>(partition_for_key(text("k"), 0)); },
      "at least one partition");
}

TEST(KafkaPartitioner, StickyStaysUntilBatchSizeBytesWentToThePartition) {
  StickyPartitioner sticky(1000, 1);
  const std::int32_t first = sticky.partition(1000, {});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sticky.partition(1000, {}), first);
    sticky.on_appended(first, 300);
  }
  EXPECT_EQ(sticky.partition(1000, {}), first);  // 900 bytes: not yet
  sticky.on_appended(first, 100);                // 1000: exactly batch.size switches
  // With 1000 partitions the new draw is almost surely another; the seed makes it certain.
  EXPECT_NE(sticky.partition(1000, {}), first);
}

TEST(KafkaPartitioner, StickyIgnoresAppendsToOtherPartitions) {
  StickyPartitioner sticky(100, 2);
  const std::int32_t first = sticky.partition(50, {});
  sticky.on_appended((first + 1) % 50, 10000);  // a keyed record elsewhere
  EXPECT_EQ(sticky.partition(50, {}), first);
}

// Draws switch with every batch.size bytes and are spread over all partitions.
TEST(KafkaPartitioner, StickyDrawsUniformly) {
  StickyPartitioner sticky(10, 3);
  std::map<std::int32_t, int> chosen;
  for (int batch = 0; batch < 8000; ++batch) {
    const std::int32_t p = sticky.partition(8, {});
    ASSERT_GE(p, 0);
    ASSERT_LT(p, 8);
    ++chosen[p];
    sticky.on_appended(p, 10);
  }
  ASSERT_EQ(chosen.size(), 8U);
  for (const auto& [partition, count] : chosen) {
    EXPECT_GT(count, 850) << "partition " << partition;  // 1000 expected
    EXPECT_LT(count, 1150) << "partition " << partition;
  }
}

TEST(KafkaPartitioner, StickyDrawsOnlyAmongAvailablePartitions) {
  StickyPartitioner sticky(1, 4);
  const std::int32_t available[] = {2, 5, 9};
  std::set<std::int32_t> chosen;
  for (int batch = 0; batch < 300; ++batch) {
    const std::int32_t p = sticky.partition(10, available);
    chosen.insert(p);
    sticky.on_appended(p, 1);
  }
  EXPECT_EQ(chosen, (std::set<std::int32_t>{2, 5, 9}));
}

TEST(KafkaPartitioner, StickyRedrawsWhenThePartitionCountNoLongerHoldsItsChoice) {
  StickyPartitioner sticky(1U << 20U, 5);
  std::int32_t p = sticky.partition(1000, {});
  for (int seed = 6; p < 1; ++seed) {  // make sure the choice is not partition 0
    sticky = StickyPartitioner(1U << 20U, static_cast<std::uint64_t>(seed));
    p = sticky.partition(1000, {});
  }
  EXPECT_EQ(sticky.partition(1, {}), 0);
}

std::vector<std::int32_t> sticky_sequence(std::uint64_t seed) {
  StickyPartitioner sticky(1, seed);
  std::vector<std::int32_t> sequence;
  for (int i = 0; i < 50; ++i) {
    sequence.push_back(sticky.partition(1000, {}));
    sticky.on_appended(sequence.back(), 1);
  }
  return sequence;
}

TEST(KafkaPartitioner, StickyIsRepeatableForASeed) {
  EXPECT_EQ(sticky_sequence(42), sticky_sequence(42));
  EXPECT_NE(sticky_sequence(42), sticky_sequence(43));
}

TEST(KafkaPartitioner, StickyNeedsABatchSize) {
  expect_error(
      ErrorCode::invalid_argument, [] { StickyPartitioner sticky(0, 1); }, "batch.size");
  StickyPartitioner sticky(1, 1);
  expect_error(
      ErrorCode::invalid_argument, [&] { static_cast<void>(sticky.partition(0, {})); },
      "at least one partition");
}

}  // namespace
}  // namespace postwire::kafka
