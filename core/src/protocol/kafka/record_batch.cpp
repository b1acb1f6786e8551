#include "protocol/kafka/record_batch.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "postwire/error.hpp"
#include "protocol/kafka/crc32c.hpp"
#include "protocol/kafka/varint.hpp"

namespace postwire::kafka {
namespace {

// Where each field of the fixed part starts (the protocol guide's layout, see the header).
namespace at {
constexpr std::size_t base_offset = 0;
constexpr std::size_t length = 8;
constexpr std::size_t partition_leader_epoch = 12;
constexpr std::size_t magic = 16;
constexpr std::size_t crc = 17;
constexpr std::size_t attributes = 21;
constexpr std::size_t last_offset_delta = 23;
constexpr std::size_t base_timestamp = 27;
constexpr std::size_t max_timestamp = 35;
constexpr std::size_t producer_id = 43;
constexpr std::size_t producer_epoch = 51;
constexpr std::size_t base_sequence = 53;
constexpr std::size_t record_count = 57;
constexpr std::size_t records = 61;
}  // namespace at
static_assert(at::records == record_batch_overhead);

// baseOffset and batchLength come before what batchLength counts.
constexpr std::size_t log_overhead = 12;

// Attribute bits (the protocol guide; DefaultRecordBatch's masks).
constexpr unsigned codec_mask = 0x07;
constexpr unsigned timestamp_type_bit = 0x08;
constexpr unsigned transactional_bit = 0x10;
constexpr unsigned control_bit = 0x20;

constexpr auto int32_max = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

// ---- big-endian fields ----------------------------------------------------------------------

void store_be16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8U);
  p[1] = static_cast<std::uint8_t>(v);
}
void store_be32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24U);
  p[1] = static_cast<std::uint8_t>(v >> 16U);
  p[2] = static_cast<std::uint8_t>(v >> 8U);
  p[3] = static_cast<std::uint8_t>(v);
}
void store_be64(std::uint8_t* p, std::uint64_t v) {
  store_be32(p, static_cast<std::uint32_t>(v >> 32U));
  store_be32(p + 4, static_cast<std::uint32_t>(v));
}
std::uint16_t load_be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((unsigned{p[0]} << 8U) | p[1]);
}
std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24U) | (std::uint32_t{p[1]} << 16U) | (std::uint32_t{p[2]} << 8U) |
         std::uint32_t{p[3]};
}
std::uint64_t load_be64(const std::uint8_t* p) {
  return (std::uint64_t{load_be32(p)} << 32U) | load_be32(p + 4);
}

void store_i16(std::uint8_t* p, std::int16_t v) { store_be16(p, static_cast<std::uint16_t>(v)); }
void store_i32(std::uint8_t* p, std::int32_t v) { store_be32(p, static_cast<std::uint32_t>(v)); }
void store_i64(std::uint8_t* p, std::int64_t v) { store_be64(p, static_cast<std::uint64_t>(v)); }

// Offsets and timestamps come from the wire: add them as Java does, wrapping, rather than
// overflow a signed integer.
std::int64_t wrapping_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

std::uint32_t batch_crc(std::span<const std::uint8_t> batch) {
  return crc32c(batch.subspan(at::attributes));
}

void seal(std::span<std::uint8_t> batch) { store_be32(batch.data() + at::crc, batch_crc(batch)); }

// ---- encoding a record ----------------------------------------------------------------------

using Nullable = std::optional<std::span<const std::uint8_t>>;

// Varints written through a pointer into room already made: one resize per record instead of
// a push_back per byte.
std::uint8_t* store_varint(std::uint8_t* p, std::int64_t v) {
  std::uint64_t u = zigzag_encode(v);
  while (u >= 0x80U) {
    *p++ = static_cast<std::uint8_t>(u | 0x80U);
    u >>= 7U;
  }
  *p++ = static_cast<std::uint8_t>(u);
  return p;
}

