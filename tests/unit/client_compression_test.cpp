#include <gtest/gtest.h>
#include <zstd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>

#include "client/compression_envelope.hpp"
#include "postwire/error.hpp"

// The largest single operator new request since the last reset: the decompression bomb tests
// check that no buffer anywhere near the bomb's size is ever requested. Replacing the global
// operator new is allowed once per program; this one forwards to malloc and only records.
// Sanitizer builds keep their own operator new (it finds mismatched new and delete), and the
// bomb tests then check only the error.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kTracksAllocations = false;
#else
constexpr bool kTracksAllocations = true;
#endif

namespace {
std::atomic<std::size_t> largest_allocation{0};

[[maybe_unused]] void* allocate(std::size_t size) {
  std::size_t seen = largest_allocation.load(std::memory_order_relaxed);
  while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) {
    return memory;
  }
  throw std::bad_alloc();
}
}  // namespace

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t /*size*/) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t /*size*/) noexcept { std::free(memory); }
#endif

namespace postwire::client {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* context) const noexcept { ZSTD_freeCCtx(context); }
};

// `repeats` copies of `chunk` compressed as one frame, streamed so the test never holds them
// all; with or without the content size in the frame header, and with a given window size
// (0: the level's default). The first call never ends the frame, otherwise libzstd would know
// the whole input and record its size anyway.
std::string compress_streamed(const std::string& chunk, std::size_t repeats, bool declare_size,
                              int window_log = 0) {
  const std::unique_ptr<ZSTD_CCtx, CCtxDeleter> context(ZSTD_createCCtx());
  if (declare_size) {
    EXPECT_EQ(ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(context.get(), chunk.size() * repeats)), 0U);
  }
  EXPECT_EQ(ZSTD_isError(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_windowLog, window_log)), 0U);
  std::string out;
  std::string buffer(ZSTD_CStreamOutSize(), '\0');
  for (std::size_t i = 0; i < repeats; ++i) {
    ZSTD_inBuffer in{chunk.data(), chunk.size(), 0};
    while (in.pos < in.size) {
      ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
      EXPECT_EQ(ZSTD_isError(ZSTD_compressStream2(context.get(), &output, &in, ZSTD_e_continue)),
                0U);
      out.append(buffer.data(), output.pos);
    }
  }
  ZSTD_inBuffer none{nullptr, 0, 0};
  std::size_t remaining = 0;
  do {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    remaining = ZSTD_compressStream2(context.get(), &output, &none, ZSTD_e_end);
    EXPECT_EQ(ZSTD_isError(remaining), 0U);
    out.append(buffer.data(), output.pos);
  } while (remaining != 0 && ZSTD_isError(remaining) == 0U);
  return out;
}

std::string compressed_zeros(std::size_t mebibytes, bool declare_size) {
  return compress_streamed(std::string(kMiB, '\0'), mebibytes, declare_size);
}

std::string random_bytes(std::size_t size) {
  std::mt19937_64 generator(42);
  std::string out(size, '\0');
  for (char& c : out) {
    c = static_cast<char>(generator() & 0xFFU);
  }
  return out;
}

ErrorCode decompress_error(std::string_view compressed, std::size_t max_size) {
  try {
    (void)decompress(compressed, max_size);
  } catch (const Exception& e) {
    return e.code();
  }
  return ErrorCode::ok;
}

