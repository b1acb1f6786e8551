#include "protocol/kafka/compression.hpp"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka {
namespace {

// ---- errors ---------------------------------------------------------------------------------

[[noreturn]] void throw_corrupt(Codec codec, std::string_view why) {
  throw Exception(ErrorCode::protocol_error,
                  "kafka " + std::string(codec_name(codec)) +
                      " decompression: corrupt input: " + std::string(why));
}

[[noreturn]] void throw_too_large(Codec codec, std::size_t max_output) {
  throw Exception(ErrorCode::protocol_error, "kafka " + std::string(codec_name(codec)) +
                                                 " decompression: output exceeds the limit of " +
                                                 std::to_string(max_output) + " bytes");
}

[[noreturn]] void throw_library(Codec codec, std::string_view what) {
  throw Exception(ErrorCode::internal,
                  "kafka " + std::string(codec_name(codec)) + " compression: " + std::string(what));
}

void check_level(Codec codec, int level, int lowest, int highest) {
  if (level != 0 && (level < lowest || level > highest)) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka " + std::string(codec_name(codec)) + " compression level " +
                        std::to_string(level) + " is out of range: expected 0 (the default) or " +
                        std::to_string(lowest) + " to " + std::to_string(highest));
  }
}

// ---- bounded output -------------------------------------------------------------------------

// Hands a decoder room at the end of `out`, never more than one byte past `max_output`
// produced bytes: that byte is how a decoder shows there is more to come than allowed.
// Capacity grows geometrically but is capped at that bound too, so a bomb cannot make the
// vector reserve more than the limit.
class BoundedOutput {
 public:
  BoundedOutput(std::vector<std::uint8_t>& out, std::size_t max_output, Codec codec)
      : out_(out), start_(out.size()), max_output_(max_output), codec_(codec) {}

  [[nodiscard]] std::size_t produced() const noexcept { return out_.size() - start_; }

  // Writable room for min(want, what the bound still allows) bytes at the end of `out`.
  std::span<std::uint8_t> room(std::size_t want) {
    const std::size_t allowed = max_output_ - std::min(max_output_, produced());
    const std::size_t n =
        std::min(want, allowed == std::numeric_limits<std::size_t>::max() ? allowed : allowed + 1);
    const std::size_t old_size = out_.size();
    if (old_size + n > out_.capacity()) {
      const std::size_t cap = max_output_ > std::numeric_limits<std::size_t>::max() - start_ - 1
                                  ? std::numeric_limits<std::size_t>::max()
                                  : start_ + max_output_ + 1;
      out_.reserve(std::min(std::max(out_.capacity() * 2, old_size + n), cap));
    }
    out_.resize(old_size + n);
    pending_ = n;
    return {out_.data() + old_size, n};
  }

  // Keeps `used` bytes of the last room() and throws when they go past the bound.
  void commit(std::size_t used) {
    out_.resize(out_.size() - pending_ + used);
    pending_ = 0;
    if (produced() > max_output_) {
      throw_too_large(codec_, max_output_);
    }
  }

  // Throws unless `n` more bytes fit under the bound (for formats that declare their size).
  void expect_room_for(std::size_t n) const {
    if (n > max_output_ - std::min(max_output_, produced())) {
      throw_too_large(codec_, max_output_);
    }
  }

 private:
  std::vector<std::uint8_t>& out_;
  std::size_t start_;
  std::size_t max_output_;
  Codec codec_;
  std::size_t pending_ = 0;
};

constexpr std::size_t stream_step = std::size_t{64} * 1024;

// ---- gzip -----------------------------------------------------------------------------------

// zlib's windowBits: 15 (a 32 KiB window) plus 16 to write and expect a gzip wrapper.
constexpr int gzip_window_bits = 15 + 16;

