#include <algorithm>
#include <bit>
#include <cmath>

#include "client/metrics.hpp"

namespace postwire::client {
namespace {

// The bucket's representative value: its midpoint, so that the error is at most half a
// bucket, but never above the exact maximum.
std::chrono::nanoseconds representative(std::size_t bucket, std::chrono::nanoseconds max) {
  const std::uint64_t low = LatencyHistogram::bucket_low(bucket);
  const std::uint64_t high = LatencyHistogram::bucket_high(bucket);
  // In nanoseconds: (low + high + 1) / 2 microseconds without losing the half.
  const auto mid = std::chrono::nanoseconds(static_cast<std::int64_t>((low + high + 1) * 500));
  return std::min(mid, max);
}

}  // namespace

std::size_t LatencyHistogram::bucket_of(std::uint64_t micros) noexcept {
  if (micros < sub_buckets) {
    return static_cast<std::size_t>(micros);
  }
  const auto top = static_cast<unsigned>(std::bit_width(micros) - 1);
  if (top > max_bit) {
    return bucket_count - 1;
  }
  // Within the power of two [2^top, 2^(top+1)), the next sub_bucket_bits bits pick the bucket.
  const unsigned shift = top - sub_bucket_bits;
  const std::uint64_t sub = (micros >> shift) - sub_buckets;
  return static_cast<std::size_t>(sub_buckets * (shift + 1) + sub);
}

std::uint64_t LatencyHistogram::bucket_low(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) {
    return bucket;
  }
  const std::uint64_t shift = bucket / sub_buckets - 1;
  const std::uint64_t sub = bucket % sub_buckets;
  return (sub_buckets + sub) << shift;
}

std::uint64_t LatencyHistogram::bucket_high(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) {
    return bucket;
  }
  const std::uint64_t shift = bucket / sub_buckets - 1;
  return bucket_low(bucket) + (std::uint64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) noexcept {
  const std::int64_t ns = std::max<std::int64_t>(latency.count(), 0);
  const auto micros = static_cast<std::uint64_t>(ns / 1000);
  buckets_[bucket_of(micros)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
  std::int64_t current = max_ns_.load(std::memory_order_relaxed);
  while (ns > current && !max_ns_.compare_exchange_weak(current, ns, std::memory_order_relaxed)) {
  }
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const {
  std::array<std::uint64_t, bucket_count> counts{};
  Snapshot result;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    counts[i] = buckets_[i].load(std::memory_order_relaxed);
    result.count += counts[i];
  }
  if (result.count == 0) {
    return result;
  }
  result.max = std::chrono::nanoseconds(max_ns_.load(std::memory_order_relaxed));
  result.mean_us = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) /
                   static_cast<double>(result.count) / 1000.0;

  // The value at quantile q is that of the ceil(q * count)-th smallest recording; walking
  // the buckets once serves every quantile, since they come in increasing order.
  struct Target {
    double quantile;
    std::chrono::nanoseconds* out;
  };
  const std::array<Target, 4> targets{
      {{0.5, &result.p50}, {0.9, &result.p90}, {0.99, &result.p99}, {0.999, &result.p999}}};
  std::size_t next = 0;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count && next < targets.size(); ++i) {
    seen += counts[i];
    while (next < targets.size()) {
      const auto rank = static_cast<std::uint64_t>(
          std::ceil(targets[next].quantile * static_cast<double>(result.count)));
      if (seen < std::max<std::uint64_t>(rank, 1)) {
        break;
      }
      *targets[next].out = representative(i, result.max);
      ++next;
    }
  }
  return result;
}

}  // namespace postwire::client