std::uint8_t* store_raw(std::uint8_t* p, const void* data, std::size_t n) {
  if (n != 0) {
    std::memcpy(p, data, n);
  }
  return p + n;
}

std::uint8_t* store_nullable(std::uint8_t* p, const Nullable& bytes) {
  if (!bytes) {
    return store_varint(p, -1);
  }
  p = store_varint(p, static_cast<std::int64_t>(bytes->size()));
  return store_raw(p, bytes->data(), bytes->size());
}

std::size_t nullable_size(const Nullable& bytes) {
  return bytes ? varint_size(static_cast<std::int64_t>(bytes->size())) + bytes->size() : 1;
}

// The record after its length field.
std::size_t body_size(const RecordView& record, std::int64_t timestamp_delta,
                      std::int32_t offset_delta) {
  std::size_t size = 1 + varint_size(timestamp_delta) + varint_size(offset_delta) +
                     nullable_size(record.key) + nullable_size(record.value) +
                     varint_size(static_cast<std::int64_t>(record.headers.size()));
  for (const HeaderView& header : record.headers) {
    size += varint_size(static_cast<std::int64_t>(header.key.size())) + header.key.size() +
            nullable_size(header.value);
  }
  return size;
}

void check_fits_int32(std::size_t n, std::string_view what) {
  if (n > int32_max) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka record: " + std::string(what) + " of " + std::to_string(n) +
                        " bytes is longer than a record can hold (2^31-1)");
  }
}

void check_record(const RecordView& record) {
  if (record.key) {
    check_fits_int32(record.key->size(), "key");
  }
  if (record.value) {
    check_fits_int32(record.value->size(), "value");
  }
  check_fits_int32(record.headers.size(), "header count");
  for (const HeaderView& header : record.headers) {
    check_fits_int32(header.key.size(), "header key");
    if (header.value) {
      check_fits_int32(header.value->size(), "header value");
    }
  }
}

std::uint8_t* store_record(std::uint8_t* p, const RecordView& record, std::size_t body,
                           std::int64_t timestamp_delta, std::int32_t offset_delta) {
  p = store_varint(p, static_cast<std::int64_t>(body));
  *p++ = 0;  // record attributes: none are defined
  p = store_varint(p, timestamp_delta);
  p = store_varint(p, offset_delta);
  p = store_nullable(p, record.key);
  p = store_nullable(p, record.value);
  p = store_varint(p, static_cast<std::int64_t>(record.headers.size()));
  for (const HeaderView& header : record.headers) {
    p = store_varint(p, static_cast<std::int64_t>(header.key.size()));
    p = store_raw(p, header.key.data(), header.key.size());
    p = store_nullable(p, header.value);
  }
  return p;
}

// ---- decoding -------------------------------------------------------------------------------

[[noreturn]] void batch_error(std::int64_t base_offset, const std::string& what) {
  throw Exception(ErrorCode::protocol_error,
                  "kafka record batch at offset " + std::to_string(base_offset) + ": " + what);
}

