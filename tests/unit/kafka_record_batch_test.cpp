#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kafka_test_util.hpp"
#include "protocol/kafka/crc32c.hpp"
#include "protocol/kafka/record_batch.hpp"

namespace postwire::kafka {
namespace {

using test::bytes;
using test::Bytes;
using test::concat;
using test::expect_error;
using test::expect_protocol_error;
using test::random_bytes;
using test::text;

constexpr DecodeLimits limits{.max_decompressed_bytes = 16U << 20U};

std::span<const std::uint8_t> view(const Bytes& b) { return b; }
std::string as_string(std::optional<std::span<const std::uint8_t>> b) {
  return b ? std::string(b->begin(), b->end()) : std::string("<null>");
}

// Big-endian fields, to lay golden batches out field by field.
Bytes be(std::uint64_t v, int width) {
  Bytes out;
  for (int i = width - 1; i >= 0; --i) {
    out.push_back(static_cast<std::uint8_t>(v >> (8U * static_cast<unsigned>(i))));
  }
  return out;
}
Bytes i8(std::int64_t v) { return be(static_cast<std::uint64_t>(v), 1); }
Bytes i16(std::int64_t v) { return be(static_cast<std::uint64_t>(v), 2); }
Bytes i32(std::int64_t v) { return be(static_cast<std::uint64_t>(v), 4); }
Bytes i64(std::int64_t v) { return be(static_cast<std::uint64_t>(v), 8); }

constexpr std::int64_t t0 = 1700000000000;  // 2023-11-14T22:13:20Z

// The two records of the golden batch, laid out by hand from the protocol guide's "Record"
// section (every varint zigzag-encoded):
//   length 14 (0x1C) | attributes 0 | timestampDelta 0 | offsetDelta 0 | key "k1" (len 2 =
//   0x04) | value "v1" | 1 header (0x02): key "h" (len 1 = 0x02), value "x"
const Bytes golden_record_1 =
    bytes({0x1C, 0x00, 0x00, 0x00, 0x04, 'k', '1', 0x04, 'v', '1', 0x02, 0x02, 'h', 0x02, 'x'});
//   length 12 (0x18) | attributes 0 | timestampDelta 5 (0x0A) | offsetDelta 1 (0x02) |
//   key "k2" | value null (-1 = 0x01) | 1 header: key "h2" (len 2 = 0x04), value null
const Bytes golden_record_2 =
    bytes({0x18, 0x00, 0x0A, 0x02, 0x04, 'k', '2', 0x01, 0x02, 0x04, 'h', '2', 0x01});

// The batch around them, from the protocol guide's "Record Batch" layout. The CRC-32C
// (0x98CDAF1C) over attributes..end was computed with a bit-at-a-time CRC-32C in Python.
const Bytes golden_batch = concat({
    i64(0),           // baseOffset
    i32(77),          // batchLength: 89 bytes in all, less the 12 of these two fields
    i32(-1),          // partitionLeaderEpoch: the broker sets it
    i8(2),            // magic
    i32(0x98CDAF1C),  // crc
    i16(0),           // attributes: no compression, create time, not transactional
    i32(1),           // lastOffsetDelta
    i64(t0),          // baseTimestamp
    i64(t0 + 5),      // maxTimestamp
    i64(1000),        // producerId
    i16(0),           // producerEpoch
    i32(0),           // baseSequence
    i32(2),           // recordCount
    golden_record_1,
    golden_record_2,
});

const Bytes x = text("x");
const HeaderView golden_headers_1[] = {{"h", view(x)}};
const HeaderView golden_headers_2[] = {{"h2", std::nullopt}};
const Bytes k1 = text("k1");
const Bytes v1 = text("v1");
const Bytes k2 = text("k2");

void append_golden_records(RecordBatchBuilder& builder) {
  builder.append(
      {.timestamp_ms = t0, .key = view(k1), .value = view(v1), .headers = golden_headers_1});
  builder.append({.timestamp_ms = t0 + 5,
                  .key = view(k2),
                  .value = std::nullopt,
                  .headers = golden_headers_2});
}

// Rewrites a finished batch's base offset and attributes and reseals its CRC: how the tests
// make what a broker or a transactional producer would have written.
Bytes patched(Bytes batch, std::int64_t base_offset, std::int16_t attributes) {
  const Bytes offset = i64(base_offset);
  std::copy(offset.begin(), offset.end(), batch.begin());
  batch[21] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(attributes) >> 8U);
  batch[22] = static_cast<std::uint8_t>(attributes);
  const Bytes crc = i32(crc32c(std::span<const std::uint8_t>(batch).subspan(21)));
  std::copy(crc.begin(), crc.end(), batch.begin() + 17);
  return batch;
}

void reseal(Bytes& batch) {
  const Bytes crc = i32(crc32c(std::span<const std::uint8_t>(batch).subspan(21)));
  std::copy(crc.begin(), crc.end(), batch.begin() + 17);
}

struct Decoded {
  BatchInfo info;
  std::vector<std::string> keys, values;
  std::vector<std::int64_t> offsets, timestamps;
};

std::vector<Decoded> decode_all(const Bytes& records, DecodeLimits with = limits) {
  std::vector<Decoded> out;
  RecordBatchReader reader(records, with);
  while (reader.next()) {
    Decoded d{reader.batch(), {}, {}, {}, {}};
    for (const DecodedRecord& r : reader.records()) {
      d.keys.push_back(as_string(r.key));
      d.values.push_back(as_string(r.value));
      d.offsets.push_back(r.offset);
      d.timestamps.push_back(r.timestamp_ms);
    }
    out.push_back(std::move(d));
  }
  EXPECT_FALSE(reader.ended_with_partial_batch());
  return out;
}

// ---- encoding -------------------------------------------------------------------------------

TEST(KafkaRecordBatch, EncodesGoldenBatch) {
  RecordBatchBuilder builder(Codec::none);
  append_golden_records(builder);
  EXPECT_EQ(builder.finish(1000, 0, 0), golden_batch);
}

TEST(KafkaRecordBatch, ReportsSizesAsRecordsAreAppended) {
  RecordBatchBuilder builder(Codec::zstd);
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(builder.uncompressed_bytes(), record_batch_overhead);

  const RecordView first{
      .timestamp_ms = t0, .key = view(k1), .value = view(v1), .headers = golden_headers_1};
  EXPECT_EQ(RecordBatchBuilder::record_size_estimate(first, 0, 0), golden_record_1.size());
  EXPECT_EQ(builder.append(first), record_batch_overhead + golden_record_1.size());

  const RecordView second{.timestamp_ms = t0 + 5, .key = view(k2), .headers = golden_headers_2};
  EXPECT_EQ(RecordBatchBuilder::record_size_estimate(second, 5, 1), golden_record_2.size());
  EXPECT_EQ(builder.append(second), golden_batch.size());
  EXPECT_EQ(builder.uncompressed_bytes(), golden_batch.size());
  EXPECT_EQ(builder.record_count(), 2U);
  EXPECT_EQ(builder.base_timestamp(), t0);
  EXPECT_FALSE(builder.empty());
}

TEST(KafkaRecordBatch, FinishLeavesTheBuilderReadyForTheNextBatch) {
  RecordBatchBuilder builder(Codec::none);
  append_golden_records(builder);
  static_cast<void>(builder.finish(1000, 0, 0));
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(builder.uncompressed_bytes(), record_batch_overhead);

  // The second batch is built from scratch: its own base timestamp and offset deltas.
  append_golden_records(builder);
  Bytes recycled = text("a buffer from a batch already sent");
  builder.finish(recycled, 1000, 0, 0);
  EXPECT_EQ(recycled, golden_batch);
}

TEST(KafkaRecordBatch, ResetDropsAppendedRecords) {
  RecordBatchBuilder builder(Codec::none);
  builder.append({.timestamp_ms = 1, .value = view(text("dropped"))});
  builder.reset();
  EXPECT_TRUE(builder.empty());
  append_golden_records(builder);
  EXPECT_EQ(builder.finish(1000, 0, 0), golden_batch);
}

TEST(KafkaRecordBatch, RefusesToFinishAnEmptyBatch) {
  RecordBatchBuilder builder(Codec::none);
  expect_error(
      ErrorCode::invalid_argument, [&] { static_cast<void>(builder.finish(-1, -1, -1)); },
      "without records");
}

TEST(KafkaRecordBatch, RejectsACompressionLevelTheCodecDoesNotHave) {
  expect_error(
      ErrorCode::invalid_argument, [] { RecordBatchBuilder builder(Codec::gzip, 12); }, "gzip");
}

TEST(KafkaRecordBatch, WritesTimestampsRelativeToTheFirstRecord) {
  RecordBatchBuilder builder(Codec::none);
  builder.append({.timestamp_ms = t0});
  builder.append({.timestamp_ms = t0 - 10});  // clocks go backwards; deltas may be negative
  builder.append({.timestamp_ms = t0 + 7});
  const auto decoded = decode_all(builder.finish(-1, -1, -1));
  ASSERT_EQ(decoded.size(), 1U);
  EXPECT_EQ(decoded[0].info.base_timestamp, t0);
  EXPECT_EQ(decoded[0].info.max_timestamp, t0 + 7);
  EXPECT_EQ(decoded[0].timestamps, (std::vector<std::int64_t>{t0, t0 - 10, t0 + 7}));
}

// ---- decoding -------------------------------------------------------------------------------

TEST(KafkaRecordBatch, DecodesGoldenBatch) {
  RecordBatchReader reader(golden_batch, limits);
  ASSERT_TRUE(reader.next());
  const BatchInfo& b = reader.batch();
  EXPECT_EQ(b.base_offset, 0);
  EXPECT_EQ(b.length, 77);
  EXPECT_EQ(b.partition_leader_epoch, -1);
  EXPECT_EQ(b.magic, 2);
  EXPECT_EQ(b.crc, 0x98CDAF1CU);
  EXPECT_EQ(b.attributes, 0);
  EXPECT_EQ(b.codec, Codec::none);
  EXPECT_FALSE(b.log_append_time);
  EXPECT_FALSE(b.transactional);
  EXPECT_FALSE(b.control);
  EXPECT_EQ(b.last_offset_delta, 1);
  EXPECT_EQ(b.base_timestamp, t0);
  EXPECT_EQ(b.max_timestamp, t0 + 5);
  EXPECT_EQ(b.producer_id, 1000);
  EXPECT_EQ(b.producer_epoch, 0);
  EXPECT_EQ(b.base_sequence, 0);
  EXPECT_EQ(b.record_count, 2);
  EXPECT_EQ(b.next_offset(), 2);
  EXPECT_EQ(reader.control_type(), std::nullopt);
  EXPECT_FALSE(reader.aborted());

  const auto records = reader.records();
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].offset, 0);
  EXPECT_EQ(records[0].timestamp_ms, t0);
  EXPECT_EQ(as_string(records[0].key), "k1");
  EXPECT_EQ(as_string(records[0].value), "v1");
  ASSERT_EQ(records[0].headers.size(), 1U);
  EXPECT_EQ(records[0].headers[0].key, "h");
  EXPECT_EQ(as_string(records[0].headers[0].value), "x");
  EXPECT_EQ(records[1].offset, 1);
  EXPECT_EQ(records[1].timestamp_ms, t0 + 5);
  EXPECT_EQ(as_string(records[1].key), "k2");
  EXPECT_FALSE(records[1].value.has_value());
  ASSERT_EQ(records[1].headers.size(), 1U);
  EXPECT_EQ(records[1].headers[0].key, "h2");
  EXPECT_FALSE(records[1].headers[0].value.has_value());

  // An uncompressed batch is read in place: the views point into the fetched bytes.
  EXPECT_GE(records[0].key->data(), golden_batch.data());
  EXPECT_LT(records[0].key->data(), golden_batch.data() + golden_batch.size());

  EXPECT_FALSE(reader.next());
  EXPECT_FALSE(reader.ended_with_partial_batch());
  EXPECT_EQ(reader.consumed_bytes(), golden_batch.size());
}

