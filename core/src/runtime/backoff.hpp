#pragma once

#include <chrono>
#include <cstdint>

#include "postwire/config.hpp"

namespace postwire::runtime {

// Exponential backoff with full jitter: the delay before retry `attempt` (0 for the first
// retry) is uniform in [0, min(cap, base * 2^attempt)]. Full jitter spreads clients that
// failed together so they do not retry together.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap);
  // From retry.backoff.ms and retry.backoff.max.ms.
  explicit Backoff(const Config& config);

  // The upper bound of the delay for `attempt`, before jitter.
  [[nodiscard]] std::chrono::milliseconds ceiling(unsigned attempt) const noexcept;
  // A jittered delay drawn with `unit` in [0, 1) (for tests and callers with their own RNG).
  [[nodiscard]] std::chrono::milliseconds delay(unsigned attempt, double unit) const noexcept;
  // A jittered delay drawn from a per-thread random generator.
  [[nodiscard]] std::chrono::milliseconds delay(unsigned attempt) const;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
};

}  // namespace postwire::runtime
