#include "client/retry_policy.hpp"

#include <algorithm>

namespace postwire::client {
namespace {

// A bound far beyond any sensible delivery timeout that keeps deadline arithmetic on
// steady_clock's nanoseconds clear of overflow.
constexpr std::chrono::milliseconds max_delivery_timeout = std::chrono::hours(24 * 365 * 100);

// Attempt n failed, so this is retry n - 1 for the Backoff (0 for the first retry).
unsigned retry_index(std::uint32_t attempts) noexcept { return attempts > 0 ? attempts - 1 : 0; }

}  // namespace

RetryPolicy::RetryPolicy(std::chrono::milliseconds backoff, std::chrono::milliseconds backoff_max,
                         std::chrono::milliseconds delivery_timeout)
    : backoff_(backoff, backoff_max),
      delivery_timeout_(
          std::clamp(delivery_timeout, std::chrono::milliseconds(0), max_delivery_timeout)) {}

std::optional<RetryPolicy::Clock::time_point> RetryPolicy::next_attempt(
    Clock::time_point first_sent, std::uint32_t attempts, Clock::time_point now) const {
  if (expired(first_sent, now)) {
    return std::nullopt;  // no need to draw a delay
  }
  return schedule(first_sent, now, backoff_.delay(retry_index(attempts)));
}

std::optional<RetryPolicy::Clock::time_point> RetryPolicy::next_attempt(
    Clock::time_point first_sent, std::uint32_t attempts, Clock::time_point now,
    double unit) const noexcept {
  return schedule(first_sent, now, backoff_.delay(retry_index(attempts), unit));
}

bool RetryPolicy::expired(Clock::time_point first_sent, Clock::time_point now) const noexcept {
  return now >= deadline(first_sent);
}

RetryPolicy::Clock::time_point RetryPolicy::deadline(Clock::time_point first_sent) const noexcept {
  return first_sent + delivery_timeout_;
}

std::optional<RetryPolicy::Clock::time_point> RetryPolicy::schedule(
    Clock::time_point first_sent, Clock::time_point now,
    std::chrono::milliseconds delay) const noexcept {
  const Clock::time_point next = now + delay;
  if (next >= deadline(first_sent)) {
    return std::nullopt;
  }
  return next;
}

}  // namespace postwire::client
