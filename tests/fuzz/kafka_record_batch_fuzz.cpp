// libFuzzer target for the Kafka record layer: arbitrary bytes go through RecordBatchReader as
// a Fetch partition's records, which decompresses, verifies and decodes every batch.
// postwire::Exception is the only acceptable failure; anything else (a crash, a sanitizer
// report, another exception) is a bug. Two properties are checked on what decodes:
//   - the records re-encode with RecordBatchBuilder and decode to the same keys, values,
//     headers and timestamps;
//   - rewrite_producer_fields on a batch that passed its CRC check leaves a valid CRC.
//
// Input layout: byte 0 holds flags (bit 0: verify CRCs; bit 1: read committed, with aborted
// transactions of producers byte0 >> 4 (from offset 0) and byte0 >> 4 + 1 (from offset 3)),
// the rest is the records bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "postwire/error.hpp"
#include "protocol/kafka/record_batch.hpp"

namespace {

using namespace postwire::kafka;

constexpr DecodeLimits fuzz_limits{.max_decompressed_bytes = 1U << 20U, .verify_crc = true};

bool same(const std::optional<std::span<const std::uint8_t>>& a,
          const std::optional<std::span<const std::uint8_t>>& b) {
  if (a.has_value() != b.has_value()) {
    return false;
  }
  return !a || std::equal(a->begin(), a->end(), b->begin(), b->end());
}

// Builds the decoded records again and checks that they read back the same.
void check_reencoding(std::span<const DecodedRecord> records, bool log_append_time) {
  if (records.empty()) {
    return;
  }
  RecordBatchBuilder builder(Codec::none);
  std::vector<HeaderView> headers;
  try {
    for (const DecodedRecord& r : records) {
      headers.clear();
      for (const DecodedHeader& h : r.headers) {
        headers.push_back({h.key, h.value});
      }
      builder.append(
          {.timestamp_ms = r.timestamp_ms, .key = r.key, .value = r.value, .headers = headers});
    }
  } catch (const postwire::Exception&) {
    return;  // e.g. timestamps too far apart for a delta: nothing to compare
  }
  const std::vector<std::uint8_t> again = builder.finish(-1, -1, -1);
  RecordBatchReader reader(again, fuzz_limits);
  if (!reader.next() || reader.records().size() != records.size()) {
    std::abort();
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const DecodedRecord& a = records[i];
    const DecodedRecord& b = reader.records()[i];
    if (!same(a.key, b.key) || !same(a.value, b.value) || a.headers.size() != b.headers.size() ||
        (!log_append_time && a.timestamp_ms != b.timestamp_ms)) {
      std::abort();
    }
    for (std::size_t h = 0; h < a.headers.size(); ++h) {
      if (a.headers[h].key != b.headers[h].key || !same(a.headers[h].value, b.headers[h].value)) {
        std::abort();
      }
    }
  }
}

void check_rewrite(std::span<const std::uint8_t> batch_bytes) {
  std::vector<std::uint8_t> copy(batch_bytes.begin(), batch_bytes.end());
  rewrite_producer_fields(copy, 12345, 6, 789);
  RecordBatchReader reader(copy, {.max_decompressed_bytes = 1U << 20U, .verify_crc = true});
  try {
    if (!reader.next() || reader.batch().producer_id != 12345 ||
        reader.batch().producer_epoch != 6 || reader.batch().base_sequence != 789) {
      std::abort();
    }
  } catch (const postwire::Exception& e) {
    // The records may still be malformed; the CRC must not be what is wrong.
    if (std::string_view(e.what()).find("CRC mismatch") != std::string_view::npos) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const std::uint8_t flags = data[0];
  const std::span<const std::uint8_t> records(data + 1, size - 1);
  DecodeLimits limits = fuzz_limits;
  limits.verify_crc = (flags & 1U) != 0;
  const bool read_committed = (flags & 2U) != 0;
  const std::int64_t producer = flags >> 4U;
  const AbortedTransaction aborted[] = {{.producer_id = producer, .first_offset = 0},
                                        {.producer_id = producer + 1, .first_offset = 3}};

  try {
    RecordBatchReader reader = read_committed ? RecordBatchReader(records, limits, aborted)
                                              : RecordBatchReader(records, limits);
    std::size_t start = 0;
    while (reader.next()) {
      const auto batch_bytes = records.subspan(start, reader.consumed_bytes() - start);
      start = reader.consumed_bytes();
      if (batch_bytes.size() != static_cast<std::size_t>(reader.batch().length) + 12) {
        std::abort();
      }
      if (!reader.aborted() && !reader.control_type()) {
        check_reencoding(reader.records(), reader.batch().log_append_time);
      }
      if (limits.verify_crc) {
        check_rewrite(batch_bytes);
      }
    }
  } catch (const postwire::Exception&) {
    // Malformed records: a clean rejection is the expected outcome.
  }
  return 0;
}
