#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "client/metrics.hpp"

namespace postwire::client {
namespace {

using std::chrono::microseconds;
using std::chrono::nanoseconds;

// Whether `actual` is within `percent` of `expected`.
::testing::AssertionResult near(nanoseconds actual, microseconds expected, double percent) {
  const double want = static_cast<double>(nanoseconds(expected).count());
  const double error = std::abs(static_cast<double>(actual.count()) - want) / want * 100.0;
  if (error <= percent) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << actual.count() << " ns is " << error << "% off " << expected.count() << " us";
}

TEST(ClientLatencyHistogram, BucketsTileTheRangeWithoutGaps) {
  for (std::size_t b = 0; b < LatencyHistogram::bucket_count; ++b) {
    const std::uint64_t low = LatencyHistogram::bucket_low(b);
    const std::uint64_t high = LatencyHistogram::bucket_high(b);
    ASSERT_LE(low, high) << b;
    ASSERT_EQ(LatencyHistogram::bucket_of(low), b);
    ASSERT_EQ(LatencyHistogram::bucket_of(high), b);
    if (b + 1 < LatencyHistogram::bucket_count) {
      ASSERT_EQ(LatencyHistogram::bucket_low(b + 1), high + 1) << b;
    }
    // Log-linear: no bucket is wider than 1/32 of its lower bound (beyond the exact ones).
    if (low >= LatencyHistogram::sub_buckets) {
      ASSERT_LE((high - low + 1) * 32, low) << b;
    }
  }
  const std::uint64_t top = LatencyHistogram::bucket_high(LatencyHistogram::bucket_count - 1);
  EXPECT_GT(top, 100'000'000U) << "covers 100 s";
  EXPECT_EQ(LatencyHistogram::bucket_of(top * 1000), LatencyHistogram::bucket_count - 1);
}

TEST(ClientLatencyHistogram, EmptySnapshotIsAllZero) {
  const LatencyHistogram histogram;
  const auto s = histogram.snapshot();
  EXPECT_EQ(s.count, 0U);
  EXPECT_EQ(s.p50, nanoseconds(0));
  EXPECT_EQ(s.p999, nanoseconds(0));
  EXPECT_EQ(s.max, nanoseconds(0));
  EXPECT_EQ(s.mean_us, 0.0);
}

TEST(ClientLatencyHistogram, PercentilesOfAUniformSpread) {
  LatencyHistogram histogram;
  for (int us = 1; us <= 10'000; ++us) {
    histogram.record(microseconds(us));
  }
  const auto s = histogram.snapshot();
  EXPECT_EQ(s.count, 10'000U);
  EXPECT_TRUE(near(s.p50, microseconds(5000), 2.0));
  EXPECT_TRUE(near(s.p90, microseconds(9000), 2.0));
  EXPECT_TRUE(near(s.p99, microseconds(9900), 2.0));
  EXPECT_TRUE(near(s.p999, microseconds(9990), 2.0));
  EXPECT_EQ(s.max, microseconds(10'000)) << "exact";
  EXPECT_DOUBLE_EQ(s.mean_us, 5000.5);
}

TEST(ClientLatencyHistogram, PercentilesOfATail) {
  LatencyHistogram histogram;
  for (int i = 0; i < 990; ++i) {
    histogram.record(microseconds(200));
  }
  for (int i = 0; i < 9; ++i) {
    histogram.record(std::chrono::milliseconds(50));
  }
  histogram.record(std::chrono::seconds(2));
  const auto s = histogram.snapshot();
  EXPECT_TRUE(near(s.p50, microseconds(200), 2.0));
  EXPECT_TRUE(near(s.p90, microseconds(200), 2.0));
  EXPECT_TRUE(near(s.p99, microseconds(200), 2.0)) << "the 990th of 1000";
  EXPECT_TRUE(near(s.p999, microseconds(50'000), 2.0));
  EXPECT_EQ(s.max, std::chrono::seconds(2));
}

TEST(ClientLatencyHistogram, SmallValuesAreExactAndExtremesAreKept) {
  LatencyHistogram histogram;
  histogram.record(microseconds(5));
  EXPECT_EQ(histogram.snapshot().p50, microseconds(5)) << "never above the exact maximum";

  LatencyHistogram extremes;
  extremes.record(nanoseconds(-7));
  extremes.record(nanoseconds(300));
  extremes.record(std::chrono::hours(1));
  const auto s = extremes.snapshot();
  EXPECT_EQ(s.count, 3U);
  EXPECT_LT(s.p50, microseconds(1)) << "below 1 us and negative values count as 0 us";
  EXPECT_EQ(s.max, std::chrono::hours(1));
  EXPECT_LE(s.p999, s.max);
}

TEST(ClientMetrics, SnapshotCopiesEveryCounter) {
  Metrics metrics;
  std::uint64_t n = 1;
  for (Counter* counter : {&metrics.sent, &metrics.confirmed, &metrics.failed, &metrics.retried,
                           &metrics.returned, &metrics.received, &metrics.acked, &metrics.nacked,
                           &metrics.redelivered, &metrics.dead_lettered, &metrics.deduplicated,
                           &metrics.bytes_sent, &metrics.bytes_received, &metrics.compressed}) {
    counter->add(n++);
  }
  metrics.in_flight.add(5);
  metrics.in_flight.sub(2);
  metrics.buffered_messages.set(16);
  metrics.buffered_bytes.add(17);
  metrics.consumer_buffered.sub(18);
  metrics.send_to_confirm.record(microseconds(250));

  const MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.sent, 1U);
  EXPECT_EQ(s.confirmed, 2U);
  EXPECT_EQ(s.failed, 3U);
  EXPECT_EQ(s.retried, 4U);
  EXPECT_EQ(s.returned, 5U);
  EXPECT_EQ(s.received, 6U);
  EXPECT_EQ(s.acked, 7U);
  EXPECT_EQ(s.nacked, 8U);
  EXPECT_EQ(s.redelivered, 9U);
  EXPECT_EQ(s.dead_lettered, 10U);
  EXPECT_EQ(s.deduplicated, 11U);
  EXPECT_EQ(s.bytes_sent, 12U);
  EXPECT_EQ(s.bytes_received, 13U);
  EXPECT_EQ(s.compressed, 14U);
  EXPECT_EQ(s.in_flight, 3);
  EXPECT_EQ(s.buffered_messages, 16);
  EXPECT_EQ(s.buffered_bytes, 17);
  EXPECT_EQ(s.consumer_buffered, -18);
  EXPECT_EQ(s.send_to_confirm.count, 1U);
  EXPECT_EQ(s.send_to_confirm.max, microseconds(250));
}

TEST(ClientMetrics, JsonHasEveryFieldOnce) {
  MetricsSnapshot s;
  s.sent = 12;
  s.in_flight = -3;
  s.send_to_confirm.count = 2;
  s.send_to_confirm.p50 = nanoseconds(1'234'567);
  s.send_to_confirm.p90 = nanoseconds(1'000);
  s.send_to_confirm.p99 = nanoseconds(5);
  s.send_to_confirm.max = nanoseconds(2'000'000);
  s.send_to_confirm.mean_us = 1617.2835;
  const std::string json = s.to_json();

  for (const char* name : {"sent",
                           "confirmed",
                           "failed",
                           "retried",
                           "returned",
                           "received",
                           "acked",
                           "nacked",
                           "redelivered",
                           "dead_lettered",
                           "deduplicated",
                           "bytes_sent",
                           "bytes_received",
                           "compressed",
                           "events_dropped",
                           "in_flight",
                           "buffered_messages",
                           "buffered_bytes",
                           "consumer_buffered",
                           "waiting_sends",
                           "send_to_confirm_count",
                           "send_to_confirm_p50_us",
                           "send_to_confirm_p90_us",
                           "send_to_confirm_p99_us",
                           "send_to_confirm_p999_us",
                           "send_to_confirm_max_us",
                           "send_to_confirm_mean_us"}) {
    const std::string key = std::string("\"") + name + "\":";
    const auto at = json.find(key);
    ASSERT_NE(at, std::string::npos) << name << " in " << json;
    EXPECT_EQ(json.find(key, at + 1), std::string::npos) << name << " twice";
  }
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '}');
  EXPECT_EQ(json.find(",,"), std::string::npos);
  EXPECT_EQ(json.find(",}"), std::string::npos);
  EXPECT_EQ(json.find("{,"), std::string::npos);
  EXPECT_NE(json.find("{\"sent\":12,\"confirmed\":0,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"in_flight\":-3,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"send_to_confirm_p50_us\":1234.567,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"send_to_confirm_p90_us\":1.000,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"send_to_confirm_p99_us\":0.005,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"send_to_confirm_p999_us\":0.000,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"send_to_confirm_max_us\":2000.000,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"send_to_confirm_mean_us\":1617.284}"), std::string::npos) << json;
}

TEST(ClientMetrics, CountersAreExactUnderConcurrentUpdates) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50'000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.sent.add();
        metrics.bytes_sent.add(3);
        metrics.in_flight.add();
        metrics.send_to_confirm.record(microseconds(1 + (i % 1000) + t));
        metrics.in_flight.sub();
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  const MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.sent, std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(s.bytes_sent, std::uint64_t{3} * kThreads * kPerThread);
  EXPECT_EQ(s.in_flight, 0);
  EXPECT_EQ(s.send_to_confirm.count, std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(s.send_to_confirm.max, microseconds(1000 + kThreads - 1));
}

}  // namespace
}  // namespace postwire::client