// A batch as a broker stores it with log-append time: laid out by hand like the golden
// batch, with base offset 1000, leader epoch 7, attributes 0x0008 (timestamp type
// LogAppendTime) and the broker's time as maxTimestamp; CRC-32C from Python as above.
const Bytes golden_log_append_batch = concat({
    i64(1000),
    i32(77),
    i32(7),
    i8(2),
    i32(0x1AFE2DD1),
    i16(0x0008),
    i32(1),
    i64(t0),
    i64(t0 + 9999),
    i64(-1),
    i16(-1),
    i32(-1),
    i32(2),
    golden_record_1,
    golden_record_2,
});

TEST(KafkaRecordBatch, DecodesHandMadeLogAppendTimeBatch) {
  const auto decoded = decode_all(golden_log_append_batch);
  ASSERT_EQ(decoded.size(), 1U);
  const BatchInfo& b = decoded[0].info;
  EXPECT_EQ(b.partition_leader_epoch, 7);
  EXPECT_TRUE(b.log_append_time);
  EXPECT_EQ(b.producer_id, -1);
  EXPECT_EQ(b.producer_epoch, -1);
  EXPECT_EQ(b.base_sequence, -1);
  EXPECT_EQ(b.next_offset(), 1002);
  EXPECT_EQ(decoded[0].offsets, (std::vector<std::int64_t>{1000, 1001}));
  // Log-append time replaces every record's own timestamp with the broker's.
  EXPECT_EQ(decoded[0].timestamps, (std::vector<std::int64_t>{t0 + 9999, t0 + 9999}));
}