Bytef* zlib_input(std::span<const std::uint8_t> in) {
  // zlib's next_in is not const-qualified but is never written through.
  return const_cast<Bytef*>(in.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

// One deflate and one inflate state per thread, reset between uses: setting one up costs
// more than compressing a small batch.
struct Deflater {
  z_stream stream{};
  int level = Z_DEFAULT_COMPRESSION;
  Deflater() {
    if (deflateInit2(&stream, level, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::bad_alloc();
    }
  }
  ~Deflater() { deflateEnd(&stream); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

struct Inflater {
  z_stream stream{};
  Inflater() {
    if (inflateInit2(&stream, gzip_window_bits) != Z_OK) {
      throw std::bad_alloc();
    }
  }
  ~Inflater() { inflateEnd(&stream); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

void check_zlib_size(std::size_t n, std::string_view what) {
  if (n > std::numeric_limits<uInt>::max()) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka gzip: " + std::string(what) + " of " + std::to_string(n) +
                        " bytes is larger than zlib takes in one call");
  }
}

void gzip_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level) {
  check_level(Codec::gzip, level, 1, 9);
  check_zlib_size(in.size(), "input");
  thread_local Deflater deflater;
  z_stream& zs = deflater.stream;
  const int wanted = level == 0 ? Z_DEFAULT_COMPRESSION : level;
  if (deflateReset(&zs) != Z_OK) {
    throw_library(Codec::gzip, "deflateReset failed");
  }
  if (wanted != deflater.level) {
    if (deflateParams(&zs, wanted, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw_library(Codec::gzip, "deflateParams failed");
    }
    deflater.level = wanted;
  }
  const std::size_t bound = deflateBound(&zs, static_cast<uLong>(in.size()));
  check_zlib_size(bound, "output");
  const std::size_t old_size = out.size();
  out.resize(old_size + bound);
  zs.next_in = zlib_input(in);
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data() + old_size;
  zs.avail_out = static_cast<uInt>(bound);
  const int result = deflate(&zs, Z_FINISH);
  if (result != Z_STREAM_END) {
    out.resize(old_size);
    throw_library(Codec::gzip, "deflate did not finish within deflateBound");
  }
  out.resize(old_size + bound - zs.avail_out);
}

void gzip_decompress(std::span<const std::uint8_t> in, BoundedOutput& out) {
  check_zlib_size(in.size(), "input");
  thread_local Inflater inflater;
  z_stream& zs = inflater.stream;
  if (inflateReset(&zs) != Z_OK) {
    throw_library(Codec::gzip, "inflateReset failed");
  }
  zs.next_in = zlib_input(in);
  zs.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    const auto room = out.room(stream_step);
    zs.next_out = room.data();
    zs.avail_out = static_cast<uInt>(room.size());
    const int result = inflate(&zs, Z_NO_FLUSH);
    out.commit(room.size() - zs.avail_out);
    if (result == Z_STREAM_END) {
      if (zs.avail_in == 0) {
        return;
      }
      // Another gzip member may follow (RFC 1952 allows several, and Java reads them); like
      // Java's GZIPInputStream, bytes after a member that do not start one are ignored.
      if (zs.avail_in < 2 || zs.next_in[0] != 0x1F || zs.next_in[1] != 0x8B) {
        return;
      }
      if (inflateReset(&zs) != Z_OK) {
        throw_library(Codec::gzip, "inflateReset failed");
      }
      continue;
    }
    if (result == Z_OK) {
      continue;
    }
    if (result == Z_BUF_ERROR && zs.avail_in == 0) {
      throw_corrupt(Codec::gzip, "truncated stream");
    }
    throw_corrupt(Codec::gzip, zs.msg != nullptr ? zs.msg : "inflate failed");
  }
}

// ---- snappy ---------------------------------------------------------------------------------

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

// ---- lz4 ------------------------------------------------------------------------------------

struct Lz4CompressionContext {
  LZ4F_cctx* context = nullptr;
  Lz4CompressionContext() {
    if (LZ4F_isError(LZ4F_createCompressionContext(&context, LZ4F_VERSION)) != 0U) {
      throw std::bad_alloc();
    }
  }
  ~Lz4CompressionContext() { LZ4F_freeCompressionContext(context); }
  Lz4CompressionContext(const Lz4CompressionContext&) = delete;
  Lz4CompressionContext& operator=(const Lz4CompressionContext&) = delete;
};

// liblz4's reset after a failed frame does not clear everything (a later frame can then fail
// its size check), so a context that saw an error is replaced rather than reused.
class Lz4DecompressionContext {
 public:
  Lz4DecompressionContext() { create(); }
  ~Lz4DecompressionContext() { LZ4F_freeDecompressionContext(context_); }
  Lz4DecompressionContext(const Lz4DecompressionContext&) = delete;
  Lz4DecompressionContext& operator=(const Lz4DecompressionContext&) = delete;

  [[nodiscard]] LZ4F_dctx* get() const noexcept { return context_; }
  void replace() {
    LZ4F_freeDecompressionContext(context_);
    context_ = nullptr;
    create();
  }

 private:
  void create() {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION)) != 0U) {
      throw std::bad_alloc();
    }
  }
  LZ4F_dctx* context_ = nullptr;
};

// Kafka's compression.lz4.level goes up to 17 (lz4-java's HC maximum); liblz4 treats levels
// past its own maximum of 12 as 12.
constexpr int lz4_max_level = 17;

void lz4_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level) {
  check_level(Codec::lz4, level, 1, lz4_max_level);
  thread_local Lz4CompressionContext context;
  LZ4F_preferences_t preferences{};
  // Independent 64 KiB blocks and no content size: the frame Kafka's Java client writes, and
  // the only block mode its reader accepts.
  preferences.frameInfo.blockSizeID = LZ4F_max64KB;
  preferences.frameInfo.blockMode = LZ4F_blockIndependent;
  preferences.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
  preferences.frameInfo.frameType = LZ4F_frame;
  preferences.compressionLevel = level;
  // One update after begin: the bound covers its output plus the end mark.
  const std::size_t bound = LZ4F_HEADER_SIZE_MAX + LZ4F_compressBound(in.size(), &preferences);
  const std::size_t old_size = out.size();
  out.resize(old_size + bound);
  std::uint8_t* const start = out.data() + old_size;
  std::size_t written = 0;
  const auto step = [&](std::size_t result) {
    if (LZ4F_isError(result) != 0U) {
      out.resize(old_size);
      throw_library(Codec::lz4, LZ4F_getErrorName(result));
    }
    written += result;
  };
  step(LZ4F_compressBegin(context.context, start, bound, &preferences));
  step(LZ4F_compressUpdate(context.context, start + written, bound - written, in.data(), in.size(),
                           nullptr));
  step(LZ4F_compressEnd(context.context, start + written, bound - written, nullptr));
  out.resize(old_size + written);
}

