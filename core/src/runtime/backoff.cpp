#include "runtime/backoff.hpp"

#include <algorithm>
#include <random>

namespace postwire::runtime {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap)
    : base_(std::max(base, std::chrono::milliseconds(1))), cap_(std::max(cap, base_)) {}

Backoff::Backoff(const Config& config)
    : Backoff(config.get_duration("retry.backoff.ms"),
              config.get_duration("retry.backoff.max.ms")) {}

std::chrono::milliseconds Backoff::ceiling(unsigned attempt) const noexcept {
  // Double until the cap is reached; stops long before the shift could overflow.
  auto bound = base_;
  for (unsigned i = 0; i < attempt && bound < cap_; ++i) {
    bound *= 2;
  }
  return std::min(bound, cap_);
}

std::chrono::milliseconds Backoff::delay(unsigned attempt, double unit) const noexcept {
  const std::int64_t bound = ceiling(attempt).count();
  const auto millis =
      static_cast<std::int64_t>(std::clamp(unit, 0.0, 1.0) * static_cast<double>(bound + 1));
  return std::chrono::milliseconds(std::min(millis, bound));
}

std::chrono::milliseconds Backoff::delay(unsigned attempt) const {
  thread_local std::minstd_rand generator{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return delay(attempt, unit(generator));
}

}  // namespace postwire::runtime
