#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <string_view>
#include <vector>

#include "protocol/kafka/crc32c.hpp"

namespace postwire::kafka {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

// The CRC catalogue's check value for CRC-32C: the checksum of the ASCII digits "123456789".
TEST(KafkaCrc32c, ChecksOfTheDigitsOneToNine) {
  EXPECT_EQ(crc32c(text("123456789")), 0xE3069283U);
  EXPECT_EQ(crc32c_portable(text("123456789")), 0xE3069283U);
}

TEST(KafkaCrc32c, EmptyInputLeavesTheSeed) {
  EXPECT_EQ(crc32c({}), 0U);
  EXPECT_EQ(crc32c({}, 0x12345678U), 0x12345678U);
}

// RFC 3720 (iSCSI), appendix B.4 "CRC Examples".
TEST(KafkaCrc32c, MatchesRfc3720Vectors) {
  const Bytes zeros(32, 0x00);
  const Bytes ones(32, 0xFF);
  Bytes ascending(32);
  std::iota(ascending.begin(), ascending.end(), std::uint8_t{0});
  const Bytes descending(ascending.rbegin(), ascending.rend());
  // The iSCSI SCSI Read (10) command PDU of the same appendix.
  const Bytes read_pdu = {0x01, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                          0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                          0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
                          0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

  for (const auto* name : {"crc32c", "portable"}) {
    SCOPED_TRACE(name);
    const auto crc = [&](const Bytes& b) {
      return std::string_view(name) == "crc32c" ? crc32c(b) : crc32c_portable(b);
    };
    EXPECT_EQ(crc(zeros), 0x8A9136AAU);
    EXPECT_EQ(crc(ones), 0x62A8AB43U);
    EXPECT_EQ(crc(ascending), 0x46DD794EU);
    EXPECT_EQ(crc(descending), 0x113FDB5CU);
    EXPECT_EQ(crc(read_pdu), 0xD9963A56U);
  }
}

TEST(KafkaCrc32c, SeedContinuesAChecksum) {
  const Bytes all = text("The quick brown fox jumps over the lazy dog");
  const std::span<const std::uint8_t> whole(all);
  for (std::size_t split = 0; split <= all.size(); ++split) {
    EXPECT_EQ(crc32c(whole.subspan(split), crc32c(whole.first(split))), crc32c(whole))
        << "split at " << split;
  }
}

// Random lengths and misaligned starts, so that both the eight-byte loops and the byte tails
// of each implementation are exercised.
TEST(KafkaCrc32c, HardwareAndPortableAgreeOnRandomData) {
  if (!crc32c_has_hardware()) {
    GTEST_SKIP() << "this CPU has no SSE4.2 crc32 instruction";
  }
  std::mt19937_64 rng(20240501);
  Bytes data(70000);
  for (auto& b : data) {
    b = static_cast<std::uint8_t>(rng());
  }
  const std::span<const std::uint8_t> all(data);
  for (int i = 0; i < 2000; ++i) {
    const std::size_t start = rng() % 16;
    const std::size_t length = i < 1000 ? rng() % 300 : rng() % (data.size() - 16);
    const auto part = all.subspan(start, length);
    const auto seed = static_cast<std::uint32_t>(rng());
    ASSERT_EQ(crc32c_hardware(part, seed), crc32c_portable(part, seed))
        << "start " << start << " length " << length;
  }
}

}  // namespace
}  // namespace postwire::kafka
