// Golden bytes for Kafka's protocol primitives, computed by hand from the "Protocol Primitive
// Types" of Kafka's protocol guide and KIP-482 (compact forms, tagged fields).

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka_test_util.hpp"
#include "protocol/kafka/api.hpp"
#include "protocol/kafka/error_codes.hpp"
#include "protocol/kafka/framing.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {
namespace {

using test::Bytes;
using test::bytes;
using test::concat;
using test::expect_error;
using test::expect_protocol_error;
using test::text;

template <typename Fn>
Bytes written(Fn&& fn) {
  Bytes out;
  Writer w(out);
  fn(w);
  return out;
}

TEST(KafkaWire, WritesBigEndianIntegers) {
  EXPECT_EQ(written([](Writer& w) {
              w.i8(-2);
              w.i16(0x0102);
              w.i32(-1);
              w.i64(0x0102030405060708);
              w.u32(0xA1B2C3D4);
              w.boolean(true);
              w.boolean(false);
            }),
            bytes({0xFE, 0x01, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 1,    2, 3, 4,
                   5,    6,    7,    8,    0xA1, 0xB2, 0xC3, 0xD4, 1, 0}));
}

TEST(KafkaWire, WritesVarints) {
  // 300 = 0b10'0101100: low group 0x2C with the continuation bit, then 0x02. -1 zigzags to 1.
  EXPECT_EQ(written([](Writer& w) {
              w.uvarint(300);
              w.varint(-1);
              w.varint(1);
            }),
            bytes({0xAC, 0x02, 0x01, 0x02}));
}

TEST(KafkaWire, WritesClassicAndCompactStrings) {
  EXPECT_EQ(written([](Writer& w) { w.string("abc"); }), bytes({0, 3, 'a', 'b', 'c'}));
  EXPECT_EQ(written([](Writer& w) { w.compact_string("abc"); }), bytes({4, 'a', 'b', 'c'}));
  EXPECT_EQ(written([](Writer& w) { w.string(""); }), bytes({0, 0}));
  EXPECT_EQ(written([](Writer& w) { w.compact_string(""); }), bytes({1}));
  EXPECT_EQ(written([](Writer& w) { w.str("x", false); }), bytes({0, 1, 'x'}));
  EXPECT_EQ(written([](Writer& w) { w.str("x", true); }), bytes({2, 'x'}));
}

TEST(KafkaWire, WritesNullStringsInBothForms) {
  EXPECT_EQ(written([](Writer& w) { w.nullable_string(std::nullopt); }), bytes({0xFF, 0xFF}));
  EXPECT_EQ(written([](Writer& w) { w.compact_nullable_string(std::nullopt); }), bytes({0}));
  EXPECT_EQ(written([](Writer& w) { w.nstr(std::nullopt, false); }), bytes({0xFF, 0xFF}));
  EXPECT_EQ(written([](Writer& w) { w.nstr(std::nullopt, true); }), bytes({0}));
  EXPECT_EQ(written([](Writer& w) { w.nstr("ab", true); }), bytes({3, 'a', 'b'}));
}

TEST(KafkaWire, WritesBytesInEveryForm) {
  const Bytes data = bytes({9, 8});
  EXPECT_EQ(written([&](Writer& w) { w.bytes(data); }), bytes({0, 0, 0, 2, 9, 8}));
  EXPECT_EQ(written([&](Writer& w) { w.compact_bytes(data); }), bytes({3, 9, 8}));
  EXPECT_EQ(written([&](Writer& w) { w.bytes(data, true); }), bytes({3, 9, 8}));
  EXPECT_EQ(written([](Writer& w) { w.nullable_bytes(std::nullopt); }),
            bytes({0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(written([](Writer& w) { w.compact_nullable_bytes(std::nullopt); }), bytes({0}));
}

TEST(KafkaWire, WritesArrayLengthsAndNullArrays) {
  EXPECT_EQ(written([](Writer& w) { w.array_length(2, false); }), bytes({0, 0, 0, 2}));
  EXPECT_EQ(written([](Writer& w) { w.array_length(2, true); }), bytes({3}));
  EXPECT_EQ(written([](Writer& w) { w.array_length(0, true); }), bytes({1}));
  EXPECT_EQ(written([](Writer& w) { w.null_array(false); }), bytes({0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(written([](Writer& w) { w.null_array(true); }), bytes({0}));
}

TEST(KafkaWire, WritesUuidAndEmptyTaggedFields) {
  Uuid id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(written([&](Writer& w) {
              w.uuid(id);
              w.empty_tagged_fields();
            }),
            bytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0}));
  EXPECT_EQ(written([](Writer& w) { w.tagged_fields_end(false); }), Bytes{});
}

TEST(KafkaWire, RejectsAStringLongerThanInt16) {
  const std::string big(32768, 'x');
  expect_error([&] { written([&](Writer& w) { w.string(big); }); }, ErrorCode::invalid_argument,
               "32767");
  expect_error([&] { written([&](Writer& w) { w.compact_string(big); }); },
               ErrorCode::invalid_argument, "32767");
  EXPECT_EQ(written([&](Writer& w) { w.string(big.substr(1)); }).size(), 2U + 32767U);
}

TEST(KafkaWire, ReadsWhatItWrites) {
  Uuid id{};
  id[15] = 7;
  const Bytes data = bytes({1, 2, 3});
  const Bytes all = written([&](Writer& w) {
    w.i8(-3);
    w.i16(-300);
    w.i32(123456);
    w.i64(-5);
    w.u32(0xFFFFFFFF);
    w.boolean(true);
    w.uvarint(70000);
    w.varint(-64);
    w.string("s");
    w.nullable_string(std::nullopt);
    w.compact_string("cs");
    w.compact_nullable_string(std::nullopt);
    w.bytes(data);
    w.compact_bytes(data);
    w.nullable_bytes(std::nullopt);
    w.compact_nullable_bytes(data);
    w.uuid(id);
  });
  Reader in(all, "test");
  EXPECT_EQ(in.i8("a"), -3);
  EXPECT_EQ(in.i16("b"), -300);
  EXPECT_EQ(in.i32("c"), 123456);
  EXPECT_EQ(in.i64("d"), -5);
  EXPECT_EQ(in.u32("e"), 0xFFFFFFFFU);
  EXPECT_TRUE(in.boolean("f"));
  EXPECT_EQ(in.uvarint("g"), 70000U);
  EXPECT_EQ(in.varint("h"), -64);
  EXPECT_EQ(in.string("i"), "s");
  EXPECT_EQ(in.nullable_string("j"), std::nullopt);
  EXPECT_EQ(in.compact_string("k"), "cs");
  EXPECT_EQ(in.compact_nullable_string("l"), std::nullopt);
  const auto b1 = in.bytes("m");
  EXPECT_EQ(Bytes(b1.begin(), b1.end()), data);
  const auto b2 = in.compact_bytes("n");
  EXPECT_EQ(Bytes(b2.begin(), b2.end()), data);
  EXPECT_EQ(in.nullable_bytes("o"), std::nullopt);
  const auto b3 = in.compact_nullable_bytes("p");
  ASSERT_TRUE(b3.has_value());
  EXPECT_EQ(Bytes(b3->begin(), b3->end()), data);
  EXPECT_EQ(in.uuid("q"), id);
  in.expect_end();
}

TEST(KafkaWire, ReadsBytesAsAViewIntoTheInput) {
  const Bytes data = bytes({0, 0, 0, 2, 7, 8});
  Reader in(data, "test");
  const auto view = in.bytes("records");
  EXPECT_EQ(view.data(), data.data() + 4);
  EXPECT_EQ(view.size(), 2U);
}

TEST(KafkaWire, TruncatedReadsNameTheMessageAndField) {
  const Bytes data = bytes({0, 1});
  expect_protocol_error(
      [&] {
        Reader in(data, "Metadata response", 12);
        static_cast<void>(in.i32("brokers.port"));
      },
      "kafka Metadata response v12: brokers.port: truncated: needs 4 bytes");
  expect_protocol_error(
      [&] {
        Reader in(data, "Metadata response", 12);
        static_cast<void>(in.string("brokers.host"));
      },
      "brokers.host: truncated");
  const Bytes cut_varint = bytes({0x80, 0x80});
  expect_protocol_error(
      [&] {
        Reader in(cut_varint, "test");
        static_cast<void>(in.uvarint("length"));
      },
      "length: truncated unsigned varint");
}

TEST(KafkaWire, RejectsVarintsLongerThanFiveBytes) {
  const Bytes data = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01});
  expect_protocol_error(
      [&] {
        Reader in(data, "test");
        static_cast<void>(in.uvarint("tag"));
      },
      "runs past 5 bytes");
  // Five bytes but more than 32 bits: 0x1F in the last group sets bits 32-35.
  const Bytes wide = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x1F});
  expect_protocol_error(
      [&] {
        Reader in(wide, "test");
        static_cast<void>(in.uvarint("tag"));
      },
      "does not fit 32 bits");
}

TEST(KafkaWire, NullWhereNotNullableIsAnError) {
  const Bytes classic = bytes({0xFF, 0xFF});
  expect_protocol_error(
      [&] {
        Reader in(classic, "test");
        static_cast<void>(in.string("name"));
      },
      "name: null where the field is not nullable");
  const Bytes compact = bytes({0});
  expect_protocol_error(
      [&] {
        Reader in(compact, "test");
        static_cast<void>(in.array_length("topics", true));
      },
      "topics: null array");
}

TEST(KafkaWire, AnOversizedArrayLengthIsRejectedBeforeAllocating) {
  // 2^31 - 1 elements announced with four bytes left: rejected by the length check alone
  // (an attempt to reserve that many would throw std::length_error or bad_alloc instead).
  const Bytes classic = bytes({0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0});
  expect_protocol_error(
      [&] {
        Reader in(classic, "test");
        static_cast<void>(in.array_length("replica_nodes", false, 4));
      },
      "replica_nodes: array of 2147483647 elements overruns the data");
  const Bytes compact = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1});
  expect_protocol_error(
      [&] {
        Reader in(compact, "test");
        static_cast<void>(in.nullable_array_length("topics", true));
      },
      "topics: array of 4294967294 elements");
  // A string length beyond the data is refused the same way.
  const Bytes long_string = bytes({0x7F, 0xFF, 'a'});
  expect_protocol_error(
      [&] {
        Reader in(long_string, "test");
        static_cast<void>(in.string("host"));
      },
      "host: truncated: needs 32767 bytes");
}

