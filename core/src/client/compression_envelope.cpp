#include "client/compression_envelope.hpp"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "postwire/error.hpp"

namespace postwire::client {
namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* context) const noexcept { ZSTD_freeCCtx(context); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* context) const noexcept { ZSTD_freeDCtx(context); }
};

// One context per thread: creating one costs far more than compressing a small body, and a
// context may only be used by one thread at a time.
ZSTD_CCtx& compression_context() {
  thread_local const std::unique_ptr<ZSTD_CCtx, CCtxDeleter> context(ZSTD_createCCtx());
  if (!context) {
    throw std::bad_alloc();
  }
  return *context;
}

ZSTD_DCtx& decompression_context() {
  thread_local const std::unique_ptr<ZSTD_DCtx, DCtxDeleter> context(ZSTD_createDCtx());
  if (!context) {
    throw std::bad_alloc();
  }
  return *context;
}

// Throws Exception(internal) when a libzstd call that cannot fail on valid arguments did.
void check_setup(std::size_t result, const char* what) {
  if (ZSTD_isError(result) != 0U) {
    throw Exception(ErrorCode::internal,
                    std::string("zstd: ") + what + " failed: " + ZSTD_getErrorName(result));
  }
}

// The largest window a frame without a content size may ask for. The streaming decoder
// allocates the whole window, so a hostile frame could otherwise make it take 128 MiB (and
// more with a raised limit). 8 MiB covers every standard level up to 19; a larger window is
// accepted when max_size needs it.
constexpr unsigned min_window_log = 23;
// libzstd's own default limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, only in its unstable API).
constexpr unsigned max_window_log = 27;

unsigned window_log_limit(std::size_t max_size) {
  const auto needed = static_cast<unsigned>(std::bit_width(max_size));
  return std::clamp(needed, min_window_log, max_window_log);
}

// protocol_error is fatal by default because a malformed frame desynchronises a connection;
// a corrupt body is one bad message on a healthy connection, so it is not.
[[noreturn]] void throw_corrupt(std::string_view why) {
  throw Exception(Error(ErrorCode::protocol_error, "corrupt zstd body: " + std::string(why),
                        /*retriable=*/false, /*fatal=*/false));
}

[[noreturn]] void throw_zstd_error(std::size_t result) {
  if (ZSTD_getErrorCode(result) == ZSTD_error_frameParameter_windowTooLarge) {
    throw Exception(ErrorCode::message_too_large,
                    "zstd body asks for a decompression window larger than this consumer allows");
  }
  throw_corrupt(ZSTD_getErrorName(result));
}

[[noreturn]] void throw_too_large(std::size_t max_size) {
  throw Exception(ErrorCode::message_too_large,
                  "zstd body decompresses to more than the maximum message size of " +
                      std::to_string(max_size) + " bytes");
}

// Decodes frames that declare no content size into chunks of ZSTD_DStreamOutSize() bytes,
// stopping once more than max_size bytes came out, then joins the chunks into a string of the
// exact size. (Growing one string instead would let its capacity double past the limit.)
std::string decompress_streaming(ZSTD_DCtx& context, std::string_view compressed,
                                 std::size_t max_size) {
  check_setup(ZSTD_DCtx_setParameter(&context, ZSTD_d_windowLogMax,
                                     static_cast<int>(window_log_limit(max_size))),
              "setting the window limit");
  // One byte more than allowed is enough to tell that the body is too large.
  const std::size_t limit =
      max_size == std::numeric_limits<std::size_t>::max() ? max_size : max_size + 1;
  const std::size_t step = ZSTD_DStreamOutSize();

  std::vector<std::string> chunks;
  std::size_t produced = 0;
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  bool finished = false;
  while (!finished) {
    std::string chunk(std::min(step, limit - produced), '\0');
    ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
    while (output.pos < output.size) {
      const std::size_t result = ZSTD_decompressStream(&context, &output, &in);
      if (ZSTD_isError(result) != 0U) {
        throw_zstd_error(result);
      }
      if (in.pos == in.size) {
        if (result == 0) {
          finished = true;  // the last frame is complete and flushed
          break;
        }
        // All input read and room left in the output: the decoder is waiting for input
        // that will never come.
        if (output.pos < output.size) {
          throw_corrupt("truncated frame");
        }
      }
    }
    produced += output.pos;
    if (produced > max_size) {
      throw_too_large(max_size);
    }
    chunk.resize(output.pos);
    chunks.push_back(std::move(chunk));
  }

  std::string out;
  out.reserve(produced);
  for (const std::string& chunk : chunks) {
    out += chunk;
  }
  return out;
}

