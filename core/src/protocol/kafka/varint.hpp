#pragma once

// Kafka's variable-length integers (KIP-482 for the unsigned form, the RecordBatch v2 record
// fields for the signed one): little-endian base-128 groups, seven bits per byte, the high bit
// set on every byte but the last. Signed values are zigzag-encoded first, so that small
// negative numbers stay short. Sans-IO: bytes in, values out.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace postwire::kafka {

// The longest encodings: 5 bytes carry 32 bits, 10 bytes carry 64.
inline constexpr std::size_t max_varint32_bytes = 5;
inline constexpr std::size_t max_varint64_bytes = 10;

[[nodiscard]] constexpr std::uint64_t zigzag_encode(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1U) ^ static_cast<std::uint64_t>(v >> 63);
}
[[nodiscard]] constexpr std::int64_t zigzag_decode(std::uint64_t v) noexcept {
  return static_cast<std::int64_t>(v >> 1U) ^ -static_cast<std::int64_t>(v & 1U);
}

// The number of bytes put_uvarint writes for `v`.
[[nodiscard]] constexpr std::size_t uvarint_size(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80U) {
    v >>= 7U;
    ++n;
  }
  return n;
}
[[nodiscard]] constexpr std::size_t varint_size(std::int64_t v) noexcept {
  return uvarint_size(zigzag_encode(v));
}

inline void put_uvarint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80U) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80U));
    v >>= 7U;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void put_varint(std::vector<std::uint8_t>& out, std::int64_t v) {
  put_uvarint(out, zigzag_encode(v));
}

struct VarintRead {
  std::uint64_t value = 0;
  std::size_t length = 0;  // bytes consumed
};

// Reads an unsigned varint of at most `max_bytes` bytes from the start of `bytes`. Nothing
// when the bytes end first or the encoding runs longer than `max_bytes` (or sets bits beyond
// the 64 a value can hold): the caller names what it was reading in its error.
[[nodiscard]] inline std::optional<VarintRead> read_uvarint(std::span<const std::uint8_t> bytes,
                                                            std::size_t max_bytes) noexcept {
  std::uint64_t value = 0;
  const std::size_t limit = bytes.size() < max_bytes ? bytes.size() : max_bytes;
  for (std::size_t i = 0; i < limit; ++i) {
    const std::uint64_t group = bytes[i] & 0x7FU;
    const unsigned shift = 7U * static_cast<unsigned>(i);
    if (shift == 63U && group > 1U) return std::nullopt;
    value |= group << shift;
    if ((bytes[i] & 0x80U) == 0) return VarintRead{value, i + 1};
  }
  return std::nullopt;
}

}  // namespace postwire::kafka