// Reads the fields of one record, never past its declared length.
class RecordCursor {
 public:
  RecordCursor(std::span<const std::uint8_t> bytes, std::int64_t base_offset, std::size_t index)
      : bytes_(bytes), base_offset_(base_offset), index_(index) {}

  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - pos_; }

  std::uint8_t u8(const char* what) {
    if (remaining() < 1) {
      fail(std::string(what) + " is truncated");
    }
    return bytes_[pos_++];
  }

  std::int32_t varint32(const char* what) {
    const std::uint64_t raw = uvarint(max_varint32_bytes, what);
    if (raw > std::numeric_limits<std::uint32_t>::max()) {
      fail(std::string(what) + " does not fit 32 bits");
    }
    return static_cast<std::int32_t>(zigzag_decode(raw));  // within int32 for a 32-bit code
  }

  std::int64_t varint64(const char* what) {
    return zigzag_decode(uvarint(max_varint64_bytes, what));
  }

  // A varint length, -1 for null, then that many bytes.
  Nullable nullable_bytes(const char* what) {
    const std::int32_t length = varint32(what);
    if (length == -1) {
      return std::nullopt;
    }
    return take(length, what);
  }

  std::span<const std::uint8_t> take(std::int32_t length, const char* what) {
    if (length < 0) {
      fail(std::string(what) + " has invalid length " + std::to_string(length));
    }
    const auto n = static_cast<std::size_t>(length);
    if (n > remaining()) {
      fail(std::string(what) + " of " + std::to_string(n) + " bytes overruns the record (" +
           std::to_string(remaining()) + " bytes remain)");
    }
    const auto part = bytes_.subspan(pos_, n);
    pos_ += n;
    return part;
  }

  [[noreturn]] void fail(const std::string& what) const {
    batch_error(base_offset_, "record " + std::to_string(index_) + ": " + what);
  }

 private:
  std::uint64_t uvarint(std::size_t max_bytes, const char* what) {
    const auto read = read_uvarint(bytes_.subspan(pos_), max_bytes);
    if (!read) {
      fail(std::string(what) + " is not a valid varint (truncated or too long)");
    }
    pos_ += read->length;
    return read->value;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::int64_t base_offset_;
  std::size_t index_;
};

std::string byte_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The control record's key: version int16 (0), type int16 (KIP-98, ControlRecordType).
ControlType control_type_of(const DecodedRecord& record, std::int64_t base_offset) {
  if (!record.key || record.key->size() < 4) {
    batch_error(base_offset, "control record key is shorter than its 4 bytes");
  }
  switch (static_cast<std::int16_t>(load_be16(record.key->data() + 2))) {
    case 0:
      return ControlType::abort;
    case 1:
      return ControlType::commit;
    default:
      return ControlType::unknown;
  }
}

}  // namespace

// ---- RecordBatchBuilder ---------------------------------------------------------------------

RecordBatchBuilder::RecordBatchBuilder(Codec codec, int compression_level)
    : codec_(codec), compression_level_(compression_level) {
  check_compression_level(codec, compression_level);
  buffer_.resize(record_batch_overhead);
}

std::size_t RecordBatchBuilder::record_size_estimate(const RecordView& record,
                                                     std::int64_t timestamp_delta,
                                                     std::int32_t offset_delta) {
  const std::size_t body = body_size(record, timestamp_delta, offset_delta);
  return varint_size(static_cast<std::int64_t>(body)) + body;
}

std::size_t RecordBatchBuilder::append(const RecordView& record) {
  check_record(record);
  if (count_ >= int32_max) {
    throw Exception(ErrorCode::invalid_argument, "kafka record batch: too many records");
  }
  const std::int64_t base = count_ == 0 ? record.timestamp_ms : base_timestamp_;
  std::int64_t timestamp_delta = 0;
  if (__builtin_sub_overflow(record.timestamp_ms, base, &timestamp_delta)) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka record batch: timestamp " + std::to_string(record.timestamp_ms) +
                        " is too far from the batch's first, " + std::to_string(base));
  }
  const auto offset_delta = static_cast<std::int32_t>(count_);
  const std::size_t body = body_size(record, timestamp_delta, offset_delta);
  const std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + varint_size(static_cast<std::int64_t>(body)) + body);
  store_record(buffer_.data() + old_size, record, body, timestamp_delta, offset_delta);

  if (count_ == 0) {
    base_timestamp_ = record.timestamp_ms;
    max_timestamp_ = record.timestamp_ms;
  }
  max_timestamp_ = std::max(max_timestamp_, record.timestamp_ms);
  ++count_;
  return buffer_.size();
}