TEST(KafkaWire, ReadsArrayLengthsInBothForms) {
  const Bytes data = bytes({0, 0, 0, 1, 0xAA, 2, 0xBB, 0xFF, 0xFF, 0xFF, 0xFF, 0});
  Reader in(data, "test");
  EXPECT_EQ(in.array_length("classic", false), 1U);
  EXPECT_EQ(in.i8("element"), static_cast<std::int8_t>(0xAA));
  EXPECT_EQ(in.array_length("compact", true), 1U);
  EXPECT_EQ(in.i8("element"), static_cast<std::int8_t>(0xBB));
  EXPECT_EQ(in.nullable_array_length("classic null", false), std::nullopt);
  EXPECT_EQ(in.nullable_array_length("compact null", true), std::nullopt);
  in.expect_end();
}

TEST(KafkaWire, SkipsUnknownTaggedFields) {
  // Two fields: tag 3 with 2 bytes, tag 40 with 1 byte; then one more byte of the message.
  const Bytes data = bytes({2, 3, 2, 0xDE, 0xAD, 40, 1, 0xEF, 0x55});
  Reader in(data, "test");
  in.skip_tagged_fields();
  EXPECT_EQ(in.i8("after"), 0x55);
  in.expect_end();
}

TEST(KafkaWire, HandsKnownTaggedFieldsToTheHandler) {
  const Bytes data = bytes({2, 0, 4, 0, 0, 0, 9, 5, 1, 0xEE});
  Reader in(data, "test");
  std::int32_t seen = 0;
  std::vector<std::uint32_t> tags;
  in.tagged_fields("tags", [&](std::uint32_t tag, Reader& field) {
    tags.push_back(tag);
    if (tag != 0) return false;
    seen = field.i32("value");
    return true;
  });
  EXPECT_EQ(seen, 9);
  EXPECT_EQ(tags, (std::vector<std::uint32_t>{0, 5}));
  in.expect_end();
}

TEST(KafkaWire, AKnownTaggedFieldWithBytesLeftOverIsAnError) {
  const Bytes data = bytes({1, 0, 5, 0, 0, 0, 9, 0xFF});
  expect_protocol_error(
      [&] {
        Reader in(data, "test");
        in.tagged_fields("current_leader", [](std::uint32_t, Reader& field) {
          static_cast<void>(field.i32("leader_id"));
          return true;
        });
      },
      "current_leader: 1 unexpected bytes");
}

TEST(KafkaWire, ATaggedFieldLongerThanTheDataIsAnError) {
  const Bytes data = bytes({1, 0, 100, 1, 2});
  expect_protocol_error(
      [&] {
        Reader in(data, "test");
        in.skip_tagged_fields();
      },
      "tagged fields: truncated: needs 100 bytes");
}

TEST(KafkaWire, ExpectEndReportsLeftoverBytes) {
  const Bytes data = bytes({1, 2, 3});
  expect_protocol_error(
      [&] {
        Reader in(data, "Produce response", 11);
        static_cast<void>(in.i8("x"));
        in.expect_end();
      },
      "kafka Produce response v11: end of message: 2 unexpected bytes");
}

}  // namespace
}  // namespace postwire::kafka
