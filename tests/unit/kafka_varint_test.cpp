#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <vector>

#include "protocol/kafka/varint.hpp"

namespace postwire::kafka {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (const int v : values) {
    out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

struct UnsignedCase {
  std::uint64_t value;
  Bytes encoded;
};
struct SignedCase {
  std::int64_t value;
  Bytes encoded;
};

// The Kafka protocol guide defines its varints as Protocol Buffers' base-128 varints; the
// first two rows are the examples of the Protocol Buffers encoding guide (150 and 300), the
// rest are from Kafka's ByteUtilsTest.testUnsignedVarintSerde (32-bit values written as
// unsigned, so -1 is 0xFFFFFFFF).
const std::vector<UnsignedCase>& unsigned_cases() {
  static const std::vector<UnsignedCase> cases = {
      {150, bytes({0x96, 0x01})},
      {300, bytes({0xAC, 0x02})},
      {0, bytes({0x00})},
      {0xFFFFFFFFU, bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x0F})},
      {1, bytes({0x01})},
      {63, bytes({0x3F})},
      {64, bytes({0x40})},
      {8191, bytes({0xFF, 0x3F})},
      {8192, bytes({0x80, 0x40})},
      {1048575, bytes({0xFF, 0xFF, 0x3F})},
      {1048576, bytes({0x80, 0x80, 0x40})},
      {0x7FFFFFFFU, bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x07})},
      {0x80000000U, bytes({0x80, 0x80, 0x80, 0x80, 0x08})},
  };
  return cases;
}

// Kafka's ByteUtilsTest.testVarintSerde and testVarlongSerde (zigzag).
const std::vector<SignedCase>& signed_cases() {
  static const std::vector<SignedCase> cases = {
      {0, bytes({0x00})},
      {-1, bytes({0x01})},
      {1, bytes({0x02})},
      {63, bytes({0x7E})},
      {-64, bytes({0x7F})},
      {64, bytes({0x80, 0x01})},
      {-65, bytes({0x81, 0x01})},
      {8191, bytes({0xFE, 0x7F})},
      {-8192, bytes({0xFF, 0x7F})},
      {8192, bytes({0x80, 0x80, 0x01})},
      {-8193, bytes({0x81, 0x80, 0x01})},
      {134217728, bytes({0x80, 0x80, 0x80, 0x80, 0x01})},
      {std::numeric_limits<std::int32_t>::max(), bytes({0xFE, 0xFF, 0xFF, 0xFF, 0x0F})},
      {std::numeric_limits<std::int32_t>::min(), bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x0F})},
      {17179869184LL, bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x01})},
      {-36028797018963969LL, bytes({0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})},
      {std::numeric_limits<std::int64_t>::max(),
       bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})},
      {std::numeric_limits<std::int64_t>::min(),
       bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})},
  };
  return cases;
}

TEST(KafkaVarint, EncodesGoldenUnsignedVarints) {
  for (const auto& c : unsigned_cases()) {
    Bytes out;
    put_uvarint(out, c.value);
    EXPECT_EQ(out, c.encoded) << c.value;
    EXPECT_EQ(uvarint_size(c.value), c.encoded.size()) << c.value;
  }
}

TEST(KafkaVarint, DecodesGoldenUnsignedVarints) {
  for (const auto& c : unsigned_cases()) {
    Bytes input = c.encoded;
    input.push_back(0x55);  // a following field is not part of the varint
    const auto read = read_uvarint(input, max_varint32_bytes);
    ASSERT_TRUE(read.has_value()) << c.value;
    EXPECT_EQ(read->value, c.value);
    EXPECT_EQ(read->length, c.encoded.size());
  }
}

TEST(KafkaVarint, EncodesAndDecodesGoldenZigzagVarints) {
  for (const auto& c : signed_cases()) {
    Bytes out;
    put_varint(out, c.value);
    EXPECT_EQ(out, c.encoded) << c.value;
    EXPECT_EQ(varint_size(c.value), c.encoded.size()) << c.value;
    const auto read = read_uvarint(c.encoded, max_varint64_bytes);
    ASSERT_TRUE(read.has_value()) << c.value;
    EXPECT_EQ(zigzag_decode(read->value), c.value);
    EXPECT_EQ(read->length, c.encoded.size());
  }
}

TEST(KafkaVarint, ZigzagMapsSmallMagnitudesToSmallCodes) {
  EXPECT_EQ(zigzag_encode(0), 0U);
  EXPECT_EQ(zigzag_encode(-1), 1U);
  EXPECT_EQ(zigzag_encode(1), 2U);
  EXPECT_EQ(zigzag_encode(-2), 3U);
  EXPECT_EQ(zigzag_encode(std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::uint64_t>::max() - 1);
  EXPECT_EQ(zigzag_encode(std::numeric_limits<std::int64_t>::min()),
            std::numeric_limits<std::uint64_t>::max());
  for (const std::int64_t v : {0LL, -1LL, 1LL, -123456789LL, 987654321LL}) {
    EXPECT_EQ(zigzag_decode(zigzag_encode(v)), v);
  }
}

TEST(KafkaVarint, RejectsTruncatedVarints) {
  EXPECT_FALSE(read_uvarint({}, max_varint32_bytes).has_value());
  EXPECT_FALSE(read_uvarint(bytes({0x80}), max_varint32_bytes).has_value());
  EXPECT_FALSE(read_uvarint(bytes({0xFF, 0xFF, 0xFF}), max_varint64_bytes).has_value());
}

// Kafka's ByteUtilsTest.testInvalidVarint / testInvalidVarlong: one continuation byte too many.
TEST(KafkaVarint, RejectsOverlongVarints) {
  EXPECT_FALSE(
      read_uvarint(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), max_varint32_bytes).has_value());
  EXPECT_FALSE(
      read_uvarint(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}),
                   max_varint64_bytes)
          .has_value());
  // Ten bytes, but the last one sets bits beyond the 64 a value holds.
  EXPECT_FALSE(read_uvarint(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}),
                            max_varint64_bytes)
                   .has_value());
}

}  // namespace
}  // namespace postwire::kafka