std::vector<std::uint8_t> RecordBatchBuilder::finish(std::int64_t producer_id,
                                                     std::int16_t producer_epoch,
                                                     std::int32_t base_sequence) {
  std::vector<std::uint8_t> out;
  finish(out, producer_id, producer_epoch, base_sequence);
  return out;
}

void RecordBatchBuilder::finish(std::vector<std::uint8_t>& out, std::int64_t producer_id,
                                std::int16_t producer_epoch, std::int32_t base_sequence) {
  if (count_ == 0) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka record batch: cannot finish a batch without records");
  }
  if (codec_ == Codec::none) {
    // A copy rather than a swap: the builder keeps its grown buffer for the next batch, and
    // `out` reuses its own capacity (or is allocated once, at its exact size).
    out.assign(buffer_.begin(), buffer_.end());
  } else {
    out.clear();
    out.resize(record_batch_overhead);
    compress(codec_, std::span<const std::uint8_t>(buffer_).subspan(record_batch_overhead), out,
             compression_level_);
  }
  if (out.size() - log_overhead > int32_max) {
    const std::size_t size = out.size();
    reset();
    throw Exception(ErrorCode::message_too_large,
                    "kafka record batch of " + std::to_string(size) +
                        " bytes is larger than batchLength can describe");
  }

  std::uint8_t* p = out.data();
  store_i64(p + at::base_offset, 0);
  store_i32(p + at::length, static_cast<std::int32_t>(out.size() - log_overhead));
  store_i32(p + at::partition_leader_epoch, -1);
  p[at::magic] = static_cast<std::uint8_t>(record_batch_magic);
  // Create-time timestamps, not transactional, not a control batch: only the codec is set.
  store_i16(p + at::attributes, static_cast<std::int16_t>(codec_));
  store_i32(p + at::last_offset_delta, static_cast<std::int32_t>(count_ - 1));
  store_i64(p + at::base_timestamp, base_timestamp_);
  store_i64(p + at::max_timestamp, max_timestamp_);
  store_i64(p + at::producer_id, producer_id);
  store_i16(p + at::producer_epoch, producer_epoch);
  store_i32(p + at::base_sequence, base_sequence);
  store_i32(p + at::record_count, static_cast<std::int32_t>(count_));
  seal(out);
  reset();
}

void RecordBatchBuilder::reset() noexcept {
  buffer_.resize(record_batch_overhead);  // shrinking keeps the capacity
  count_ = 0;
  base_timestamp_ = 0;
  max_timestamp_ = 0;
}

void rewrite_producer_fields(std::span<std::uint8_t> batch, std::int64_t producer_id,
                             std::int16_t producer_epoch, std::int32_t base_sequence) {
  if (batch.size() < record_batch_overhead ||
      static_cast<std::int8_t>(batch[at::magic]) != record_batch_magic ||
      load_be32(batch.data() + at::length) != batch.size() - log_overhead) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka record batch: rewriting producer fields needs exactly one v2 batch");
  }
  store_i64(batch.data() + at::producer_id, producer_id);
  store_i16(batch.data() + at::producer_epoch, producer_epoch);
  store_i32(batch.data() + at::base_sequence, base_sequence);
  seal(batch);
}

// ---- RecordBatchReader ----------------------------------------------------------------------

RecordBatchReader::RecordBatchReader(std::span<const std::uint8_t> records, DecodeLimits limits)
    : limits_(limits) {
  reset(records);
}

RecordBatchReader::RecordBatchReader(std::span<const std::uint8_t> records, DecodeLimits limits,
                                     std::span<const AbortedTransaction> aborted)
    : limits_(limits) {
  reset(records, aborted);
}

void RecordBatchReader::reset(std::span<const std::uint8_t> records) {
  input_ = records;
  position_ = 0;
  partial_ = false;
  batch_ = BatchInfo{};
  control_.reset();
  aborted_ = false;
  live_records_ = 0;
  read_committed_ = false;
  pending_aborts_.clear();
  next_abort_ = 0;
  aborting_producers_.clear();
}

