#pragma once

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka's RecordBatch
// v2. The SSE4.2 crc32 instruction computes exactly this polynomial, so it is used when the
// CPU has it (checked at run time, so the binary still runs on CPUs without it); otherwise a
// slicing-by-8 table does the work.

#include <cstdint>
#include <span>

namespace postwire::kafka {

// The CRC-32C of `bytes`. `seed` is the CRC of the bytes before them, so that
// crc32c(b, crc32c(a)) == crc32c(a followed by b); 0 starts a new checksum.
[[nodiscard]] std::uint32_t crc32c(std::span<const std::uint8_t> bytes,
                                   std::uint32_t seed = 0) noexcept;

// The two implementations crc32c() chooses between, exposed so that tests can hold them
// against each other. crc32c_hardware() may only be called when crc32c_has_hardware().
[[nodiscard]] std::uint32_t crc32c_portable(std::span<const std::uint8_t> bytes,
                                            std::uint32_t seed = 0) noexcept;
[[nodiscard]] bool crc32c_has_hardware() noexcept;
[[nodiscard]] std::uint32_t crc32c_hardware(std::span<const std::uint8_t> bytes,
                                            std::uint32_t seed = 0) noexcept;

}  // namespace postwire::kafka
