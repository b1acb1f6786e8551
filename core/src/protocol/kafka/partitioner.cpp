#include "protocol/kafka/partitioner.hpp"

#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka {
namespace {

void check_partitions(std::int32_t partitions) {
  if (partitions <= 0) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka partitioner: a topic needs at least one partition, got " +
                        std::to_string(partitions));
  }
}

// Java's Utils.toPositive: clears the sign bit rather than negating, so that
// Integer.MIN_VALUE maps to 0.
std::int32_t to_positive(std::int32_t v) { return v & 0x7FFFFFFF; }

}  // namespace

std::int32_t murmur2(std::span<const std::uint8_t> key) noexcept {
  // The constants of Java's Utils.murmur2 (MurmurHash2 by Austin Appleby).
  constexpr std::uint32_t seed = 0x9747B28CU;
  constexpr std::uint32_t m = 0x5BD1E995U;
  constexpr unsigned r = 24;

  // Java works on int with wrapping arithmetic and unsigned shifts (>>>): uint32_t does the
  // same without signed overflow. The length enters as Java's int length.
  const std::size_t length = key.size();
  std::uint32_t h = seed ^ static_cast<std::uint32_t>(length);
  const std::size_t whole_words = length / 4;
  for (std::size_t i = 0; i < whole_words; ++i) {
    const std::uint8_t* p = key.data() + i * 4;
    std::uint32_t k = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8U) |
                      (std::uint32_t{p[2]} << 16U) | (std::uint32_t{p[3]} << 24U);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  // The last one to three bytes, falling through as Java's switch does.
  const std::uint8_t* tail = key.data() + whole_words * 4;
  switch (length % 4) {
    case 3:
      h ^= std::uint32_t{tail[2]} << 16U;
      [[fallthrough]];
    case 2:
      h ^= std::uint32_t{tail[1]} << 8U;
      [[fallthrough]];
    case 1:
      h ^= std::uint32_t{tail[0]};
      h *= m;
      break;
    default:
      break;
  }
  h ^= h >> 13U;
  h *= m;
  h ^= h >> 15U;
  return static_cast<std::int32_t>(h);
}

std::int32_t partition_for_key(std::span<const std::uint8_t> key, std::int32_t partitions) {
  check_partitions(partitions);
  return to_positive(murmur2(key)) % partitions;
}

StickyPartitioner::StickyPartitioner(std::size_t batch_size, std::uint64_t seed)
    : batch_size_(batch_size), state_(seed) {
  if (batch_size == 0) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka sticky partitioner: batch.size must be at least 1");
  }
}

std::int32_t StickyPartitioner::partition(std::int32_t partitions,
                                          std::span<const std::int32_t> available) {
  check_partitions(partitions);
  if (current_ >= 0 && current_ < partitions) {
    return current_;
  }
  // Java's BuiltInPartitioner.nextPartition without load statistics: a positive random int
  // modulo the number of candidates; the new choice may be the old one again.
  const auto random = static_cast<std::int32_t>(next_random() & 0x7FFFFFFFU);
  if (!available.empty()) {
    current_ = available[static_cast<std::size_t>(random) % available.size()];
  } else {
    current_ = random % partitions;
  }
  produced_ = 0;
  return current_;
}

void StickyPartitioner::on_appended(std::int32_t partition, std::size_t bytes) noexcept {
  if (partition != current_ || current_ < 0) {
    return;
  }
  produced_ += bytes;
  if (produced_ >= batch_size_) {
    current_ = -1;
  }
}

// SplitMix64: small, fast, and the same sequence on every platform for a given seed (which
// std::uniform_int_distribution does not promise).
std::uint32_t StickyPartitioner::next_random() noexcept {
  state_ += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return static_cast<std::uint32_t>((z ^ (z >> 31U)) >> 32U);
}

}  // namespace postwire::kafka
