#pragma once

// Which partition a record goes to, as Kafka's Java producer decides (so that postwire and
// Java producers put the same key on the same partition):
//   - a keyed record: murmur2 of the key bytes, made positive, modulo the partition count
//     (BuiltInPartitioner.partitionForKey);
//   - a keyless record: the built-in "sticky" partitioner of Kafka 3.3+ (KIP-794) with
//     adaptive partitioning off: one partition takes every keyless record until batch.size
//     bytes went to it, then another is drawn uniformly at random, among the partitions that
//     have a leader when the caller knows which do.

#include <cstddef>
#include <cstdint>
#include <span>

namespace postwire::kafka {

// Exactly Java's org.apache.kafka.common.utils.Utils.murmur2 (seed 0x9747b28c), signed
// result included.
[[nodiscard]] std::int32_t murmur2(std::span<const std::uint8_t> key) noexcept;

// (murmur2(key) & 0x7fffffff) % partitions. Throws Exception(invalid_argument) unless
// partitions > 0.
[[nodiscard]] std::int32_t partition_for_key(std::span<const std::uint8_t> key,
                                             std::int32_t partitions);

// The sticky choice for keyless records of ONE topic. Not thread-safe: the caller holds it
// with the topic's other producer state.
class StickyPartitioner {
 public:
  // `batch_size` is the producer's batch.size (> 0; Java rejects less); `seed` makes the
  // random draws repeatable.
  StickyPartitioner(std::size_t batch_size, std::uint64_t seed);

  // The partition for the next keyless record of a topic with `partitions` partitions
  // (> 0). `available` lists the partitions that have a leader now; when it is not empty the
  // next draw is among those only. The choice stays until on_appended() has seen batch_size
  // bytes go to it (or the topic no longer has that partition).
  std::int32_t partition(std::int32_t partitions, std::span<const std::int32_t> available);

  // Records that `bytes` were appended to `partition`; once the current sticky partition has
  // taken batch_size bytes, the next partition() call draws a new one. Appends to other
  // partitions (keyed records) do not count.
  void on_appended(std::int32_t partition, std::size_t bytes) noexcept;

 private:
  std::uint32_t next_random() noexcept;

  std::size_t batch_size_;
  std::uint64_t state_;
  std::int32_t current_ = -1;  // -1: draw one at the next partition() call
  std::size_t produced_ = 0;
};

}  // namespace postwire::kafka
