#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "client/envelope_headers.hpp"

namespace postwire::client {

// What a transport knows about how often a message has been delivered, whatever the broker.
struct DeliveryFacts {
  // The pw-attempt header postwire writes when it re-publishes a message (1-based).
  std::optional<std::int64_t> attempt_header;
  // A broker's count of previous deliveries, e.g. RabbitMQ quorum queues' x-delivery-count.
  std::optional<std::int64_t> broker_delivery_count;
  // The broker's redelivered flag: delivered at least once before.
  bool redelivered = false;
};

// The largest delivery count reported. Any real count is far below it; a larger header is
// garbage from another client and must not overflow the counter.
inline constexpr std::uint32_t max_delivery_count = 1'000'000'000;

// The message's delivery count, 1 for a first delivery: the highest of what each fact
// implies — the attempt header, the broker's previous deliveries plus one, and 2 when the
// broker says it is a redelivery. Out-of-range facts (an attempt below 1, a negative count)
// are ignored; the result is clamped to [1, max_delivery_count].
[[nodiscard]] constexpr std::uint32_t delivery_count(const DeliveryFacts& facts) noexcept {
  constexpr std::int64_t cap = max_delivery_count;
  std::int64_t count = facts.redelivered ? 2 : 1;
  if (facts.attempt_header && *facts.attempt_header > count) {
    count = *facts.attempt_header;
  }
  // Compared before adding one, so that INT64_MAX cannot overflow.
  if (facts.broker_delivery_count && *facts.broker_delivery_count >= count) {
    count = *facts.broker_delivery_count >= cap ? cap : *facts.broker_delivery_count + 1;
  }
  return static_cast<std::uint32_t>(count > cap ? cap : count);
}

// A header value carried as text (as SQS attributes and some clients send pw-attempt): the
// decimal integer it holds, or nothing when it is not exactly one.
[[nodiscard]] inline std::optional<std::int64_t> parse_header_int(std::string_view text) noexcept {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace postwire::client
