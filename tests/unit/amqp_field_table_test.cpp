#include <gtest/gtest.h>

#include "amqp_test_util.hpp"
#include "protocol/amqp/field_table.hpp"

namespace postwire::amqp {
namespace {

using test::bytes;
using test::Bytes;
using test::concat;
using test::expect_protocol_error;
using test::text;

// One entry of every RabbitMQ type code. Bytes computed by hand from RabbitMQ's field type
// table (amqp-0-9-1-errata, "field types"): key as a short string, type octet, value.
Bytes every_type_golden() {
  return concat({
      bytes({0, 0, 0, 130}),                                                 // table length
      bytes({1, 't', 't', 1}),                                               // bool true
      bytes({1, 'b', 'b', 0xFF}),                                            // int8 -1
      bytes({1, 'B', 'B', 0xFE}),                                            // uint8 254
      bytes({1, 's', 's', 0xFF, 0xFE}),                                      // int16 -2
      bytes({1, 'u', 'u', 0xFF, 0xFE}),                                      // uint16 65534
      bytes({1, 'I', 'I', 0xFF, 0xFF, 0xFF, 0xFD}),                          // int32 -3
      bytes({1, 'i', 'i', 0xFF, 0xFF, 0xFF, 0xFD}),                          // uint32
      bytes({1, 'l', 'l', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC}),  // int64 -4
      bytes({1, 'f', 'f', 0x3F, 0xC0, 0, 0}),                                // float 1.5
      bytes({1, 'd', 'd', 0xC0, 0x04, 0, 0, 0, 0, 0, 0}),                    // double -2.5
      bytes({1, 'D', 'D', 2, 0xFF, 0xFF, 0xFF, 0x85}),                       // -1.23
      bytes({1, 'S', 'S', 0, 0, 0, 2, 'h', 'i'}),                            // long string
      bytes({1, 'x', 'x', 0, 0, 0, 3, 0x00, 0x01, 0xFF}),                    // byte array
      bytes({1, 'A', 'A', 0, 0, 0, 6, 'I', 0, 0, 0, 1, 'V'}),                // [1, void]
      bytes({1, 'T', 'T', 0, 0, 0, 0, 0x65, 0x53, 0xF1, 0x00}),              // 1700000000
      bytes({1, 'F', 'F', 0, 0, 0, 4, 1, 'k', 'B', 7}),                      // {k: 7}
      bytes({1, 'V', 'V'}),                                                  // void
  });
}

FieldTable every_type_table() {
  FieldTable nested;
  nested.set("k", std::uint8_t{7});
  FieldTable table;
  table.set("t", true);
  table.set("b", std::int8_t{-1});
  table.set("B", std::uint8_t{254});
  table.set("s", std::int16_t{-2});
  table.set("u", std::uint16_t{65534});
  table.set("I", std::int32_t{-3});
  table.set("i", std::uint32_t{4294967293U});
  table.set("l", std::int64_t{-4});
  table.set("f", 1.5F);
  table.set("d", -2.5);
  table.set("D", Decimal{2, -123});
  table.set("S", "hi");
  table.set("x", ByteArray{std::string("\x00\x01\xFF", 3)});
  table.set("A", FieldArray{{std::int32_t{1}, FieldValue{}}});
  table.set("T", Timestamp{1700000000});
  table.set("F", nested);
  table.set("V", FieldValue{});
  return table;
}

TEST(AmqpFieldTable, EncodesEveryTypeCodeAsRabbitMqDoes) {
  Bytes out;
  append_field_table(out, every_type_table());
  const Bytes golden = every_type_golden();
  ASSERT_EQ(golden.size(), 134U) << "the golden bytes themselves";
  EXPECT_EQ(out, golden);
}

TEST(AmqpFieldTable, DecodesEveryTypeCodeWithRabbitMqSignedness) {
  const FieldTable table = decode_field_table(every_type_golden());
  EXPECT_EQ(table, every_type_table());
  // 's' is signed 16 and 'l' signed 64 in RabbitMQ's table, unlike the spec's.
  EXPECT_EQ(std::get<std::int16_t>(table.find("s")->value), -2);
  EXPECT_EQ(std::get<std::int64_t>(table.find("l")->value), -4);
  EXPECT_EQ(std::get<Decimal>(table.find("D")->value), (Decimal{2, -123}));
  EXPECT_EQ(std::get<ByteArray>(table.find("x")->value).bytes, std::string("\x00\x01\xFF", 3));
  EXPECT_EQ(*as_integer(*table.find("i")), 4294967293);
  EXPECT_EQ(*as_integer(*table.find("b")), -1);
  EXPECT_FALSE(as_integer(*table.find("t")).has_value()) << "bool is not an integer";
  EXPECT_EQ(*as_string(*table.find("S")), "hi");
  EXPECT_EQ(as_string(*table.find("x"))->size(), 3U);
  EXPECT_EQ(as_string(*table.find("I")), nullptr);
  EXPECT_EQ(table.find("missing"), nullptr);
}

TEST(AmqpFieldTable, SetReplacesAndKeepsOrder) {
  FieldTable table;
  table.set("a", 1);
  table.set("b", 2);
  table.set("a", "three");
  ASSERT_EQ(table.entries.size(), 2U);
  EXPECT_EQ(table.entries[0].key, "a");
  EXPECT_EQ(*as_string(table.entries[0].value), "three");
  EXPECT_FALSE(table.empty());
  EXPECT_TRUE(FieldTable{}.empty());
}

TEST(AmqpFieldTable, EmptyTableIsFourZeroBytes) {
  Bytes out;
  append_field_table(out, {});
  EXPECT_EQ(out, bytes({0, 0, 0, 0}));
  EXPECT_TRUE(decode_field_table(out).empty());
}

TEST(AmqpFieldTable, RoundTripsNestedValues) {
  FieldTable inner;
  inner.set("list", FieldArray{{"a", std::int64_t{-9}, FieldArray{}, FieldTable{}}});
  FieldTable table;
  table.set("inner", inner);
  table.set("bytes", ByteArray{"raw"});
  Bytes out;
  append_field_table(out, table);
  EXPECT_EQ(decode_field_table(out), table);
}

TEST(AmqpFieldTable, EncodingRejectsKeysOver255Bytes) {
  FieldTable table;
  table.set(std::string(256, 'k'), 1);
  Bytes out;
  try {
    append_field_table(out, table);
    ADD_FAILURE() << "no exception";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
}

TEST(AmqpFieldTable, RejectsTableLengthOverrunningTheBuffer) {
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 9, 1, 'a', 'V'}));
      },
      "field table length 9 overruns");
  expect_protocol_error([] { decode_field_table(bytes({0, 0})); }, "truncated");
}

