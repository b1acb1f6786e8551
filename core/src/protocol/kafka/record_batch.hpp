#pragma once

// Kafka's RecordBatch v2 (magic 2), the unit a producer sends and a fetch returns, as laid out
// in the protocol guide ("Record Batch") and KIP-98 (producer id/epoch/sequence, transactional
// and control batches):
//
//   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 (2)
//   crc uint32 (CRC-32C of everything after it) | attributes int16 | lastOffsetDelta int32
//   baseTimestamp int64 | maxTimestamp int64 | producerId int64 | producerEpoch int16
//   baseSequence int32 | recordCount int32 | records (compressed as a whole when the codec
//   in attributes bits 0-2 is not none)
//
// and each record: length varint | attributes int8 | timestampDelta varlong |
// offsetDelta varint | key (varint length, -1 for null) | value (the same) |
// header count varint | headers (key: varint length + UTF-8, value: varint length or -1).
//
// Sans-IO: the builder turns records into batch bytes, the reader turns fetched bytes into
// views of records.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/kafka/compression.hpp"

namespace postwire::kafka {

inline constexpr std::int8_t record_batch_magic = 2;
// The fixed part of a batch, up to and including recordCount.
inline constexpr std::size_t record_batch_overhead = 61;

// ---- encoding -------------------------------------------------------------------------------

struct HeaderView {
  std::string_view key;
  std::optional<std::span<const std::uint8_t>> value;  // nullopt: a null value
};

struct RecordView {
  std::int64_t timestamp_ms = 0;
  std::optional<std::span<const std::uint8_t>> key;    // nullopt: a null key
  std::optional<std::span<const std::uint8_t>> value;  // nullopt: a null value (a tombstone)
  std::span<const HeaderView> headers;
};

// Collects the records of ONE partition into one buffer (no allocation per record) and
// produces the batch. Not thread-safe; reuse one builder per partition, batch after batch.
class RecordBatchBuilder {
 public:
  // Throws Exception(invalid_argument) for a compression level the codec does not have.
  explicit RecordBatchBuilder(Codec codec, int compression_level = 0);

  // Appends a record; returns the encoded (uncompressed) size the batch has now, the fixed
  // part included. The record's bytes are copied. Throws Exception(invalid_argument) when a
  // key, value or header does not fit Kafka's int32 lengths.
  std::size_t append(const RecordView& record);

  // The bytes `record` would add as the batch's record number `offset_delta` whose timestamp
  // is `timestamp_delta` after the first one's: what the accumulator weighs against
  // batch.size before it appends.
  [[nodiscard]] static std::size_t record_size_estimate(const RecordView& record,
                                                        std::int64_t timestamp_delta,
                                                        std::int32_t offset_delta);

  [[nodiscard]] std::size_t record_count() const noexcept { return count_; }
  // The batch's size if it were sent uncompressed, the fixed part included.
  [[nodiscard]] std::size_t uncompressed_bytes() const noexcept { return buffer_.size(); }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  // The first record's timestamp: the next record's timestamp delta counts from it (what
  // record_size_estimate() needs, with record_count() as the offset delta).
  [[nodiscard]] std::int64_t base_timestamp() const noexcept { return base_timestamp_; }

  // Produces the batch: base offset 0, partition leader epoch -1, attributes (the codec,
  // create-time timestamps, not transactional, not control), last offset delta, first and
  // largest timestamps, the producer fields (-1, -1, -1 for a producer that is not
  // idempotent), the record count, the records (compressed as a whole when the codec is not
  // none) and the CRC-32C. The builder is then empty and ready for the next batch. Throws
  // Exception(invalid_argument) when it holds no record: Kafka rejects empty batches.
  std::vector<std::uint8_t> finish(std::int64_t producer_id, std::int16_t producer_epoch,
                                   std::int32_t base_sequence);
  // The same into `out` (replacing what it held): a caller that recycles the buffers of sent
  // batches saves an allocation per batch.
  void finish(std::vector<std::uint8_t>& out, std::int64_t producer_id, std::int16_t producer_epoch,
              std::int32_t base_sequence);

  // Drops the records appended so far, keeping the buffers' capacity for the next batch.
  void reset() noexcept;

 private:
  Codec codec_;
  int compression_level_;
  std::vector<std::uint8_t> buffer_;  // the fixed part's room, then the records
  std::size_t count_ = 0;
  std::int64_t base_timestamp_ = 0;
  std::int64_t max_timestamp_ = 0;
};

// Rewrites the producer id, epoch and base sequence of a finished batch in place and
// recomputes its CRC: an idempotent producer re-sends a batch with a new epoch or sequence
// (after an epoch bump) without compressing it again. Throws Exception(invalid_argument)
// unless `batch` is exactly one v2 batch.
void rewrite_producer_fields(std::span<std::uint8_t> batch, std::int64_t producer_id,
                             std::int16_t producer_epoch, std::int32_t base_sequence);

// ---- decoding -------------------------------------------------------------------------------

struct BatchInfo {
  std::int64_t base_offset = 0;
  std::int32_t length = 0;  // batchLength: the bytes after this field
  std::int32_t partition_leader_epoch = 0;
  std::int8_t magic = 0;
  std::uint32_t crc = 0;
  std::int16_t attributes = 0;
  Codec codec = Codec::none;
  bool log_append_time = false;  // timestamps are the broker's (max_timestamp), not the records'
  bool transactional = false;
  bool control = false;
  std::int32_t last_offset_delta = 0;
  std::int64_t base_timestamp = 0;
  std::int64_t max_timestamp = 0;
  std::int64_t producer_id = 0;
  std::int16_t producer_epoch = 0;
  std::int32_t base_sequence = 0;
  std::int32_t record_count = 0;

