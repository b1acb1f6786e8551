// LZ4 frames (the LZ4 frame format, liblz4's lz4frame.h).

#include <lz4frame.h>

#include <new>

#include "postwire/error.hpp"
#include "protocol/kafka/codec_support.hpp"

namespace postwire::kafka::codecs {
namespace {

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

}  // namespace

void check_lz4_level(int level) { check_level(Codec::lz4, level, 1, lz4_max_level); }

void lz4_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level) {
  check_lz4_level(level);
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

namespace {

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

}  // namespace

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

}  // namespace postwire::kafka::codecs
