#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "runtime/backoff.hpp"

namespace postwire::client {

// When the producer retries a message whose send failed retriably. Delays come from the
// runtime Backoff (exponential, full jitter); the delivery timeout bounds the whole life of a
// message, from its first send to its final outcome, however many attempts that takes.
class RetryPolicy {
 public:
  using Clock = std::chrono::steady_clock;

  // `backoff` and `backoff_max` as for runtime::Backoff (retry.backoff.ms,
  // retry.backoff.max.ms); a negative delivery timeout counts as zero.
  RetryPolicy(std::chrono::milliseconds backoff, std::chrono::milliseconds backoff_max,
              std::chrono::milliseconds delivery_timeout);

  // After attempt number `attempts` (1 for the first send) of a message first sent at
  // `first_sent` failed at `now`: when to try again, or nothing to give up. A retry is only
  // scheduled if it starts before the delivery timeout runs out; otherwise the message fails
  // now rather than after a wait that cannot help.
  [[nodiscard]] std::optional<Clock::time_point> next_attempt(Clock::time_point first_sent,
                                                              std::uint32_t attempts,
                                                              Clock::time_point now) const;
  // The same with the jitter drawn as `unit` in [0, 1) (see Backoff::delay), for tests.
  [[nodiscard]] std::optional<Clock::time_point> next_attempt(Clock::time_point first_sent,
                                                              std::uint32_t attempts,
                                                              Clock::time_point now,
                                                              double unit) const noexcept;

  // Whether the delivery timeout of a message first sent at `first_sent` has run out.
  [[nodiscard]] bool expired(Clock::time_point first_sent, Clock::time_point now) const noexcept;
  // When it runs out.
  [[nodiscard]] Clock::time_point deadline(Clock::time_point first_sent) const noexcept;

  [[nodiscard]] const runtime::Backoff& backoff() const noexcept { return backoff_; }
  [[nodiscard]] std::chrono::milliseconds delivery_timeout() const noexcept {
    return delivery_timeout_;
  }

 private:
  [[nodiscard]] std::optional<Clock::time_point> schedule(
      Clock::time_point first_sent, Clock::time_point now,
      std::chrono::milliseconds delay) const noexcept;

  runtime::Backoff backoff_;
  std::chrono::milliseconds delivery_timeout_;
};

}  // namespace postwire::client