TEST(ClientCompression, EmptyAndSmallBodiesAreSentAsTheyAre) {
  EXPECT_FALSE(maybe_compress("", CompressionPolicy{}));
  EXPECT_FALSE(maybe_compress(std::string(16384, 'a'), CompressionPolicy{}))
      << "the threshold itself is not above the threshold";
  EXPECT_FALSE(maybe_compress("", CompressionPolicy{.threshold_bytes = 0}))
      << "a frame is never smaller than nothing";
  EXPECT_FALSE(maybe_compress(std::string(100'000, 'a'), CompressionPolicy{.enabled = false}));
}

TEST(ClientCompression, CompressibleBodyRoundTrips) {
  std::string body;
  for (int i = 0; body.size() < kMiB; ++i) {
    body += "order " + std::to_string(i) + " shipped to warehouse " + std::to_string(i % 7) + ";";
  }
  body.resize(kMiB);
  const auto compressed = maybe_compress(body, CompressionPolicy{});
  ASSERT_TRUE(compressed);
  EXPECT_LT(compressed->size(), body.size() / 4);
  EXPECT_EQ(ZSTD_getFrameContentSize(compressed->data(), compressed->size()), body.size())
      << "the frame declares its content size";
  EXPECT_EQ(decompress(*compressed, body.size()), body) << "max_size is inclusive";
  EXPECT_EQ(decompress_error(*compressed, body.size() - 1), ErrorCode::message_too_large);
}

TEST(ClientCompression, EveryLevelIsAcceptedOrClamped) {
  const std::string body(50'000, 'x');
  // The lowest levels barely compress, so a body may stay as it is; it must not throw.
  EXPECT_NO_THROW((void)maybe_compress(body, CompressionPolicy{.level = -1'000'000}));
  for (const int level : {-5, 1, 19, 1'000'000}) {
    const auto compressed = maybe_compress(body, CompressionPolicy{.level = level});
    ASSERT_TRUE(compressed) << level;
    EXPECT_EQ(decompress(*compressed, body.size()), body) << level;
  }
}

TEST(ClientCompression, IncompressibleBodyIsSentAsItIs) {
  EXPECT_FALSE(maybe_compress(random_bytes(kMiB), CompressionPolicy{}));
}

TEST(ClientCompression, EmptyFrameDecompressesToEmpty) {
  std::string frame(ZSTD_compressBound(0), '\0');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), "", 0, 3));
  EXPECT_EQ(decompress(frame, 0), "");
}

TEST(ClientCompression, FrameWithoutContentSizeRoundTrips) {
  const std::string compressed = compressed_zeros(3, false);
  EXPECT_EQ(ZSTD_getFrameContentSize(compressed.data(), compressed.size()),
            ZSTD_CONTENTSIZE_UNKNOWN);
  EXPECT_EQ(decompress(compressed, 3 * kMiB), std::string(3 * kMiB, '\0'));
  EXPECT_EQ(decompress_error(compressed, 3 * kMiB - 1), ErrorCode::message_too_large);
}

TEST(ClientCompression, CorruptInputIsAProtocolError) {
  const std::string body(100'000, 'z');
  const auto compressed = maybe_compress(body, CompressionPolicy{});
  ASSERT_TRUE(compressed);

  EXPECT_EQ(decompress_error("", kMiB), ErrorCode::protocol_error);
  EXPECT_EQ(decompress_error("this is not zstd at all", kMiB), ErrorCode::protocol_error);
  EXPECT_EQ(decompress_error(compressed->substr(0, compressed->size() - 5), kMiB),
            ErrorCode::protocol_error)
      << "truncated";
  std::string flipped = *compressed;
  flipped[flipped.size() - 1] = static_cast<char>(flipped.back() ^ 0x01);
  EXPECT_EQ(decompress_error(flipped, kMiB), ErrorCode::protocol_error) << "bad checksum";

  const std::string streamed = compressed_zeros(2, false);
  EXPECT_EQ(decompress_error(streamed.substr(0, streamed.size() - 3), 2 * kMiB),
            ErrorCode::protocol_error)
      << "truncated, without content size";

  try {
    (void)decompress("garbage", kMiB);
    FAIL() << "no exception";
  } catch (const Exception& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt zstd body"), std::string::npos) << e.what();
    EXPECT_FALSE(e.error().fatal()) << "one bad body must not close the connection";
  }
}

TEST(ClientCompression, BombWithContentSizeIsRefusedBeforeAllocating) {
  const std::string bomb = compressed_zeros(100, true);
  ASSERT_LT(bomb.size(), kMiB);
  largest_allocation = 0;
  EXPECT_EQ(decompress_error(bomb, kMiB), ErrorCode::message_too_large);
  if (kTracksAllocations) {
    EXPECT_LT(largest_allocation.load(), kMiB);
  }
}

TEST(ClientCompression, BombWithoutContentSizeStopsAtTheLimit) {
  const std::string bomb = compressed_zeros(100, false);
  ASSERT_LT(bomb.size(), kMiB);
  largest_allocation = 0;
  EXPECT_EQ(decompress_error(bomb, kMiB), ErrorCode::message_too_large);
  if (kTracksAllocations) {
    EXPECT_LE(largest_allocation.load(), kMiB + 1);
  }
}

TEST(ClientCompression, LargeWindowWithoutContentSizeIsRefusedUnderASmallLimit) {
  // A 16 MiB window, above the 8 MiB allowed whatever the limit.
  const std::string body(1000, 'w');
  const std::string frame = compress_streamed(body, 1, false, 24);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  EXPECT_EQ(decompress_error(frame, kMiB), ErrorCode::message_too_large);
  EXPECT_EQ(decompress(frame, 16 * kMiB), body) << "allowed when the limit needs the window";
}

TEST(ClientCompression, ConcatenatedFramesDecompressToTheirConcatenation) {
  const std::string a(40'000, 'a');
  const std::string b(40'000, 'b');
  const std::string both = *maybe_compress(a, CompressionPolicy{}) + *maybe_compress(b, {});
  EXPECT_EQ(decompress(both, a.size() + b.size()), a + b);
  EXPECT_EQ(decompress_error(both, a.size() + b.size() - 1), ErrorCode::message_too_large);
}

}  // namespace
}  // namespace postwire::client