struct SampleRecords {
  std::vector<Bytes> keys, values, header_values;
  std::vector<std::vector<HeaderView>> headers;
};

// 200 records of every shape: null and empty keys and values, several headers, large values.
SampleRecords sample_records() {
  SampleRecords s;
  for (int i = 0; i < 200; ++i) {
    s.keys.push_back(text("order-" + std::to_string(i % 17)));
    s.values.push_back(i % 50 == 49 ? random_bytes(20000, static_cast<std::uint64_t>(i))
                                    : text("{\"n\":" + std::to_string(i) + ",\"paid\":true}"));
    s.header_values.push_back(text(std::to_string(i)));
  }
  for (int i = 0; i < 200; ++i) {
    std::vector<HeaderView> h;
    for (int j = 0; j < i % 4; ++j) {
      h.push_back({j == 0 ? "pw-id" : "trace",
                   j == 2 ? std::nullopt
                          : std::optional(view(s.header_values[static_cast<std::size_t>(i)]))});
    }
    s.headers.push_back(std::move(h));
  }
  return s;
}

void append_samples(RecordBatchBuilder& builder, const SampleRecords& s) {
  for (std::size_t i = 0; i < s.keys.size(); ++i) {
    RecordView r{.timestamp_ms = t0 + static_cast<std::int64_t>(i) * 3,
                 .key = i % 7 == 0 ? std::nullopt : std::optional(view(s.keys[i])),
                 .value = i % 11 == 0 ? std::nullopt : std::optional(view(s.values[i])),
                 .headers = s.headers[i]};
    if (i % 13 == 0) {
      r.value = std::span<const std::uint8_t>();  // empty, not null
    }
    builder.append(r);
  }
}