void lz4_decompress_frames(LZ4F_dctx* context, std::span<const std::uint8_t> in,
                           BoundedOutput& out) {
  const std::uint8_t* src = in.data();
  std::size_t remaining = in.size();
  for (;;) {
    const auto room = out.room(stream_step);
    std::size_t produced = room.size();
    std::size_t consumed = remaining;
    const std::size_t hint =
        LZ4F_decompress(context, room.data(), &produced, src, &consumed, nullptr);
    if (LZ4F_isError(hint) != 0U) {
      throw_corrupt(Codec::lz4, LZ4F_getErrorName(hint));
    }
    out.commit(produced);
    src += consumed;
    remaining -= consumed;
    if (hint == 0 && remaining == 0) {
      return;  // the last frame is complete (hint 0 with input left: another frame follows)
    }
    if (remaining == 0 && produced == 0) {
      throw_corrupt(Codec::lz4, "truncated frame");
    }
  }
}

void lz4_decompress(std::span<const std::uint8_t> in, BoundedOutput& out) {
  if (in.empty()) {
    throw_corrupt(Codec::lz4, "empty input");
  }
  thread_local Lz4DecompressionContext context;
  try {
    lz4_decompress_frames(context.get(), in, out);
  } catch (...) {
    context.replace();
    throw;
  }
}

// ---- zstd -----------------------------------------------------------------------------------

struct ZstdCompressionContext {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZstdCompressionContext() {
    if (context == nullptr) {
      throw std::bad_alloc();
    }
  }
  ~ZstdCompressionContext() { ZSTD_freeCCtx(context); }
  ZstdCompressionContext(const ZstdCompressionContext&) = delete;
  ZstdCompressionContext& operator=(const ZstdCompressionContext&) = delete;
};

struct ZstdDecompressionContext {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  ZstdDecompressionContext() {
    if (context == nullptr) {
      throw std::bad_alloc();
    }
  }
  ~ZstdDecompressionContext() { ZSTD_freeDCtx(context); }
  ZstdDecompressionContext(const ZstdDecompressionContext&) = delete;
  ZstdDecompressionContext& operator=(const ZstdDecompressionContext&) = delete;
};

