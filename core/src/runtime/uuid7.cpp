#include "runtime/uuid7.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "common/hex.hpp"
#include "runtime/fork_count.hpp"

namespace postwire::runtime {
namespace {

constexpr std::uint64_t kCounterBits = 42;
constexpr std::uint64_t kCounterMax = (std::uint64_t{1} << kCounterBits) - 1;
constexpr std::uint64_t kTimestampMax = (std::uint64_t{1} << 48U) - 1;

std::uint64_t rotl(std::uint64_t x, unsigned k) noexcept { return (x << k) | (x >> (64U - k)); }

// xoshiro256**: fast, and good enough for the non-secret random bits of an id (they keep
// ids from different processes apart; they guard nothing).
std::uint64_t next_random(std::array<std::uint64_t, 4>& s) noexcept {
  const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
  const std::uint64_t t = s[1] << 17U;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

void seed_random(std::array<std::uint64_t, 4>& s) noexcept {
  if (::getrandom(s.data(), sizeof s, 0) != static_cast<ssize_t>(sizeof s)) {
    // No kernel entropy: time and pid still separate processes; the counter keeps order.
    const auto now =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    s = {now, static_cast<std::uint64_t>(::getpid()), now * 0x9E3779B97F4A7C15ULL, 1};
  }
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

Uuid layout(std::uint64_t unix_ms, std::uint64_t counter, std::uint64_t random32) {
  Uuid id;
  auto& b = id.bytes;
  for (unsigned i = 0; i < 6; ++i) {
    b[i] = static_cast<std::uint8_t>(unix_ms >> (40U - 8U * i));
  }
  // rand_a (12 bits) holds the counter's top bits, after the version nibble 0b0111.
  const std::uint64_t rand_a = counter >> 30U;
  b[6] = static_cast<std::uint8_t>(0x70U | (rand_a >> 8U));
  b[7] = static_cast<std::uint8_t>(rand_a);
  // rand_b (62 bits): the counter's low 30 bits, then 32 random bits, after variant 0b10.
  const std::uint64_t rand_b = ((counter & 0x3FFF'FFFFULL) << 32U) | (random32 & 0xFFFF'FFFFULL);
  b[8] = static_cast<std::uint8_t>(0x80U | ((rand_b >> 56U) & 0x3FU));
  for (unsigned i = 9; i < 16; ++i) {
    b[i] = static_cast<std::uint8_t>(rand_b >> (8U * (15U - i)));
  }
  return id;
}

}  // namespace

std::string Uuid::to_string() const {
  // Written into place rather than appended: every sent message gets an id, and appending
  // character by character cost more than the rest of assigning it.
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t at = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      ++at;  // the dash already there
    }
    out[at++] = kHex[bytes[i] >> 4U];
    out[at++] = kHex[bytes[i] & 0x0FU];
  }
  return out;
}

std::optional<Uuid> Uuid::parse(std::string_view text) noexcept {
  if (text.size() != 36) {
    return std::nullopt;
  }
  Uuid id;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      if (text[pos++] != '-') {
        return std::nullopt;
      }
    }
    const int high = hex_digit_value(text[pos]);
    const int low = hex_digit_value(text[pos + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    id.bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
    pos += 2;
  }
  return id;
}

std::uint64_t Uuid::unix_ms() const noexcept {
  std::uint64_t ms = 0;
  for (unsigned i = 0; i < 6; ++i) {
    ms = (ms << 8U) | bytes[i];
  }
  return ms;
}

Uuid Uuid7Generator::next(std::uint64_t unix_ms) {
  std::lock_guard lock(mutex_);
  if (const std::uint64_t forks = fork_count(); !seeded_ || forks != fork_count_) {
    // First use, or first use in a forked child, which must not replay its parent's ids.
    seeded_ = true;
    fork_count_ = forks;
    seed_random(random_);
  }
  unix_ms = std::min(unix_ms, kTimestampMax);
  if (unix_ms > last_ms_) {
    last_ms_ = unix_ms;
    // Seeded with the top bit clear, leaving at least 2^41 increments in this millisecond.
    counter_ = next_random(random_) & (kCounterMax >> 1U);
  } else if (counter_ < kCounterMax) {
    // Same millisecond, or the clock stepped back: count on from the last id.
    ++counter_;
  } else {
    // Counter exhausted: borrow the next millisecond, as RFC 9562 section 6.2 allows.
    ++last_ms_;
    counter_ = next_random(random_) & (kCounterMax >> 1U);
  }
  return layout(last_ms_, counter_, next_random(random_));
}

Uuid new_uuid7() {
  static Uuid7Generator process_wide;
  return process_wide.next(now_ms());
}

}  // namespace postwire::runtime