void RecordBatchReader::reset(std::span<const std::uint8_t> records,
                              std::span<const AbortedTransaction> aborted) {
  reset(records);
  read_committed_ = true;
  pending_aborts_.assign(aborted.begin(), aborted.end());
  std::stable_sort(pending_aborts_.begin(), pending_aborts_.end(),
                   [](const AbortedTransaction& a, const AbortedTransaction& b) {
                     return a.first_offset < b.first_offset;
                   });
}

bool RecordBatchReader::next() {
  live_records_ = 0;
  control_.reset();
  aborted_ = false;

  const std::size_t remaining = input_.size() - position_;
  if (remaining == 0) {
    return false;
  }
  // A broker fills a fetch up to its size limit and may cut the last batch short.
  if (remaining < log_overhead) {
    partial_ = true;
    return false;
  }
  const std::uint8_t* p = input_.data() + position_;
  const auto base_offset = static_cast<std::int64_t>(load_be64(p + at::base_offset));
  const auto length = static_cast<std::int32_t>(load_be32(p + at::length));
  if (length < 0) {
    batch_error(base_offset, "negative batchLength " + std::to_string(length));
  }
  const std::size_t total = log_overhead + static_cast<std::size_t>(length);
  if (total > remaining) {
    partial_ = true;
    return false;
  }
  if (total <= at::magic) {
    batch_error(base_offset,
                "batchLength " + std::to_string(length) + " is too short to hold the magic byte");
  }
  const auto magic = static_cast<std::int8_t>(p[at::magic]);
  if (magic != record_batch_magic) {
    // Magic 0 and 1 are the message sets of Kafka before 0.11; Kafka 4 no longer has them.
    batch_error(base_offset, "magic " + std::to_string(magic) + " not supported");
  }
  if (total < record_batch_overhead) {
    batch_error(base_offset, "batchLength " + std::to_string(length) +
                                 " is shorter than a v2 batch's fixed part");
  }
  const std::span<const std::uint8_t> bytes(p, total);

  BatchInfo& b = batch_;
  b.base_offset = base_offset;
  b.length = length;
  b.partition_leader_epoch = static_cast<std::int32_t>(load_be32(p + at::partition_leader_epoch));
  b.magic = magic;
  b.crc = load_be32(p + at::crc);
  b.attributes = static_cast<std::int16_t>(load_be16(p + at::attributes));
  const unsigned attributes = load_be16(p + at::attributes);
  const unsigned codec = attributes & codec_mask;
  if (codec > static_cast<unsigned>(Codec::zstd)) {
    batch_error(base_offset, "unknown compression codec " + std::to_string(codec));
  }
  b.codec = static_cast<Codec>(codec);
  b.log_append_time = (attributes & timestamp_type_bit) != 0;
  b.transactional = (attributes & transactional_bit) != 0;
  b.control = (attributes & control_bit) != 0;
  b.last_offset_delta = static_cast<std::int32_t>(load_be32(p + at::last_offset_delta));
  b.base_timestamp = static_cast<std::int64_t>(load_be64(p + at::base_timestamp));
  b.max_timestamp = static_cast<std::int64_t>(load_be64(p + at::max_timestamp));
  b.producer_id = static_cast<std::int64_t>(load_be64(p + at::producer_id));
  b.producer_epoch = static_cast<std::int16_t>(load_be16(p + at::producer_epoch));
  b.base_sequence = static_cast<std::int32_t>(load_be32(p + at::base_sequence));
  b.record_count = static_cast<std::int32_t>(load_be32(p + at::record_count));
  if (b.record_count < 0) {
    batch_error(base_offset, "negative record count " + std::to_string(b.record_count));
  }
  if (limits_.verify_crc) {
    const std::uint32_t computed = batch_crc(bytes);
    if (computed != b.crc) {
      char text[64];
      std::snprintf(text, sizeof text, "CRC mismatch (stored 0x%08X, computed 0x%08X)", b.crc,
                    computed);
      batch_error(base_offset, text);
    }
  }
  position_ += total;

  if (read_committed_) {
    // Every aborted transaction that began at or before this batch's end is open from here
    // on for its producer, until that producer's ABORT marker (KIP-98).
    while (next_abort_ < pending_aborts_.size() &&
           pending_aborts_[next_abort_].first_offset <= b.last_offset()) {
      const std::int64_t producer = pending_aborts_[next_abort_++].producer_id;
      if (std::find(aborting_producers_.begin(), aborting_producers_.end(), producer) ==
          aborting_producers_.end()) {
        aborting_producers_.push_back(producer);
      }
    }
    const auto aborting =
        std::find(aborting_producers_.begin(), aborting_producers_.end(), b.producer_id);
    if (!b.control && b.transactional && aborting != aborting_producers_.end()) {
      aborted_ = true;  // dropped unread: not even decompressed
      return true;
    }
  }

  std::span<const std::uint8_t> payload = bytes.subspan(record_batch_overhead);
  if (b.codec != Codec::none) {
    scratch_.clear();
    decompress(b.codec, payload, scratch_, limits_.max_decompressed_bytes);
    payload = scratch_;
  }
  decode_records(payload);

  if (b.control) {
    control_ =
        live_records_ == 0 ? ControlType::unknown : control_type_of(records_[0], b.base_offset);
    live_records_ = 0;  // markers are for the client, not the application
    if (read_committed_ && control_ == ControlType::abort) {
      const auto it =
          std::find(aborting_producers_.begin(), aborting_producers_.end(), b.producer_id);
      if (it != aborting_producers_.end()) {
        aborting_producers_.erase(it);
      }
    }
  }
  return true;
}

