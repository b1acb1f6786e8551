#include "protocol/kafka/crc32c.hpp"

#include <array>
#include <cstddef>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace postwire::kafka {
namespace {

constexpr std::uint32_t castagnoli_reflected = 0x82F63B78U;

// tables[0] is the classic byte-at-a-time table; tables[k][b] is the CRC of byte b followed
// by k zero bytes, which lets the loop below fold eight input bytes per step.
using SlicingTables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr SlicingTables make_tables() {
  SlicingTables tables{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? (crc >> 1U) ^ castagnoli_reflected : crc >> 1U;
    }
    tables[0][byte] = crc;
  }
  for (std::size_t k = 1; k < tables.size(); ++k) {
    for (std::size_t byte = 0; byte < 256; ++byte) {
      const std::uint32_t previous = tables[k - 1][byte];
      tables[k][byte] = (previous >> 8U) ^ tables[0][previous & 0xFFU];
    }
  }
  return tables;
}

constexpr SlicingTables tables = make_tables();

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8U) | (std::uint32_t{p[2]} << 16U) |
         (std::uint32_t{p[3]} << 24U);
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t hardware_update(const std::uint8_t* p,
                                                                std::size_t n, std::uint32_t crc) {
  std::uint64_t wide = crc;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, sizeof word);  // the instruction reads the word little-endian
    wide = _mm_crc32_u64(wide, word);
  }
  auto narrow = static_cast<std::uint32_t>(wide);
  for (; n > 0; ++p, --n) {
    narrow = _mm_crc32_u8(narrow, *p);
  }
  return narrow;
}
#endif

using Implementation = std::uint32_t (*)(std::span<const std::uint8_t>, std::uint32_t) noexcept;

Implementation choose_implementation() noexcept {
  return crc32c_has_hardware() ? &crc32c_hardware : &crc32c_portable;
}

}  // namespace

std::uint32_t crc32c_portable(std::span<const std::uint8_t> bytes, std::uint32_t seed) noexcept {
  std::uint32_t crc = ~seed;
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    const std::uint32_t low = crc ^ load_le32(p);
    const std::uint32_t high = load_le32(p + 4);
    crc = tables[7][low & 0xFFU] ^ tables[6][(low >> 8U) & 0xFFU] ^
          tables[5][(low >> 16U) & 0xFFU] ^ tables[4][low >> 24U] ^ tables[3][high & 0xFFU] ^
          tables[2][(high >> 8U) & 0xFFU] ^ tables[1][(high >> 16U) & 0xFFU] ^
          tables[0][high >> 24U];
  }
  for (; n > 0; ++p, --n) {
    crc = (crc >> 8U) ^ tables[0][(crc ^ *p) & 0xFFU];
  }
  return ~crc;
}

bool crc32c_has_hardware() noexcept {
#if defined(__x86_64__)
  return __builtin_cpu_supports("sse4.2") != 0;
#else
  return false;
#endif
}

std::uint32_t crc32c_hardware(std::span<const std::uint8_t> bytes, std::uint32_t seed) noexcept {
#if defined(__x86_64__)
  return ~hardware_update(bytes.data(), bytes.size(), ~seed);
#else
  return crc32c_portable(bytes, seed);
#endif
}

std::uint32_t crc32c(std::span<const std::uint8_t> bytes, std::uint32_t seed) noexcept {
  static const Implementation implementation = choose_implementation();
  return implementation(bytes, seed);
}

}  // namespace postwire::kafka