TEST(KafkaRecordBatch, RoundTripsThroughEveryCodec) {
  const SampleRecords s = sample_records();
  for (const Codec codec : {Codec::none, Codec::gzip, Codec::snappy, Codec::lz4, Codec::zstd}) {
    SCOPED_TRACE(codec_name(codec));
    RecordBatchBuilder builder(codec);
    append_samples(builder, s);
    const std::size_t uncompressed = builder.uncompressed_bytes();
    const Bytes batch = builder.finish(77, 2, 1234);
    if (codec != Codec::none) {
      EXPECT_LT(batch.size(), uncompressed);
    } else {
      EXPECT_EQ(batch.size(), uncompressed);
    }

    RecordBatchReader reader(batch, limits);
    ASSERT_TRUE(reader.next());
    const BatchInfo& b = reader.batch();
    EXPECT_EQ(b.codec, codec);
    EXPECT_EQ(b.attributes, static_cast<std::int16_t>(codec));
    EXPECT_EQ(b.record_count, 200);
    EXPECT_EQ(b.last_offset_delta, 199);
    EXPECT_EQ(b.producer_id, 77);
    EXPECT_EQ(b.producer_epoch, 2);
    EXPECT_EQ(b.base_sequence, 1234);
    EXPECT_EQ(b.max_timestamp, t0 + 199 * 3);
    const auto records = reader.records();
    ASSERT_EQ(records.size(), 200U);
    for (std::size_t i = 0; i < records.size(); ++i) {
      SCOPED_TRACE("record " + std::to_string(i));
      const DecodedRecord& r = records[i];
      EXPECT_EQ(r.offset, static_cast<std::int64_t>(i));
      EXPECT_EQ(r.timestamp_ms, t0 + static_cast<std::int64_t>(i) * 3);
      EXPECT_EQ(r.key.has_value(), i % 7 != 0);
      if (r.key) {
        EXPECT_EQ(Bytes(r.key->begin(), r.key->end()), s.keys[i]);
      }
      if (i % 13 == 0) {
        ASSERT_TRUE(r.value.has_value());
        EXPECT_TRUE(r.value->empty());
      } else if (i % 11 == 0) {
        EXPECT_FALSE(r.value.has_value());
      } else {
        ASSERT_TRUE(r.value.has_value());
        EXPECT_EQ(Bytes(r.value->begin(), r.value->end()), s.values[i]);
      }
      ASSERT_EQ(r.headers.size(), s.headers[i].size());
      for (std::size_t h = 0; h < r.headers.size(); ++h) {
        EXPECT_EQ(r.headers[h].key, s.headers[i][h].key);
        EXPECT_EQ(as_string(r.headers[h].value), as_string(s.headers[i][h].value));
      }
    }
    EXPECT_FALSE(reader.next());
  }
}

