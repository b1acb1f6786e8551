#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "postwire/config.hpp"

namespace postwire::runtime {

// A client-wide token bucket that limits retries, as the AWS SDKs' "standard" retry mode
// does: a retry spends `retry_cost` tokens (`timeout_cost` after a timeout) and is refused
// when the bucket cannot pay; a successful retry refunds its cost and any other success adds
// one token, up to the capacity. While a broker keeps failing, retries dry up instead of
// multiplying the load. Thread-safe and lock-free.
class RetryBudget {
 public:
  // What a granted retry cost, to refund on success.
  struct Ticket {
    std::int64_t cost = 0;
  };

  RetryBudget(std::int64_t capacity, std::int64_t retry_cost, std::int64_t timeout_cost);
  // From retry.budget.capacity, retry.budget.retry.cost and retry.budget.timeout.cost.
  explicit RetryBudget(const Config& config);

  // Spends tokens for one retry; nothing when the budget cannot pay (do not retry).
  [[nodiscard]] std::optional<Ticket> try_acquire(bool after_timeout) noexcept;
  // An operation succeeded: on a retry, pass its ticket to refund the cost.
  void record_success(std::optional<Ticket> retry_ticket = std::nullopt) noexcept;

  [[nodiscard]] std::int64_t available() const noexcept {
    return tokens_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::int64_t capacity() const noexcept { return capacity_; }

 private:
  void refund(std::int64_t amount) noexcept;

  const std::int64_t capacity_;
  const std::int64_t retry_cost_;
  const std::int64_t timeout_cost_;
  std::atomic<std::int64_t> tokens_;
};

}  // namespace postwire::runtime
