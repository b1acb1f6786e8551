// zstd frames; those that declare no content size are streamed.

#include <zstd.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <new>

#include "postwire/error.hpp"
#include "protocol/kafka/codec_support.hpp"

namespace postwire::kafka::codecs {
namespace {

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

}  // namespace

void check_zstd_level(int level) {
  check_level(Codec::zstd, level, ZSTD_minCLevel(), ZSTD_maxCLevel());
}

void zstd_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level) {
  check_zstd_level(level);
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

namespace {

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

}  // namespace

void zstd_decompress(std::span<const std::uint8_t> in, BoundedOutput& out) {
  const std::size_t max_output = out.max_output();
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

}  // namespace postwire::kafka::codecs
