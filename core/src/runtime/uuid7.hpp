#pragma once

#include <sys/types.h>

#include <array>
#include <compare>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace postwire::runtime {

// A 128-bit UUID in network byte order.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  // 8-4-4-4-12 lower-case hex, e.g. "01890a5d-ac96-774b-bcce-b302099a8057".
  [[nodiscard]] std::string to_string() const;
  // Parses the 36-character form (either case); nothing on malformed input.
  static std::optional<Uuid> parse(std::string_view text) noexcept;

  [[nodiscard]] unsigned version() const noexcept { return bytes[6] >> 4U; }
  [[nodiscard]] unsigned variant_bits() const noexcept { return bytes[8] >> 6U; }
  // For version 7: the Unix time in milliseconds in the first 48 bits.
  [[nodiscard]] std::uint64_t unix_ms() const noexcept;

  auto operator<=>(const Uuid&) const = default;
};

// Generates UUIDv7 (RFC 9562, section 5.7) message ids: a 48-bit Unix-millisecond timestamp,
// then a 42-bit counter (RFC 9562 section 6.2, method 1) seeded randomly each millisecond,
// then 32 random bits. Ids from one generator are strictly increasing, even when many are
// made in one millisecond or the clock steps back, and a forked child reseeds so that it
// never repeats its parent's ids. Thread-safe; a call costs a short lock and a few
// arithmetic steps.
class Uuid7Generator {
 public:
  // The next id for a clock reading of `unix_ms`.
  Uuid next(std::uint64_t unix_ms);

 private:
  std::mutex mutex_;
  bool seeded_ = false;
  std::uint64_t fork_count_ = 0;  // fork_count() when seeded
  std::uint64_t last_ms_ = 0;
  std::uint64_t counter_ = 0;
  std::array<std::uint64_t, 4> random_{};  // xoshiro256** state
};

// The next id from the process-wide generator, at the current time.
Uuid new_uuid7();

}  // namespace postwire::runtime