TEST(KafkaRecordBatch, ReadsSeveralBatchesOfOneFetch) {
  RecordBatchBuilder builder(Codec::lz4);
  append_golden_records(builder);
  const Bytes first = builder.finish(1000, 0, 0);
  append_golden_records(builder);
  const Bytes second = patched(builder.finish(1000, 0, 2), 2, 3);
  const auto decoded = decode_all(concat({first, second, golden_log_append_batch}));
  ASSERT_EQ(decoded.size(), 3U);
  EXPECT_EQ(decoded[0].offsets, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(decoded[1].offsets, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(decoded[1].values, (std::vector<std::string>{"v1", "<null>"}));
  EXPECT_EQ(decoded[2].offsets, (std::vector<std::int64_t>{1000, 1001}));
}

TEST(KafkaRecordBatch, IgnoresAPartialTrailingBatch) {
  RecordBatchBuilder builder(Codec::gzip);
  append_golden_records(builder);
  const Bytes second = patched(builder.finish(1000, 0, 2), 2, 1);
  for (std::size_t keep = 1; keep < second.size(); ++keep) {
    SCOPED_TRACE("second batch cut to " + std::to_string(keep) + " bytes");
    const Bytes fetched =
        concat({golden_batch, Bytes(second.begin(), second.begin() + static_cast<long>(keep))});
    RecordBatchReader reader(fetched, limits);
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.records().size(), 2U);
    EXPECT_FALSE(reader.next());
    EXPECT_TRUE(reader.ended_with_partial_batch());
    EXPECT_EQ(reader.consumed_bytes(), golden_batch.size());
  }
}

TEST(KafkaRecordBatch, DetectsACorruptCrc) {
  Bytes corrupt = golden_batch;
  corrupt[corrupt.size() - 8] ^= 0x20;  // "k2" becomes "K2"
  expect_protocol_error([&] { static_cast<void>(decode_all(corrupt)); },
                        "kafka record batch at offset 0: CRC mismatch");
  // With checking off (a consumer's check.crcs=false) the record is read as it is.
  const auto decoded = decode_all(corrupt, {.max_decompressed_bytes = 1024, .verify_crc = false});
  ASSERT_EQ(decoded.size(), 1U);
  EXPECT_EQ(decoded[0].keys, (std::vector<std::string>{"k1", "K2"}));
}

TEST(KafkaRecordBatch, NamesTheOffsetOfTheCorruptBatch) {
  Bytes corrupt = golden_log_append_batch;
  corrupt[17] ^= 0x01;
  expect_protocol_error(
      [&] {
        static_cast<void>(decode_all(concat({golden_batch, corrupt})));
      },
      "kafka record batch at offset 1000: CRC mismatch");
}

// Kafka's message sets before 0.11 (magic 0 and 1): offset, size, then crc, magic, ... The
// magic sits at byte 16, where v2 has it, which is how readers tell them apart.
TEST(KafkaRecordBatch, RejectsOldMessageFormats) {
  const Bytes body = concat({i32(0x12345678), i8(1), i8(0), i64(t0), i32(-1), i32(1), text("v")});
  const Bytes magic_1 = concat({i64(5), i32(static_cast<std::int64_t>(body.size())), body});
  expect_protocol_error([&] { static_cast<void>(decode_all(magic_1)); },
                        "kafka record batch at offset 5: magic 1 not supported");
  Bytes magic_0 = magic_1;
  magic_0[16] = 0;
  expect_protocol_error([&] { static_cast<void>(decode_all(magic_0)); }, "magic 0 not supported");
}

TEST(KafkaRecordBatch, RejectsAnUnknownCodec) {
  expect_protocol_error([&] { static_cast<void>(decode_all(patched(golden_batch, 0, 5))); },
                        "unknown compression codec 5");
}

TEST(KafkaRecordBatch, RejectsMalformedRecords) {
  const std::size_t first_record = record_batch_overhead;
  const std::size_t second_record = first_record + golden_record_1.size();
  struct Case {
    const char* name;
    std::size_t at;
    std::uint8_t value;
    const char* error;
  };
  const Case cases[] = {
      {"record longer than the batch", first_record, 0x7E, "overruns"},
      {"record shorter than its fields", first_record, 0x10, "overruns the record"},
      {"key longer than the record", first_record + 4, 0x7E, "key of 63 bytes overruns"},
      {"negative key length", first_record + 4, 0x03, "key has invalid length -2"},
      {"negative header count", second_record + 8, 0x01, "negative header count -1"},
      {"fields end before the record", first_record, 0x1E, "1 byte left over"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Bytes bad = golden_batch;
    bad[c.at] = c.value;
    reseal(bad);
    expect_protocol_error([&] { static_cast<void>(decode_all(bad)); }, c.error);
  }
}

TEST(KafkaRecordBatch, RejectsARecordCountThatDisagreesWithTheRecords) {
  Bytes more = golden_batch;
  more[60] = 3;
  reseal(more);
  expect_protocol_error([&] { static_cast<void>(decode_all(more)); }, "record 2: length");
  Bytes fewer = golden_batch;
  fewer[60] = 1;
  reseal(fewer);
  expect_protocol_error([&] { static_cast<void>(decode_all(fewer)); },
                        "13 bytes after the last of its 1 records");
}

TEST(KafkaRecordBatch, BoundsDecompression) {
  RecordBatchBuilder builder(Codec::zstd);
  const Bytes zeros(100000, 0);
  builder.append({.timestamp_ms = t0, .value = view(zeros)});
  const Bytes batch = builder.finish(-1, -1, -1);
  EXPECT_EQ(decode_all(batch).size(), 1U);
  expect_protocol_error(
      [&] { static_cast<void>(decode_all(batch, {.max_decompressed_bytes = 50000})); },
      "exceeds the limit of 50000 bytes");
}

// Offsets from the wire can be anything; their sums wrap (as Java's long arithmetic does)
// instead of overflowing.
TEST(KafkaRecordBatch, OffsetArithmeticWrapsLikeJava) {
  BatchInfo b;
  b.base_offset = std::numeric_limits<std::int64_t>::max();
  b.last_offset_delta = 1;
  EXPECT_EQ(b.last_offset(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(b.next_offset(), std::numeric_limits<std::int64_t>::min() + 1);
}

// ---- producer fields ------------------------------------------------------------------------

TEST(KafkaRecordBatch, RewriteProducerFieldsKeepsAValidCrc) {
  const SampleRecords s = sample_records();
  RecordBatchBuilder builder(Codec::snappy);
  append_samples(builder, s);
  const Bytes original = builder.finish(-1, -1, -1);
  Bytes rewritten = original;
  rewrite_producer_fields(rewritten, 4242, 7, 99);

  RecordBatchReader reader(rewritten, limits);
  ASSERT_TRUE(reader.next());  // verifies the CRC
  EXPECT_EQ(reader.batch().producer_id, 4242);
  EXPECT_EQ(reader.batch().producer_epoch, 7);
  EXPECT_EQ(reader.batch().base_sequence, 99);
  EXPECT_EQ(reader.records().size(), 200U);

  // Only the producer fields and the CRC changed; the compressed records did not.
  for (std::size_t i = 0; i < original.size(); ++i) {
    const bool producer_field = i >= 43 && i < 57;
    const bool crc = i >= 17 && i < 21;
    if (!producer_field && !crc) {
      ASSERT_EQ(rewritten[i], original[i]) << "byte " << i;
    }
  }
}

TEST(KafkaRecordBatch, RewritesTheGoldenBatchToItsIdempotentForm) {
  RecordBatchBuilder builder(Codec::none);
  append_golden_records(builder);
  Bytes batch = builder.finish(-1, -1, -1);
  EXPECT_NE(batch, golden_batch);
  rewrite_producer_fields(batch, 1000, 0, 0);
  EXPECT_EQ(batch, golden_batch);
}

TEST(KafkaRecordBatch, RewriteProducerFieldsNeedsExactlyOneBatch) {
  Bytes two = concat({golden_batch, golden_batch});
  expect_error(
      ErrorCode::invalid_argument, [&] { rewrite_producer_fields(two, 1, 1, 1); }, "one v2 batch");
  Bytes short_one(golden_batch.begin(), golden_batch.begin() + 40);
  expect_error(
      ErrorCode::invalid_argument, [&] { rewrite_producer_fields(short_one, 1, 1, 1); },
      "one v2 batch");
}

// ---- transactions (KIP-98) ------------------------------------------------------------------

constexpr std::int16_t transactional = 0x10;
constexpr std::int16_t transactional_control = 0x30;

// Two records of a transaction's data from `producer`, at `base_offset`.
Bytes data_batch(std::int64_t producer, std::int64_t base_offset, bool in_transaction,
                 const std::string& tag) {
  RecordBatchBuilder builder(Codec::none);
  const Bytes a = text(tag + "-a");
  const Bytes b = text(tag + "-b");
  builder.append({.timestamp_ms = t0, .value = view(a)});
  builder.append({.timestamp_ms = t0, .value = view(b)});
  return patched(builder.finish(producer, 0, 0), base_offset,
                 in_transaction ? transactional : std::int16_t{0});
}

// A transaction marker: one control record whose key is version 0 + type, and whose value
// is version 0 + the coordinator epoch.
Bytes marker(std::int64_t producer, std::int64_t offset, ControlType type) {
  RecordBatchBuilder builder(Codec::none);
  const Bytes key = concat({i16(0), i16(static_cast<std::int16_t>(type))});
  const Bytes value = concat({i16(0), i32(3)});
  builder.append({.timestamp_ms = t0, .key = view(key), .value = view(value)});
  return patched(builder.finish(producer, 0, 0), offset, transactional_control);
}

// Producer 7's transaction at 0-1 is aborted (its marker at 4), producer 8's at 2-3 commits
// (marker at 5); producer 7 then writes a new transaction at 6-7, and producer 9, not
// transactional, writes at 8-9.
Bytes interleaved_transactions() {
  return concat({data_batch(7, 0, true, "p7-aborted"), data_batch(8, 2, true, "p8-committed"),
                 marker(7, 4, ControlType::abort), marker(8, 5, ControlType::commit),
                 data_batch(7, 6, true, "p7-second"), data_batch(9, 8, false, "p9-plain")});
}

struct Walk {
  std::vector<std::string> values;
  std::vector<std::int64_t> aborted_batches;
  std::vector<std::pair<std::int64_t, ControlType>> markers;
  std::int64_t next_offset = 0;
};

Walk walk(RecordBatchReader& reader) {
  Walk w;
  while (reader.next()) {
    for (const DecodedRecord& r : reader.records()) {
      w.values.push_back(as_string(r.value));
    }
    if (reader.aborted()) {
      EXPECT_TRUE(reader.records().empty());
      w.aborted_batches.push_back(reader.batch().base_offset);
    }
    if (const auto type = reader.control_type()) {
      EXPECT_TRUE(reader.records().empty());
      w.markers.emplace_back(reader.batch().base_offset, *type);
    }
    w.next_offset = reader.batch().next_offset();
  }
  return w;
}

TEST(KafkaRecordBatch, ExposesControlBatchesWithoutDeliveringThem) {
  const Bytes fetched = interleaved_transactions();
  RecordBatchReader reader(fetched, limits);
  const Walk w = walk(reader);
  // Read uncommitted: every data record, aborted or not; the markers only as markers.
  EXPECT_EQ(w.values, (std::vector<std::string>{"p7-aborted-a", "p7-aborted-b", "p8-committed-a",
                                                "p8-committed-b", "p7-second-a", "p7-second-b",
                                                "p9-plain-a", "p9-plain-b"}));
  EXPECT_EQ(w.markers, (std::vector<std::pair<std::int64_t, ControlType>>{
                           {4, ControlType::abort}, {5, ControlType::commit}}));
  EXPECT_TRUE(w.aborted_batches.empty());
  EXPECT_EQ(w.next_offset, 10);
}

TEST(KafkaRecordBatch, ReadCommittedDropsAbortedTransactions) {
  const Bytes fetched = interleaved_transactions();
  const AbortedTransaction aborted[] = {{.producer_id = 7, .first_offset = 0}};
  RecordBatchReader reader(fetched, limits, aborted);
  const Walk w = walk(reader);
  EXPECT_EQ(w.values, (std::vector<std::string>{"p8-committed-a", "p8-committed-b", "p7-second-a",
                                                "p7-second-b", "p9-plain-a", "p9-plain-b"}));
  EXPECT_EQ(w.aborted_batches, (std::vector<std::int64_t>{0}));
  EXPECT_EQ(w.markers.size(), 2U);
  EXPECT_EQ(w.next_offset, 10);  // the position still moves past what was dropped
}

TEST(KafkaRecordBatch, ReadCommittedEndsAnAbortedTransactionAtItsAbortMarkerOnly) {
  // Producer 7 aborts twice: at 0 (marker at 4) and at 6 (no marker in this fetch yet). The
  // list comes unsorted, as nothing requires a broker to sort it.
  const Bytes fetched = interleaved_transactions();
  const AbortedTransaction aborted[] = {{.producer_id = 7, .first_offset = 6},
                                        {.producer_id = 7, .first_offset = 0}};
  RecordBatchReader reader(fetched, limits, aborted);
  const Walk w = walk(reader);
  EXPECT_EQ(w.values, (std::vector<std::string>{"p8-committed-a", "p8-committed-b", "p9-plain-a",
                                                "p9-plain-b"}));
  EXPECT_EQ(w.aborted_batches, (std::vector<std::int64_t>{0, 6}));
}

TEST(KafkaRecordBatch, AReaderStartsOverOnTheNextFetch) {
  const Bytes transactions = interleaved_transactions();
  const AbortedTransaction aborted[] = {{.producer_id = 7, .first_offset = 0}};
  RecordBatchReader reader(transactions, limits, aborted);
  EXPECT_EQ(walk(reader).values.size(), 6U);

  const Bytes cut(golden_batch.begin(), golden_batch.end() - 1);
  reader.reset(cut);  // read uncommitted from here on, and nothing left over from before
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.ended_with_partial_batch());

  reader.reset(transactions);
  EXPECT_EQ(walk(reader).values.size(), 8U);
  EXPECT_FALSE(reader.ended_with_partial_batch());

  reader.reset(transactions, aborted);
  EXPECT_EQ(walk(reader).values.size(), 6U);
}

TEST(KafkaRecordBatch, ReadCommittedKeepsDataThatIsNotTransactional) {
  // An aborted-transaction entry for producer 9 does not drop its non-transactional data.
  const Bytes fetched = interleaved_transactions();
  const AbortedTransaction aborted[] = {{.producer_id = 9, .first_offset = 0}};
  RecordBatchReader reader(fetched, limits, aborted);
  EXPECT_EQ(walk(reader).values.size(), 8U);
}

TEST(KafkaRecordBatch, RejectsAControlRecordWithAShortKey) {
  RecordBatchBuilder builder(Codec::none);
  const Bytes key = i16(0);
  builder.append({.timestamp_ms = t0, .key = view(key)});
  const Bytes bad = patched(builder.finish(7, 0, 0), 0, transactional_control);
  expect_protocol_error([&] { static_cast<void>(decode_all(bad)); }, "control record key");
}

}  // namespace
}  // namespace postwire::kafka
