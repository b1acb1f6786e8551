// snappy in snappy-java's xerial framing, which Kafka's Java client writes; plain raw snappy
// is read too.

#include <snappy.h>

#include <algorithm>
#include <array>
#include <string>

#include "postwire/error.hpp"
#include "protocol/kafka/codec_support.hpp"

namespace postwire::kafka::codecs {
namespace {

// The framing of xerial snappy-java's SnappyOutputStream (SnappyCodec.MAGIC_HEADER, then the
// version and the minimum compatible version, both 1), which Kafka's Java client uses.
constexpr std::array<std::uint8_t, 8> xerial_magic = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr std::size_t xerial_header_size = 16;
constexpr std::array<std::uint8_t, 8> xerial_versions = {0, 0, 0, 1, 0, 0, 0, 1};
// SnappyOutputStream's default block size.
constexpr std::size_t xerial_block_size = std::size_t{32} * 1024;

bool starts_with_xerial_magic(std::span<const std::uint8_t> in) {
  return in.size() >= xerial_magic.size() &&
         std::equal(xerial_magic.begin(), xerial_magic.end(), in.begin());
}

const char* as_chars(const std::uint8_t* p) { return reinterpret_cast<const char*>(p); }

void snappy_raw_block(std::span<const std::uint8_t> block, BoundedOutput& out) {
  std::size_t length = 0;
  if (!snappy::GetUncompressedLength(as_chars(block.data()), block.size(), &length)) {
    throw_corrupt(Codec::snappy, "bad block header");
  }
  out.expect_room_for(length);
  const auto room = out.room(length);
  if (!snappy::RawUncompress(as_chars(block.data()), block.size(),
                             reinterpret_cast<char*>(room.data()))) {
    throw_corrupt(Codec::snappy, "bad block");
  }
  out.commit(length);
}

}  // namespace

void snappy_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) {
  out.insert(out.end(), xerial_magic.begin(), xerial_magic.end());
  out.insert(out.end(), xerial_versions.begin(), xerial_versions.end());
  for (std::size_t pos = 0; pos < in.size(); pos += xerial_block_size) {
    const std::size_t n = std::min(xerial_block_size, in.size() - pos);
    const std::size_t length_at = out.size();
    out.resize(length_at + 4 + snappy::MaxCompressedLength(n));
    std::size_t written = 0;
    snappy::RawCompress(as_chars(in.data() + pos), n,
                        reinterpret_cast<char*>(out.data() + length_at + 4), &written);
    const auto length = static_cast<std::uint32_t>(written);
    out[length_at] = static_cast<std::uint8_t>(length >> 24U);
    out[length_at + 1] = static_cast<std::uint8_t>(length >> 16U);
    out[length_at + 2] = static_cast<std::uint8_t>(length >> 8U);
    out[length_at + 3] = static_cast<std::uint8_t>(length);
    out.resize(length_at + 4 + written);
  }
}

void snappy_decompress(std::span<const std::uint8_t> in, BoundedOutput& out) {
  if (!starts_with_xerial_magic(in)) {
    snappy_raw_block(in, out);  // librdkafka and others may write one plain raw block
    return;
  }
  std::size_t pos = 0;
  while (pos < in.size()) {
    const auto rest = in.subspan(pos);
    // A header starts the stream, and may start it again where two streams were joined (no
    // block length begins with 0x82: that would be over 2 GiB).
    if (starts_with_xerial_magic(rest)) {
      if (rest.size() < xerial_header_size) {
        throw_corrupt(Codec::snappy, "truncated xerial header");
      }
      pos += xerial_header_size;
      continue;
    }
    if (rest.size() < 4) {
      throw_corrupt(Codec::snappy, "truncated xerial block length");
    }
    const std::size_t length = (std::size_t{rest[0]} << 24U) | (std::size_t{rest[1]} << 16U) |
                               (std::size_t{rest[2]} << 8U) | std::size_t{rest[3]};
    if (length > rest.size() - 4) {
      throw_corrupt(Codec::snappy, "xerial block of " + std::to_string(length) +
                                       " bytes overruns the input (" +
                                       std::to_string(rest.size() - 4) + " bytes remain)");
    }
    snappy_raw_block(rest.subspan(4, length), out);
    pos += 4 + length;
  }
}

}  // namespace postwire::kafka::codecs
