#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "client/delivery_count.hpp"

namespace postwire::client {
namespace {

constexpr std::int64_t kMax64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin64 = std::numeric_limits<std::int64_t>::min();

struct Row {
  std::optional<std::int64_t> attempt;
  std::optional<std::int64_t> broker_count;
  bool redelivered;
  std::uint32_t expected;
};

TEST(ClientDeliveryCount, Table) {
  const std::vector<Row> rows = {
      {std::nullopt, std::nullopt, false, 1},  // first delivery, nothing known
      {std::nullopt, std::nullopt, true, 2},   // redelivered flag only
      {1, std::nullopt, false, 1},
      {3, std::nullopt, false, 3},  // re-published by postwire twice
      {3, std::nullopt, true, 3},
      {std::nullopt, 0, false, 1},  // x-delivery-count counts previous deliveries
      {std::nullopt, 0, true, 2},
      {std::nullopt, 4, true, 5},
      {2, 4, true, 5},  // the highest fact wins
      {7, 4, false, 7},
      {0, std::nullopt, false, 1},  // out of range: ignored
      {-5, -5, false, 1},
      {-5, std::nullopt, true, 2},
      {kMin64, kMin64, false, 1},
      {kMax64, std::nullopt, false, max_delivery_count},  // clamped, no overflow
      {std::nullopt, kMax64, false, max_delivery_count},
      {std::nullopt, max_delivery_count - 1, false, max_delivery_count},
      {std::nullopt, max_delivery_count, false, max_delivery_count},
  };
  for (const Row& row : rows) {
    const DeliveryFacts facts{
        .attempt_header = row.attempt,
        .broker_delivery_count = row.broker_count,
        .redelivered = row.redelivered,
    };
    EXPECT_EQ(delivery_count(facts), row.expected)
        << "attempt=" << row.attempt.value_or(-999) << " broker=" << row.broker_count.value_or(-999)
        << " redelivered=" << row.redelivered;
  }
}

TEST(ClientDeliveryCount, UsableAtCompileTime) {
  static_assert(delivery_count({.attempt_header = 4}) == 4);
  static_assert(delivery_count({.redelivered = true}) == 2);
}

TEST(ClientDeliveryCount, HeaderNamesAreTheDocumentedOnes) {
  EXPECT_EQ(attempt_header, "pw-attempt");
  EXPECT_EQ(dead_letter_reason_header, "pw-dead-letter-reason");
  EXPECT_EQ(original_destination_header, "pw-original-destination");
  EXPECT_EQ(key_header, "pw-key");
  EXPECT_EQ(id_header, "pw-id");
  EXPECT_EQ(encoding_header, "pw-encoding");
}

TEST(ClientDeliveryCount, ParsesTextHeaders) {
  EXPECT_EQ(parse_header_int("3"), 3);
  EXPECT_EQ(parse_header_int("-2"), -2);
  EXPECT_EQ(parse_header_int("9223372036854775807"), kMax64);
  EXPECT_EQ(parse_header_int(""), std::nullopt);
  EXPECT_EQ(parse_header_int("3 "), std::nullopt);
  EXPECT_EQ(parse_header_int("+3"), std::nullopt);
  EXPECT_EQ(parse_header_int("x"), std::nullopt);
  EXPECT_EQ(parse_header_int("99999999999999999999"), std::nullopt);
}

}  // namespace
}  // namespace postwire::client