// The total content size the frames of `compressed` declare, or nothing when one of them
// declares none. Read from the frame headers alone, before anything is allocated. (libzstd's
// ZSTD_findDecompressedSize does the same, but only in its unstable API.)
std::optional<std::size_t> declared_size(std::string_view compressed, std::size_t max_size) {
  if (compressed.empty()) {
    throw_corrupt("empty");
  }
  std::size_t total = 0;
  for (std::string_view rest = compressed; !rest.empty();) {
    const unsigned long long size = ZSTD_getFrameContentSize(rest.data(), rest.size());
    if (size == ZSTD_CONTENTSIZE_ERROR) {
      throw_corrupt("not a zstd frame");
    }
    if (size == ZSTD_CONTENTSIZE_UNKNOWN) {
      return std::nullopt;
    }
    if (size > max_size - total) {
      throw_too_large(max_size);
    }
    total += static_cast<std::size_t>(size);
    const std::size_t frame = ZSTD_findFrameCompressedSize(rest.data(), rest.size());
    if (ZSTD_isError(frame) != 0U) {
      throw_zstd_error(frame);
    }
    rest.remove_prefix(frame);
  }
  return total;
}

}  // namespace

std::optional<std::string> maybe_compress(std::string_view body, const CompressionPolicy& policy) {
  if (!policy.enabled || body.size() <= policy.threshold_bytes) {
    return std::nullopt;
  }
  ZSTD_CCtx& context = compression_context();
  check_setup(ZSTD_CCtx_reset(&context, ZSTD_reset_session_and_parameters), "reset");
  const int level = std::clamp(policy.level, ZSTD_minCLevel(), ZSTD_maxCLevel());
  check_setup(ZSTD_CCtx_setParameter(&context, ZSTD_c_compressionLevel, level), "setting level");
  // The content size lets consumers size their buffer (and refuse a bomb) before decoding;
  // the checksum turns corruption into an error instead of a wrong body.
  check_setup(ZSTD_CCtx_setParameter(&context, ZSTD_c_contentSizeFlag, 1), "content size flag");
  check_setup(ZSTD_CCtx_setParameter(&context, ZSTD_c_checksumFlag, 1), "checksum flag");

  std::string out(ZSTD_compressBound(body.size()), '\0');
  const std::size_t size =
      ZSTD_compress2(&context, out.data(), out.size(), body.data(), body.size());
  check_setup(size, "compressing");
  if (size >= body.size()) {
    return std::nullopt;  // incompressible: sending it as is costs nobody anything
  }
  out.resize(size);
  return out;
}

std::string decompress(std::string_view compressed, std::size_t max_size) {
  ZSTD_DCtx& context = decompression_context();
  check_setup(ZSTD_DCtx_reset(&context, ZSTD_reset_session_and_parameters), "reset");
  const std::optional<std::size_t> declared = declared_size(compressed, max_size);
  if (!declared) {
    return decompress_streaming(context, compressed, max_size);
  }
  // Every frame declares its size, so the body is decoded in one call into a buffer of
  // exactly that size; libzstd checks each frame against its declaration.
  std::string out(*declared, '\0');
  const std::size_t size =
      ZSTD_decompressDCtx(&context, out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(size) != 0U) {
    throw_zstd_error(size);
  }
  if (size != out.size()) {
    throw_corrupt("content shorter than its declared size");
  }
  return out;
}

}  // namespace postwire::client
