#include "runtime/retry_budget.hpp"

#include <algorithm>

namespace postwire::runtime {

// Defaults of retry.budget.* (500 tokens, 5 per retry, 10 per retry after a timeout, 1 back
// per success) are the AWS SDKs' standard retry mode constants.
RetryBudget::RetryBudget(std::int64_t capacity, std::int64_t retry_cost, std::int64_t timeout_cost)
    : capacity_(std::max<std::int64_t>(capacity, 0)),
      retry_cost_(std::max<std::int64_t>(retry_cost, 1)),
      timeout_cost_(std::max<std::int64_t>(timeout_cost, 1)),
      tokens_(capacity_) {}

RetryBudget::RetryBudget(const Config& config)
    : RetryBudget(config.get_int("retry.budget.capacity"),
                  config.get_int("retry.budget.retry.cost"),
                  config.get_int("retry.budget.timeout.cost")) {}

std::optional<RetryBudget::Ticket> RetryBudget::try_acquire(bool after_timeout) noexcept {
  const std::int64_t cost = after_timeout ? timeout_cost_ : retry_cost_;
  std::int64_t current = tokens_.load(std::memory_order_relaxed);
  do {
    if (current < cost) {
      return std::nullopt;
    }
  } while (!tokens_.compare_exchange_weak(current, current - cost, std::memory_order_relaxed));
  return Ticket{cost};
}

void RetryBudget::record_success(std::optional<Ticket> retry_ticket) noexcept {
  refund(retry_ticket ? retry_ticket->cost : 1);
}

void RetryBudget::refund(std::int64_t amount) noexcept {
  std::int64_t current = tokens_.load(std::memory_order_relaxed);
  while (current < capacity_ &&
         !tokens_.compare_exchange_weak(current, std::min(capacity_, current + amount),
                                        std::memory_order_relaxed)) {
  }
}

}  // namespace postwire::runtime
