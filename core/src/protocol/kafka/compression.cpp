#include "protocol/kafka/compression.hpp"

#include <string>

#include "postwire/error.hpp"
#include "protocol/kafka/codec_support.hpp"

namespace postwire::kafka {

using codecs::BoundedOutput;

std::optional<Codec> codec_from_name(std::string_view name) noexcept {
  for (const Codec codec : {Codec::none, Codec::gzip, Codec::snappy, Codec::lz4, Codec::zstd}) {
    if (codec_name(codec) == name) {
      return codec;
    }
  }
  return std::nullopt;
}

std::string_view codec_name(Codec codec) noexcept {
  switch (codec) {
    case Codec::none:
      return "none";
    case Codec::gzip:
      return "gzip";
    case Codec::snappy:
      return "snappy";
    case Codec::lz4:
      return "lz4";
    case Codec::zstd:
      return "zstd";
  }
  return "unknown";
}

void check_compression_level(Codec codec, int level) {
  switch (codec) {
    case Codec::gzip:
      codecs::check_gzip_level(level);
      return;
    case Codec::lz4:
      codecs::check_lz4_level(level);
      return;
    case Codec::zstd:
      codecs::check_zstd_level(level);
      return;
    case Codec::none:
    case Codec::snappy:
      return;  // no levels to get wrong
  }
  throw Exception(ErrorCode::invalid_argument,
                  "kafka compression: unknown codec " + std::to_string(static_cast<int>(codec)));
}

void compress(Codec codec, std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out,
              int level) {
  switch (codec) {
    case Codec::none:
      out.insert(out.end(), in.begin(), in.end());
      return;
    case Codec::gzip:
      codecs::gzip_compress(in, out, level);
      return;
    case Codec::snappy:
      codecs::snappy_compress(in, out);
      return;
    case Codec::lz4:
      codecs::lz4_compress(in, out, level);
      return;
    case Codec::zstd:
      codecs::zstd_compress(in, out, level);
      return;
  }
  throw Exception(ErrorCode::invalid_argument,
                  "kafka compression: unknown codec " + std::to_string(static_cast<int>(codec)));
}

void decompress(Codec codec, std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out,
                std::size_t max_output) {
  const std::size_t old_size = out.size();
  BoundedOutput bounded(out, max_output, codec);
  try {
    switch (codec) {
      case Codec::none:
        bounded.expect_room_for(in.size());
        out.insert(out.end(), in.begin(), in.end());
        return;
      case Codec::gzip:
        codecs::gzip_decompress(in, bounded);
        return;
      case Codec::snappy:
        codecs::snappy_decompress(in, bounded);
        return;
      case Codec::lz4:
        codecs::lz4_decompress(in, bounded);
        return;
      case Codec::zstd:
        codecs::zstd_decompress(in, bounded);
        return;
    }
  } catch (...) {
    out.resize(old_size);  // leave `out` as it was, not holding half an output
    throw;
  }
  throw Exception(ErrorCode::protocol_error,
                  "kafka decompression: unknown codec " + std::to_string(static_cast<int>(codec)));
}

}  // namespace postwire::kafka