TEST(AmqpFieldTable, RejectsKeyOverrunningTheTable) {
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 3, 5, 'a', 'b'}));
      },
      "field table key: short string length 5 overruns");
}

TEST(AmqpFieldTable, RejectsLongStringOverrunningTheTable) {
  // The string claims 100 bytes inside a table of 9.
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 9, 1, 'a', 'S', 0, 0, 0, 100, 'x', 'y'}));
      },
      "long string length 100 overruns");
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 8, 1, 'a', 'x', 0xFF, 0xFF, 0xFF, 0xFF, 0}));
      },
      "long string length 4294967295 overruns");
}

TEST(AmqpFieldTable, RejectsArrayOverrunningItsTable) {
  // The array claims 50 bytes; its table holds 8.
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 8, 1, 'a', 'A', 0, 0, 0, 50, 'V'}));
      },
      "field array length 50 overruns");
  // An array element that runs past the array's own length.
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 10, 1, 'a', 'A', 0, 0, 0, 3, 'I', 0, 0, 0}));
      },
      "truncated");
}

TEST(AmqpFieldTable, RejectsTruncatedScalar) {
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 5, 1, 'a', 'l', 0, 0}));
      },
      "int64 field value: truncated");
}

TEST(AmqpFieldTable, RejectsUnknownTypeCode) {
  // 'U' is the spec's code that RabbitMQ does not use.
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 3, 1, 'a', 'U'}));
      },
      "unknown field value type 'U' (0x55)");
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 3, 1, 'a', 0x01}));
      },
      "unknown field value type (0x01)");
}

Bytes nested_tables(int depth) {
  // depth tables, each holding the next under key "n".
  Bytes out = bytes({0, 0, 0, 0});
  for (int i = 1; i < depth; ++i) {
    Bytes outer = bytes({0, 0, 0, 0, 1, 'n', 'F'});
    outer.insert(outer.end(), out.begin(), out.end());
    const auto size = static_cast<std::uint32_t>(outer.size() - 4);
    outer[2] = static_cast<std::uint8_t>(size >> 8U);
    outer[3] = static_cast<std::uint8_t>(size);
    out = std::move(outer);
  }
  return out;
}

TEST(AmqpFieldTable, AcceptsNestingUpToTheLimitAndRejectsDeeper) {
  EXPECT_NO_THROW(decode_field_table(nested_tables(field_table_max_depth)));
  expect_protocol_error([] { decode_field_table(nested_tables(field_table_max_depth + 1)); },
                        "nested deeper than 32 levels");
}

TEST(AmqpFieldTable, RejectsBytesAfterTheTable) {
  expect_protocol_error(
      [] {
        decode_field_table(bytes({0, 0, 0, 0, 7}));
      },
      "1 unexpected bytes after the last field");
}

}  // namespace
}  // namespace postwire::amqp