void zstd_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level) {
  check_level(Codec::zstd, level, ZSTD_minCLevel(), ZSTD_maxCLevel());
  thread_local ZstdCompressionContext context;
  const std::size_t set = ZSTD_CCtx_setParameter(context.context, ZSTD_c_compressionLevel,
                                                 level == 0 ? ZSTD_CLEVEL_DEFAULT : level);
  if (ZSTD_isError(set) != 0U) {
    throw_library(Codec::zstd, ZSTD_getErrorName(set));
  }
  const std::size_t bound = ZSTD_compressBound(in.size());
  const std::size_t old_size = out.size();
  out.resize(old_size + bound);
  const std::size_t written =
      ZSTD_compress2(context.context, out.data() + old_size, bound, in.data(), in.size());
  if (ZSTD_isError(written) != 0U) {
    out.resize(old_size);
    throw_library(Codec::zstd, ZSTD_getErrorName(written));
  }
  out.resize(old_size + written);
}

// The largest window a streamed frame may make the decoder allocate: enough for the output
// limit, at least 8 MiB (every standard level up to 19) and at most libzstd's default 128 MiB.
int zstd_window_log_limit(std::size_t max_output) {
  const auto needed = static_cast<int>(std::bit_width(max_output));
  return std::clamp(needed, 23, 27);
}

void zstd_decompress_streaming(ZSTD_DCtx* context, std::span<const std::uint8_t> in,
                               BoundedOutput& out, std::size_t max_output) {
  ZSTD_DCtx_reset(context, ZSTD_reset_session_only);
  const std::size_t set =
      ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, zstd_window_log_limit(max_output));
  if (ZSTD_isError(set) != 0U) {
    throw_library(Codec::zstd, ZSTD_getErrorName(set));
  }
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  for (;;) {
    const auto room = out.room(ZSTD_DStreamOutSize());
    ZSTD_outBuffer output{room.data(), room.size(), 0};
    const std::size_t hint = ZSTD_decompressStream(context, &output, &input);
    if (ZSTD_isError(hint) != 0U) {
      throw_corrupt(Codec::zstd, ZSTD_getErrorName(hint));
    }
    out.commit(output.pos);
    if (input.pos == input.size) {
      if (hint == 0) {
        return;  // the last frame is complete and flushed
      }
      if (output.pos < output.size) {
        throw_corrupt(Codec::zstd, "truncated frame");  // waiting for input that never comes
      }
    }
  }
}

void zstd_decompress(std::span<const std::uint8_t> in, BoundedOutput& out, std::size_t max_output) {
  if (in.empty()) {
    throw_corrupt(Codec::zstd, "empty input");
  }
  thread_local ZstdDecompressionContext context;
  const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) {
    throw_corrupt(Codec::zstd, "not a zstd frame");
  }
  // One frame that declares its size (what ZSTD_compress2 and zstd-jni write): decode it in
  // one call straight into place. Anything else goes through the streaming decoder.
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN &&
      ZSTD_findFrameCompressedSize(in.data(), in.size()) == in.size()) {
    if (declared > std::numeric_limits<std::size_t>::max()) {
      throw_too_large(Codec::zstd, max_output);
    }
    const auto size = static_cast<std::size_t>(declared);
    out.expect_room_for(size);
    const auto room = out.room(size);
    const std::size_t written =
        ZSTD_decompressDCtx(context.context, room.data(), room.size(), in.data(), in.size());
    if (ZSTD_isError(written) != 0U) {
      throw_corrupt(Codec::zstd, ZSTD_getErrorName(written));
    }
    if (written != size) {
      throw_corrupt(Codec::zstd, "frame is shorter than its declared content size");
    }
    out.commit(written);
    return;
  }
  zstd_decompress_streaming(context.context, in, out, max_output);
}

}  // namespace

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
      check_level(codec, level, 1, 9);
      return;
    case Codec::lz4:
      check_level(codec, level, 1, lz4_max_level);
      return;
    case Codec::zstd:
      check_level(codec, level, ZSTD_minCLevel(), ZSTD_maxCLevel());
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
      gzip_compress(in, out, level);
      return;
    case Codec::snappy:
      snappy_compress(in, out);
      return;
    case Codec::lz4:
      lz4_compress(in, out, level);
      return;
    case Codec::zstd:
      zstd_compress(in, out, level);
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
        gzip_decompress(in, bounded);
        return;
      case Codec::snappy:
        snappy_decompress(in, bounded);
        return;
      case Codec::lz4:
        lz4_decompress(in, bounded);
        return;
      case Codec::zstd:
        zstd_decompress(in, bounded, max_output);
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