void RecordBatchReader::decode_records(std::span<const std::uint8_t> payload) {
  const BatchInfo& b = batch_;
  std::size_t pos = 0;
  const auto count = static_cast<std::size_t>(b.record_count);
  for (std::size_t i = 0; i < count; ++i) {
    // The length prefix, read with a cursor over the rest of the payload.
    RecordCursor prefix(payload.subspan(pos), b.base_offset, i);
    const std::int32_t length = prefix.varint32("length");
    const auto body = prefix.take(length, "record body");
    pos += prefix.position();

    if (i == records_.size()) {
      records_.emplace_back();
    }
    DecodedRecord& record = records_[i];
    record.headers.clear();

    RecordCursor in(body, b.base_offset, i);
    static_cast<void>(in.u8("attributes"));  // no record attributes are defined
    const std::int64_t timestamp_delta = in.varint64("timestampDelta");
    const std::int32_t offset_delta = in.varint32("offsetDelta");
    record.offset = wrapping_add(b.base_offset, offset_delta);
    record.timestamp_ms =
        b.log_append_time ? b.max_timestamp : wrapping_add(b.base_timestamp, timestamp_delta);
    record.key = in.nullable_bytes("key");
    record.value = in.nullable_bytes("value");
    const std::int32_t header_count = in.varint32("header count");
    if (header_count < 0) {
      in.fail("negative header count " + std::to_string(header_count));
    }
    for (std::int32_t h = 0; h < header_count; ++h) {
      const std::int32_t key_length = in.varint32("header key length");
      const auto key = in.take(key_length, "header key");
      record.headers.push_back({as_text(key), in.nullable_bytes("header value")});
    }
    if (in.remaining() != 0) {
      in.fail(byte_count(in.remaining()) + " left over after its last header");
    }
    live_records_ = i + 1;
  }
  if (pos != payload.size()) {
    batch_error(b.base_offset, byte_count(payload.size() - pos) + " after the last of its " +
                                   std::to_string(count) + " records");
  }
}

}  // namespace postwire::kafka
