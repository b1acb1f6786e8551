// Writes the seed corpus of kafka-record-batch-fuzz: small valid fetches in every codec, a
// read_committed fetch with an aborted transaction, and one that ends with a partial batch.
// Built by the dev preset on request only:
//   cmake --build build --target make-kafka-record-seeds
//   build/tests/make-kafka-record-seeds tests/fuzz/corpus/kafka-record-batch
// Each seed is one flags byte (see kafka_record_batch_fuzz.cpp) and then the records bytes.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/kafka/crc32c.hpp"
#include "protocol/kafka/record_batch.hpp"

namespace {

using namespace postwire::kafka;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t verify_crc = 0x01;
constexpr std::uint8_t read_committed = 0x02;

Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

// A few records with keys, a null value and headers, like a producer's.
Bytes batch(Codec codec, std::int64_t producer, std::string_view tag) {
  RecordBatchBuilder builder(codec);
  const Bytes key = text("order-17");
  const Bytes value = text(std::string(tag) + ": {\"paid\":true,\"paid\":true,\"paid\":true}");
  const Bytes id = text("0190e0f4-6b6c-7c3a-9a7e-6c1f4d2b9e01");
  const HeaderView headers[] = {{"pw-id", std::span<const std::uint8_t>(id)},
                                {"trace", std::nullopt}};
  builder.append({.timestamp_ms = 1700000000000, .key = key, .value = value, .headers = headers});
  builder.append({.timestamp_ms = 1700000000004, .key = key, .value = std::nullopt});
  builder.append({.timestamp_ms = 1700000000009, .value = value, .headers = headers});
  return builder.finish(producer, 0, 0);
}

// Sets a batch's base offset and attributes and reseals its CRC.
Bytes patched(Bytes b, std::int64_t base_offset, std::uint16_t attributes) {
  for (int i = 0; i < 8; ++i) {
    b[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(static_cast<std::uint64_t>(base_offset) >> (56 - 8 * i));
  }
  b[21] = static_cast<std::uint8_t>(attributes >> 8U);
  b[22] = static_cast<std::uint8_t>(attributes);
  const std::uint32_t crc = crc32c(std::span<const std::uint8_t>(b).subspan(21));
  for (int i = 0; i < 4; ++i) {
    b[17 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
  }
  return b;
}

Bytes marker(std::int64_t producer, std::int64_t offset, std::int16_t type) {
  RecordBatchBuilder builder(Codec::none);
  const Bytes key = {0, 0, 0, static_cast<std::uint8_t>(type)};
  const Bytes value = {0, 0, 0, 0, 0, 3};
  builder.append({.timestamp_ms = 1700000000010, .key = key, .value = value});
  return patched(builder.finish(producer, 0, 0), offset, 0x30);
}

void write(const std::string& dir, const std::string& name, std::uint8_t flags,
           const std::vector<Bytes>& parts) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.put(static_cast<char>(flags));
  for (const Bytes& part : parts) {
    out.write(reinterpret_cast<const char*>(part.data()),
              static_cast<std::streamsize>(part.size()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  for (const Codec codec : {Codec::none, Codec::gzip, Codec::snappy, Codec::lz4, Codec::zstd}) {
    write(dir, std::string(codec_name(codec)), verify_crc, {batch(codec, -1, "plain")});
  }
  // Producer 1's transaction at 0-2 aborts (marker at 3); producer 2's at 4-6 commits.
  write(dir, "read-committed", verify_crc | read_committed | (1U << 4U),
        {patched(batch(Codec::none, 1, "aborted"), 0, 0x10), marker(1, 3, 0),
         patched(batch(Codec::zstd, 2, "committed"), 4, 0x14), marker(2, 7, 1)});
  // Two batches, the second cut short as a broker cuts a fetch at its size limit.
  const Bytes second = patched(batch(Codec::lz4, -1, "second"), 3, 0x03);
  write(dir, "partial-tail", 0,
        {batch(Codec::none, -1, "first"), Bytes(second.begin(), second.begin() + 40)});
  return 0;
}
