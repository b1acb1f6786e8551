#include "runtime/retry_budget.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace postwire::runtime {
namespace {

TEST(RetryBudget, DefaultsMatchTheStandardRetryMode) {
  RetryBudget budget{Config{}};
  EXPECT_EQ(budget.capacity(), 500);
  // 500 tokens at 5 per retry: exactly 100 retries, then none.
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(budget.try_acquire(false).has_value()) << i;
  }
  EXPECT_FALSE(budget.try_acquire(false).has_value());
  EXPECT_EQ(budget.available(), 0);
}

TEST(RetryBudget, TimeoutsCostMore) {
  RetryBudget budget(30, 5, 10);
  EXPECT_EQ(budget.try_acquire(true)->cost, 10);
  EXPECT_EQ(budget.try_acquire(false)->cost, 5);
  EXPECT_EQ(budget.available(), 15);
  EXPECT_TRUE(budget.try_acquire(true));
  EXPECT_FALSE(budget.try_acquire(true)) << "5 tokens left cannot pay 10";
  EXPECT_TRUE(budget.try_acquire(false));
}

TEST(RetryBudget, SuccessesRefillUpToTheCapacity) {
  RetryBudget budget(20, 5, 10);
  auto ticket = budget.try_acquire(true);
  ASSERT_TRUE(ticket);
  EXPECT_EQ(budget.available(), 10);
  budget.record_success(ticket);  // a successful retry refunds its cost
  EXPECT_EQ(budget.available(), 20);
  budget.record_success();  // already full: stays at the capacity
  EXPECT_EQ(budget.available(), 20);
  static_cast<void>(budget.try_acquire(false));
  budget.record_success();  // a first-try success adds one token
  EXPECT_EQ(budget.available(), 16);
}

TEST(RetryBudget, ZeroCapacityDisablesRetries) {
  RetryBudget budget(0, 5, 10);
  EXPECT_FALSE(budget.try_acquire(false));
}

TEST(RetryBudget, ConcurrentCallersNeverOverspend) {
  RetryBudget budget(1000, 5, 10);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (budget.try_acquire(false)) {
          ++granted;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(granted.load(), 200);
  EXPECT_EQ(budget.available(), 0);
}

}  // namespace
}  // namespace postwire::runtime