  // The offset of the batch's last record and the offset a fetch continues from after it
  // (compaction may have removed records, so the count does not tell). The fields come from
  // the wire, so the sums wrap as Java's do instead of overflowing.
  [[nodiscard]] std::int64_t last_offset() const noexcept {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(base_offset) +
                                     static_cast<std::uint64_t>(std::int64_t{last_offset_delta}));
  }
  [[nodiscard]] std::int64_t next_offset() const noexcept {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(last_offset()) + 1U);
  }
};

struct DecodedHeader {
  std::string_view key;
  std::optional<std::span<const std::uint8_t>> value;
};

struct DecodedRecord {
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = 0;
  std::optional<std::span<const std::uint8_t>> key;
  std::optional<std::span<const std::uint8_t>> value;
  std::vector<DecodedHeader> headers;
};

// An entry of a Fetch response's aborted_transactions: the producer's aborted transaction
// began at first_offset and ends at its next ABORT marker.
struct AbortedTransaction {
  std::int64_t producer_id = 0;
  std::int64_t first_offset = 0;
};

struct DecodeLimits {
  // The most one compressed batch may decompress to; a batch that would decompress to more
  // is a protocol_error. Set it: the default 0 refuses every compressed batch.
  std::size_t max_decompressed_bytes = 0;
  bool verify_crc = true;
};

// The type of a control batch's marker (KIP-98), from its record's key.
enum class ControlType : std::int16_t { abort = 0, commit = 1, unknown = -1 };

// Walks the batches of a Fetch partition's `records` bytes, one next() at a time:
//
//   RecordBatchReader reader(partition.records, limits, partition.aborted_transactions);
//   while (reader.next()) {
//     for (const DecodedRecord& r : reader.records()) deliver(r);
//     position = reader.batch().next_offset();
//   }
//
// Every batch is shown, so that the caller's position moves past control batches and
// aborted transactions too; records() holds only what an application should see: nothing
// for a control batch (see control_type()) or, when reading committed, for a batch of an
// aborted transaction (see aborted()). The bytes may end with a partial batch, as a broker
// cuts a fetch at its size limit: it is not an error and next() just returns false
// (ended_with_partial_batch() tells).
//
// Records are views: of `records` itself for an uncompressed batch, of the reader's own
// buffer for a compressed one. They stay valid until the next call to next(); `records` must
// outlive the reader. Errors are Exception(protocol_error) naming the batch's offset, e.g.
// "kafka record batch at offset 42: CRC mismatch".
class RecordBatchReader {
 public:
  // Reads everything (read_uncommitted).
  RecordBatchReader(std::span<const std::uint8_t> records, DecodeLimits limits);
  // Reads committed data only: records of `aborted` transactions are dropped.
  RecordBatchReader(std::span<const std::uint8_t> records, DecodeLimits limits,
                    std::span<const AbortedTransaction> aborted);

  // Starts over on another fetch's bytes, keeping the buffers (and the header vectors of the
  // record slots) grown so far: a consumer that keeps one reader per partition decodes in
  // steady state without allocating.
  void reset(std::span<const std::uint8_t> records);
  void reset(std::span<const std::uint8_t> records, std::span<const AbortedTransaction> aborted);

  // Moves to the next complete batch; false at the end of the bytes.
  bool next();

  [[nodiscard]] const BatchInfo& batch() const noexcept { return batch_; }
  [[nodiscard]] std::span<const DecodedRecord> records() const noexcept {
    return {records_.data(), live_records_};
  }
  // The marker a control batch carries; nothing for a data batch.
  [[nodiscard]] std::optional<ControlType> control_type() const noexcept { return control_; }
  // True when reading committed and this batch belongs to an aborted transaction.
  [[nodiscard]] bool aborted() const noexcept { return aborted_; }
  // True once next() returned false because the bytes ended inside a batch.
  [[nodiscard]] bool ended_with_partial_batch() const noexcept { return partial_; }
  // The bytes of complete batches read so far.
  [[nodiscard]] std::size_t consumed_bytes() const noexcept { return position_; }

 private:
  void decode_records(std::span<const std::uint8_t> payload);

  std::span<const std::uint8_t> input_;
  DecodeLimits limits_;
  std::size_t position_ = 0;
  bool partial_ = false;

  BatchInfo batch_;
  std::optional<ControlType> control_;
  bool aborted_ = false;
  std::vector<std::uint8_t> scratch_;   // decompressed records of the current batch
  std::vector<DecodedRecord> records_;  // reused slots: their header vectors keep capacity
  std::size_t live_records_ = 0;

  bool read_committed_ = false;
  std::vector<AbortedTransaction> pending_aborts_;  // sorted by first_offset, consumed from front
  std::size_t next_abort_ = 0;
  std::vector<std::int64_t> aborting_producers_;  // producers inside an aborted transaction
};

}  // namespace postwire::kafka
