#pragma once

// The compression codecs of Kafka's RecordBatch (attribute bits 0-2), in the stream formats
// Kafka's clients put on the wire, so that postwire reads batches any producer wrote and
// writes batches every consumer reads:
//   gzip    a gzip stream (RFC 1952); concatenated members are read as one stream
//   snappy  the Java client's xerial framing: an 8-byte magic, version and compatible-version
//           ints, then raw snappy blocks each prefixed by its big-endian length. Plain raw
//           snappy (as some other clients write) is decoded too.
//   lz4     the LZ4 frame format, written with independent 64 KiB blocks (the only kind the
//           Java client reads) and read with or without content size and checksums
//   zstd    a zstd frame; frames that declare no content size are streamed
// Sans-IO: bytes in, bytes out. Both directions append to `out`, so that a caller can place
// the result after a header it already wrote, and reuse one buffer's capacity batch after
// batch. On an exception `out` is left as it was.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace postwire::kafka {

enum class Codec : std::uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

// "none", "gzip", "snappy", "lz4", "zstd" (Kafka's compression.type names); nothing otherwise.
[[nodiscard]] std::optional<Codec> codec_from_name(std::string_view name) noexcept;
[[nodiscard]] std::string_view codec_name(Codec codec) noexcept;

// Appends `in`, compressed with `codec`, to `out`. `level` 0 picks the library's default
// (gzip 6, lz4 its fast mode, zstd 3); otherwise gzip takes 1-9, lz4 1-12 (3 and up is LZ4
// HC), zstd the levels libzstd accepts, including negative ones. Snappy has no levels and
// ignores it. Throws Exception(invalid_argument) for a level the codec does not have.
void compress(Codec codec, std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out,
              int level);

// Throws Exception(invalid_argument) when `level` is not one compress() takes for `codec`,
// so that a configuration can be checked before the first batch.
void check_compression_level(Codec codec, int level);

// Appends `in`, decompressed, to `out`. Throws Exception(protocol_error) naming the codec when
// `in` is corrupt or truncated, or when it would decompress to more than `max_output` bytes:
// output grows in bounded steps and stops there, so a decompression bomb costs no more than
// `max_output` bytes of memory.
void decompress(Codec codec, std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out,
                std::size_t max_output);

}  // namespace postwire::kafka
