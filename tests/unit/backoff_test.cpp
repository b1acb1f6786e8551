#include "runtime/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

namespace postwire::runtime {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesUpToTheCap) {
  const Backoff backoff(milliseconds(100), milliseconds(1000));
  EXPECT_EQ(backoff.ceiling(0), milliseconds(100));
  EXPECT_EQ(backoff.ceiling(1), milliseconds(200));
  EXPECT_EQ(backoff.ceiling(3), milliseconds(800));
  EXPECT_EQ(backoff.ceiling(4), milliseconds(1000));
  EXPECT_EQ(backoff.ceiling(4'000'000'000U), milliseconds(1000)) << "no overflow";
}

TEST(Backoff, FullJitterSpansZeroToTheCeiling) {
  const Backoff backoff(milliseconds(100), milliseconds(1000));
  EXPECT_EQ(backoff.delay(2, 0.0), milliseconds(0));
  EXPECT_EQ(backoff.delay(2, 0.5), milliseconds(200));
  EXPECT_EQ(backoff.delay(2, 0.999999), milliseconds(400));
  EXPECT_EQ(backoff.delay(2, 7.0), milliseconds(400)) << "out-of-range draws are clamped";
}

TEST(Backoff, RandomDelaysStayInBoundsAndVary) {
  const Backoff backoff(milliseconds(10), milliseconds(50));
  std::set<long> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto delay = backoff.delay(10);
    ASSERT_GE(delay.count(), 0);
    ASSERT_LE(delay.count(), 50);
    seen.insert(static_cast<long>(delay.count()));
  }
  EXPECT_GT(seen.size(), 20U) << "delays should be spread, not fixed";
}

TEST(Backoff, ReadsItsConfiguration) {
  Config config;
  ASSERT_FALSE(config.set("retry.backoff.ms", "50"));
  ASSERT_FALSE(config.set("retry.backoff.max.ms", "120"));
  const Backoff backoff(config);
  EXPECT_EQ(backoff.ceiling(0), milliseconds(50));
  EXPECT_EQ(backoff.ceiling(5), milliseconds(120));
}

TEST(Backoff, ACapBelowTheBaseIsRaisedToTheBase) {
  const Backoff backoff(milliseconds(500), milliseconds(100));
  EXPECT_EQ(backoff.ceiling(3), milliseconds(500));
}

}  // namespace
}  // namespace postwire::runtime
