#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "postwire/metrics.hpp"

namespace postwire::client {

// A monotonic counter any thread may bump. Relaxed atomics: a counter orders nothing else.
class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A level that goes up and down (messages in flight, bytes buffered).
class Gauge {
 public:
  void add(std::int64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  void sub(std::int64_t n = 1) noexcept { value_.fetch_sub(n, std::memory_order_relaxed); }
  void set(std::int64_t n) noexcept { value_.store(n, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::int64_t> value_{0};
};

// A latency histogram with fixed memory (about 6 KiB) and lock-free recording from any
// thread. Buckets are log-linear over microseconds: exact below 32 us, then 32 buckets per
// power of two up to 2^27 us (about 134 s), so a percentile is off by at most about 3%.
// Shorter latencies count as 0 us, longer ones land in the last bucket; the maximum and the
// mean are exact.
class LatencyHistogram {
 public:
  using Snapshot = LatencySnapshot;

  static constexpr unsigned sub_bucket_bits = 5;
  static constexpr std::uint64_t sub_buckets = std::uint64_t{1} << sub_bucket_bits;
  static constexpr unsigned max_bit = 26;  // the highest bit of the largest bucketed value
  static constexpr std::size_t bucket_count = sub_buckets * (max_bit - sub_bucket_bits + 2);

  void record(std::chrono::nanoseconds latency) noexcept;
  [[nodiscard]] Snapshot snapshot() const;

  // The bucket a latency of `micros` falls in, and the range of microseconds a bucket holds
  // (both ends included). Exposed for tests.
  [[nodiscard]] static std::size_t bucket_of(std::uint64_t micros) noexcept;
  [[nodiscard]] static std::uint64_t bucket_low(std::size_t bucket) noexcept;
  [[nodiscard]] static std::uint64_t bucket_high(std::size_t bucket) noexcept;

 private:
  std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
  std::atomic<std::int64_t> max_ns_{0};
};

// The live counters of one client. The producer, consumer and IO threads update them; the
// application reads them through snapshot().
class Metrics {
 public:
  Counter sent;
  Counter confirmed;
  Counter failed;
  Counter retried;
  Counter returned;
  Counter received;
  Counter acked;
  Counter nacked;
  Counter redelivered;
  Counter dead_lettered;
  Counter deduplicated;
  Counter bytes_sent;
  Counter bytes_received;
  Counter compressed;
  Counter events_dropped;
  Gauge in_flight;
  Gauge buffered_messages;
  Gauge buffered_bytes;
  Gauge consumer_buffered;
  LatencyHistogram send_to_confirm;

  [[nodiscard]] MetricsSnapshot snapshot() const;
};

}  // namespace postwire::client
