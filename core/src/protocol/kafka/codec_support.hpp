#pragma once

// What the codec files (codec_gzip.cpp, codec_snappy.cpp, codec_lz4.cpp, codec_zstd.cpp)
// share: their errors, the bounded output every decompressor writes through, and the entry
// points compression.cpp dispatches to. Not part of the codec's API.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/kafka/compression.hpp"

namespace postwire::kafka::codecs {

// Exception(protocol_error): "kafka <codec> decompression: corrupt input: <why>".
[[noreturn]] void throw_corrupt(Codec codec, std::string_view why);
// Exception(protocol_error): the output would pass `max_output` bytes.
[[noreturn]] void throw_too_large(Codec codec, std::size_t max_output);
// Exception(internal): a library call that cannot fail on valid arguments did.
[[noreturn]] void throw_library(Codec codec, std::string_view what);
// Exception(invalid_argument) unless `level` is 0 or within [lowest, highest].
void check_level(Codec codec, int level, int lowest, int highest);

// Hands a decoder room at the end of `out`, never more than one byte past `max_output`
// produced bytes: that byte is how a decoder shows there is more to come than allowed.
// Capacity grows geometrically but is capped at that bound too, so a bomb cannot make the
// vector reserve more than the limit.
class BoundedOutput {
 public:
  BoundedOutput(std::vector<std::uint8_t>& out, std::size_t max_output, Codec codec)
      : out_(out), start_(out.size()), max_output_(max_output), codec_(codec) {}

  [[nodiscard]] std::size_t produced() const noexcept { return out_.size() - start_; }
  [[nodiscard]] std::size_t max_output() const noexcept { return max_output_; }

  // Writable room for min(want, what the bound still allows) bytes at the end of `out`.
  std::span<std::uint8_t> room(std::size_t want);
  // Keeps `used` bytes of the last room() and throws when they go past the bound.
  void commit(std::size_t used);
  // Throws unless `n` more bytes fit under the bound (for formats that declare their size).
  void expect_room_for(std::size_t n) const;

 private:
  std::vector<std::uint8_t>& out_;
  std::size_t start_;
  std::size_t max_output_;
  Codec codec_;
  std::size_t pending_ = 0;
};

// How much room a streaming decoder asks for at a time.
inline constexpr std::size_t stream_step = std::size_t{64} * 1024;

// Each codec: compress() appends to `out`; decompress() writes through `out`.
void check_gzip_level(int level);
void gzip_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level);
void gzip_decompress(std::span<const std::uint8_t> in, BoundedOutput& out);

void snappy_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out);
void snappy_decompress(std::span<const std::uint8_t> in, BoundedOutput& out);

void check_lz4_level(int level);
void lz4_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level);
void lz4_decompress(std::span<const std::uint8_t> in, BoundedOutput& out);

void check_zstd_level(int level);
void zstd_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level);
void zstd_decompress(std::span<const std::uint8_t> in, BoundedOutput& out);

}  // namespace postwire::kafka::codecs
