#include <gtest/gtest.h>

#include "client/retry_policy.hpp"

namespace postwire::client {
namespace {

using std::chrono::milliseconds;
using Clock = RetryPolicy::Clock;

const Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1);

TEST(ClientRetryPolicy, DelaysGrowWithTheAttemptUpToTheCap) {
  const RetryPolicy policy(milliseconds(100), milliseconds(1000), milliseconds(60'000));
  EXPECT_EQ(policy.next_attempt(t0, 1, t0, 0.0), t0) << "full jitter may retry at once";
  EXPECT_EQ(policy.next_attempt(t0, 1, t0, 0.999999), t0 + milliseconds(100));
  EXPECT_EQ(policy.next_attempt(t0, 2, t0, 0.999999), t0 + milliseconds(200));
  EXPECT_EQ(policy.next_attempt(t0, 4, t0, 0.999999), t0 + milliseconds(800));
  EXPECT_EQ(policy.next_attempt(t0, 50, t0, 0.999999), t0 + milliseconds(1000));
  EXPECT_EQ(policy.next_attempt(t0, 0, t0, 0.999999), t0 + milliseconds(100))
      << "attempt 0 is read as the first";
}

TEST(ClientRetryPolicy, RandomDelaysStayWithinTheBackoffCeiling) {
  const RetryPolicy policy(milliseconds(10), milliseconds(500), milliseconds(60'000));
  const Clock::time_point now = t0 + milliseconds(1234);
  for (std::uint32_t attempts = 1; attempts < 12; ++attempts) {
    const auto ceiling = policy.backoff().ceiling(attempts - 1);
    for (int i = 0; i < 200; ++i) {
      const auto next = policy.next_attempt(t0, attempts, now);
      ASSERT_TRUE(next);
      ASSERT_GE(*next, now);
      ASSERT_LE(*next, now + ceiling);
    }
  }
}

TEST(ClientRetryPolicy, GivesUpOnceTheDeliveryTimeoutIsSpent) {
  const RetryPolicy policy(milliseconds(100), milliseconds(1000), milliseconds(5000));
  EXPECT_EQ(policy.deadline(t0), t0 + milliseconds(5000));
  EXPECT_FALSE(policy.expired(t0, t0 + milliseconds(4999)));
  EXPECT_TRUE(policy.expired(t0, t0 + milliseconds(5000)));

  EXPECT_EQ(policy.next_attempt(t0, 3, t0 + milliseconds(5000)), std::nullopt);
  EXPECT_EQ(policy.next_attempt(t0, 3, t0 + milliseconds(9000)), std::nullopt);
  EXPECT_EQ(policy.next_attempt(t0, 3, t0 + milliseconds(5000), 0.0), std::nullopt);
}

TEST(ClientRetryPolicy, ARetryThatCouldNotStartInTimeIsNotScheduled) {
  const RetryPolicy policy(milliseconds(100), milliseconds(1000), milliseconds(5000));
  const Clock::time_point now = t0 + milliseconds(4500);
  EXPECT_EQ(policy.next_attempt(t0, 10, now, 0.999999), std::nullopt) << "would start at 5.5 s";
  EXPECT_EQ(policy.next_attempt(t0, 10, now, 0.4), now + milliseconds(400));
  EXPECT_EQ(policy.next_attempt(t0, 10, now, 0.5), std::nullopt) << "would start at 5.0 s";
}

TEST(ClientRetryPolicy, ZeroOrNegativeDeliveryTimeoutNeverRetries) {
  for (const auto timeout : {milliseconds(0), milliseconds(-5)}) {
    const RetryPolicy policy(milliseconds(100), milliseconds(1000), timeout);
    EXPECT_EQ(policy.delivery_timeout(), milliseconds(0));
    EXPECT_TRUE(policy.expired(t0, t0));
    EXPECT_EQ(policy.next_attempt(t0, 1, t0, 0.0), std::nullopt);
  }
}

TEST(ClientRetryPolicy, HugeDeliveryTimeoutDoesNotOverflow) {
  const RetryPolicy policy(milliseconds(100), milliseconds(1000), milliseconds::max());
  EXPECT_GT(policy.deadline(t0), t0 + std::chrono::hours(24 * 365));
  EXPECT_FALSE(policy.expired(t0, t0 + std::chrono::hours(24 * 365)));
  EXPECT_TRUE(policy.next_attempt(t0, 1, t0));
}

}  // namespace
}  // namespace postwire::client
