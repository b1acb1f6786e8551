#include <gtest/gtest.h>
#include <zstd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "kafka_test_util.hpp"
#include "protocol/kafka/compression.hpp"

namespace postwire::kafka {
namespace {

using test::bytes;
using test::Bytes;
using test::concat;
using test::expect_error;
using test::expect_protocol_error;
using test::random_bytes;
using test::text;

constexpr Codec all_codecs[] = {Codec::none, Codec::gzip, Codec::snappy, Codec::lz4, Codec::zstd};
constexpr Codec compressing_codecs[] = {Codec::gzip, Codec::snappy, Codec::lz4, Codec::zstd};

constexpr std::size_t unlimited = 1U << 30U;

Bytes compressed(Codec codec, const Bytes& in, int level = 0) {
  Bytes out;
  compress(codec, in, out, level);
  return out;
}

Bytes decompressed(Codec codec, const Bytes& in, std::size_t max_output = unlimited) {
  Bytes out;
  decompress(codec, in, out, max_output);
  return out;
}

// Text that compresses well, as most record payloads do.
Bytes compressible(std::size_t n) {
  Bytes out;
  out.reserve(n);
  for (std::size_t i = 0; out.size() < n; ++i) {
    const std::string line = "{\"order\":" + std::to_string(i % 977) + ",\"state\":\"paid\"}\n";
    out.insert(out.end(), line.begin(), line.end());
  }
  out.resize(n);
  return out;
}

// The text every golden input below decompresses to.
const Bytes golden_text = text("postwire postwire postwire postwire postwire postwire ");

TEST(KafkaCompression, NamesCodecsAsKafkaDoes) {
  EXPECT_EQ(codec_from_name("none"), Codec::none);
  EXPECT_EQ(codec_from_name("gzip"), Codec::gzip);
  EXPECT_EQ(codec_from_name("snappy"), Codec::snappy);
  EXPECT_EQ(codec_from_name("lz4"), Codec::lz4);
  EXPECT_EQ(codec_from_name("zstd"), Codec::zstd);
  EXPECT_EQ(codec_from_name("LZ4"), std::nullopt);
  EXPECT_EQ(codec_from_name("brotli"), std::nullopt);
  EXPECT_EQ(codec_from_name(""), std::nullopt);
  for (const Codec codec : all_codecs) {
    EXPECT_EQ(codec_from_name(codec_name(codec)), codec);
  }
}

TEST(KafkaCompression, RoundTripsEveryCodecAndSize) {
  const std::vector<std::pair<std::string, Bytes>> inputs = {
      {"empty", {}},
      {"one byte", bytes({0x42})},
      {"100 KiB of text", compressible(100 * 1024)},
      {"100 KiB incompressible", random_bytes(100 * 1024, 7)},
  };
  for (const Codec codec : all_codecs) {
    for (const auto& [name, input] : inputs) {
      SCOPED_TRACE(std::string(codec_name(codec)) + ", " + name);
      EXPECT_EQ(decompressed(codec, compressed(codec, input)), input);
    }
  }
}

TEST(KafkaCompression, CompressesText) {
  const Bytes input = compressible(100 * 1024);
  for (const Codec codec : compressing_codecs) {
    EXPECT_LT(compressed(codec, input).size(), input.size() / 4) << codec_name(codec);
  }
}

TEST(KafkaCompression, AppendsToWhatTheOutputHolds) {
  const Bytes prefix = text("header");
  const Bytes input = compressible(5000);
  for (const Codec codec : all_codecs) {
    SCOPED_TRACE(codec_name(codec));
    Bytes packed = prefix;
    compress(codec, input, packed, 0);
    ASSERT_GT(packed.size(), prefix.size());
    EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), packed.begin()));
    const Bytes body(packed.begin() + static_cast<std::ptrdiff_t>(prefix.size()), packed.end());

    Bytes unpacked = prefix;
    decompress(codec, body, unpacked, input.size());
    EXPECT_EQ(unpacked, concat({prefix, input}));
  }
}

TEST(KafkaCompression, HonoursLevels) {
  const Bytes input = compressible(64 * 1024);
  for (const auto& [codec, level] : std::vector<std::pair<Codec, int>>{{Codec::gzip, 1},
                                                                       {Codec::gzip, 9},
                                                                       {Codec::lz4, 1},
                                                                       {Codec::lz4, 9},
                                                                       {Codec::lz4, 17},
                                                                       {Codec::zstd, -5},
                                                                       {Codec::zstd, 1},
                                                                       {Codec::zstd, 19}}) {
    SCOPED_TRACE(std::string(codec_name(codec)) + " level " + std::to_string(level));
    EXPECT_EQ(decompressed(codec, compressed(codec, input, level)), input);
  }
  // A higher level trades time for size.
  EXPECT_LT(compressed(Codec::zstd, input, 19).size(), compressed(Codec::zstd, input, -5).size());
  EXPECT_LT(compressed(Codec::gzip, input, 9).size(), compressed(Codec::gzip, input, 1).size());
}

TEST(KafkaCompression, RejectsLevelsTheCodecDoesNotHave) {
  const Bytes input = text("x");
  Bytes out;
  expect_error(
      ErrorCode::invalid_argument, [&] { compress(Codec::gzip, input, out, 10); }, "gzip");
  expect_error(
      ErrorCode::invalid_argument, [&] { compress(Codec::gzip, input, out, -1); }, "gzip");
  expect_error(
      ErrorCode::invalid_argument, [&] { compress(Codec::lz4, input, out, 18); }, "lz4");
  expect_error(
      ErrorCode::invalid_argument, [&] { compress(Codec::zstd, input, out, ZSTD_maxCLevel() + 1); },
      "zstd");
  EXPECT_TRUE(out.empty());
}

// ---- what goes on the wire ------------------------------------------------------------------

TEST(KafkaCompression, WritesGzipStreams) {
  const Bytes out = compressed(Codec::gzip, golden_text);
  ASSERT_GE(out.size(), 18U);
  EXPECT_EQ(out[0], 0x1F);  // RFC 1952 ID1, ID2, CM = deflate
  EXPECT_EQ(out[1], 0x8B);
  EXPECT_EQ(out[2], 0x08);
}

TEST(KafkaCompression, WritesXerialFramedSnappy) {
  const Bytes input = compressible(100 * 1024);
  const Bytes out = compressed(Codec::snappy, input);
  // Magic, version 1, compatible version 1 (snappy-java's SnappyCodec header).
  const Bytes header = bytes({0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1});
  ASSERT_GT(out.size(), header.size());
  EXPECT_TRUE(std::equal(header.begin(), header.end(), out.begin()));
  // 32 KiB blocks, as SnappyOutputStream writes them: 100 KiB makes four.
  std::size_t pos = header.size();
  int blocks = 0;
  while (pos < out.size()) {
    ASSERT_LE(pos + 4, out.size());
    const std::size_t length = (std::size_t{out[pos]} << 24U) | (std::size_t{out[pos + 1]} << 16U) |
                               (std::size_t{out[pos + 2]} << 8U) | out[pos + 3];
    pos += 4 + length;
    ++blocks;
  }
  EXPECT_EQ(pos, out.size());
  EXPECT_EQ(blocks, 4);
}

TEST(KafkaCompression, WritesLz4FramesWithIndependentBlocks) {
  const Bytes out = compressed(Codec::lz4, golden_text);
  ASSERT_GE(out.size(), 7U);
  EXPECT_EQ(out[0], 0x04);  // the frame magic 0x184D2204, little-endian
  EXPECT_EQ(out[1], 0x22);
  EXPECT_EQ(out[2], 0x4D);
  EXPECT_EQ(out[3], 0x18);
  // FLG: version 01, block independence set, no block checksum, no content size, no content
  // checksum, no dictionary. BD: 64 KiB maximum block size. Java's reader takes only this.
  EXPECT_EQ(out[4], 0x60);
  EXPECT_EQ(out[5], 0x40);
}

TEST(KafkaCompression, WritesZstdFrames) {
  const Bytes out = compressed(Codec::zstd, golden_text);
  ASSERT_GE(out.size(), 4U);
  EXPECT_EQ(out[0], 0x28);  // the frame magic 0xFD2FB528, little-endian
  EXPECT_EQ(out[1], 0xB5);
  EXPECT_EQ(out[2], 0x2F);
  EXPECT_EQ(out[3], 0xFD);
}

// ---- golden inputs written by other tools ---------------------------------------------------

// Python 3 stdlib: gzip.compress(b"postwire " * 6, compresslevel=6, mtime=0)
const Bytes golden_gzip = bytes({0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x2B,
                                 0xC8, 0x2F, 0x2E, 0x29, 0xCF, 0x2C, 0x4A, 0x55, 0x28, 0x20, 0x85,
                                 0x01, 0x00, 0x57, 0x88, 0x9D, 0x07, 0x36, 0x00, 0x00, 0x00});
// python-snappy 0.7.3: snappy.compress(b"postwire " * 6), a plain raw block
const Bytes golden_snappy_raw =
    bytes({0x36, 0x20, 0x70, 0x6F, 0x73, 0x74, 0x77, 0x69, 0x72, 0x65, 0x20, 0xB2, 0x09, 0x00});
// The same block in xerial framing, put together by hand: snappy-java's header (magic,
// version 1, compatible version 1), then the block's big-endian length (14).
const Bytes golden_snappy_xerial =
    concat({bytes({0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 14}),
            golden_snappy_raw});
// python lz4 4.4.5: lz4.frame.compress(b"postwire " * 6, content_checksum=False,
// store_size=False)
const Bytes golden_lz4_plain =
    bytes({0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0x82, 0x13, 0x00, 0x00, 0x00, 0x9F,
           0x70, 0x6F, 0x73, 0x74, 0x77, 0x69, 0x72, 0x65, 0x20, 0x09, 0x00, 0x15,
           0x50, 0x77, 0x69, 0x72, 0x65, 0x20, 0x00, 0x00, 0x00, 0x00});
// python lz4 4.4.5: lz4.frame.compress(b"postwire " * 6, content_checksum=True,
// store_size=True, block_checksum=True)
const Bytes golden_lz4_checksums =
    bytes({0x04, 0x22, 0x4D, 0x18, 0x7C, 0x40, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
           0x00, 0xDC, 0x13, 0x00, 0x00, 0x00, 0x9F, 0x70, 0x6F, 0x73, 0x74, 0x77, 0x69,
           0x72, 0x65, 0x20, 0x09, 0x00, 0x15, 0x50, 0x77, 0x69, 0x72, 0x65, 0x20, 0xFC,
           0x9E, 0x0B, 0x73, 0x00, 0x00, 0x00, 0x00, 0x4C, 0xFE, 0x9A, 0xE9});
// python zstandard 0.25.0: ZstdCompressor(level=3).compress(b"postwire " * 6)
const Bytes golden_zstd_sized =
    bytes({0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x36, 0x7D, 0x00, 0x00, 0x48, 0x70, 0x6F,
           0x73, 0x74, 0x77, 0x69, 0x72, 0x65, 0x20, 0x01, 0x00, 0xD2, 0x2C, 0x47});
// python zstandard 0.25.0: ZstdCompressor(level=3, write_content_size=False).stream_writer,
// which writes a frame that declares no content size
const Bytes golden_zstd_unsized =
    bytes({0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x58, 0x7D, 0x00, 0x00, 0x48, 0x70, 0x6F,
           0x73, 0x74, 0x77, 0x69, 0x72, 0x65, 0x20, 0x01, 0x00, 0xD2, 0x2C, 0x47});

TEST(KafkaCompression, DecodesGoldenGzip) {
  EXPECT_EQ(decompressed(Codec::gzip, golden_gzip), golden_text);
}

TEST(KafkaCompression, DecodesGoldenSnappyRawAndXerialFramed) {
  EXPECT_EQ(decompressed(Codec::snappy, golden_snappy_raw), golden_text);
  EXPECT_EQ(decompressed(Codec::snappy, golden_snappy_xerial), golden_text);
}

TEST(KafkaCompression, DecodesGoldenLz4WithAndWithoutChecksumsAndSize) {
  EXPECT_EQ(decompressed(Codec::lz4, golden_lz4_plain), golden_text);
  EXPECT_EQ(decompressed(Codec::lz4, golden_lz4_checksums), golden_text);
}

TEST(KafkaCompression, DecodesGoldenZstdWithAndWithoutContentSize) {
  EXPECT_EQ(decompressed(Codec::zstd, golden_zstd_sized), golden_text);
  EXPECT_EQ(decompressed(Codec::zstd, golden_zstd_unsized), golden_text);
}

TEST(KafkaCompression, DecodesJoinedStreams) {
  const Bytes twice = concat({golden_text, golden_text});
  EXPECT_EQ(decompressed(Codec::gzip, concat({golden_gzip, golden_gzip})), twice);
  EXPECT_EQ(decompressed(Codec::snappy, concat({golden_snappy_xerial, golden_snappy_xerial})),
            twice);
  EXPECT_EQ(decompressed(Codec::lz4, concat({golden_lz4_plain, golden_lz4_checksums})), twice);
  EXPECT_EQ(decompressed(Codec::zstd, concat({golden_zstd_sized, golden_zstd_unsized})), twice);
}

// ---- corrupt input --------------------------------------------------------------------------

TEST(KafkaCompression, RejectsTruncatedInput) {
  const std::vector<std::pair<Codec, Bytes>> goldens = {{Codec::gzip, golden_gzip},
                                                        {Codec::snappy, golden_snappy_raw},
                                                        {Codec::snappy, golden_snappy_xerial},
                                                        {Codec::lz4, golden_lz4_plain},
                                                        {Codec::lz4, golden_lz4_checksums},
                                                        {Codec::zstd, golden_zstd_sized},
                                                        {Codec::zstd, golden_zstd_unsized}};
  for (const auto& [codec, golden] : goldens) {
    for (const std::size_t keep :
         {std::size_t{0}, std::size_t{3}, golden.size() / 2, golden.size() - 1}) {
      SCOPED_TRACE(std::string(codec_name(codec)) + " cut to " + std::to_string(keep));
      const Bytes cut(golden.begin(), golden.begin() + static_cast<std::ptrdiff_t>(keep));
      expect_protocol_error([&] { static_cast<void>(decompressed(codec, cut)); },
                            "kafka " + std::string(codec_name(codec)) + " decompression");
    }
  }
}

TEST(KafkaCompression, RejectsCorruptInput) {
  // A flipped bit in the compressed data: caught by the gzip CRC-32, the lz4 checksums, the
  // zstd checksum or an impossible back-reference in snappy.
  Bytes gzip = golden_gzip;
  gzip[12] ^= 0x10;
  Bytes lz4 = golden_lz4_checksums;
  lz4[22] ^= 0x01;
  Bytes zstd = compressed(Codec::zstd, compressible(1000));
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  zstd.resize(ZSTD_compressBound(golden_text.size()));
  zstd.resize(
      ZSTD_compress2(context, zstd.data(), zstd.size(), golden_text.data(), golden_text.size()));
  ZSTD_freeCCtx(context);
  zstd[zstd.size() - 1] ^= 0x01;  // the checksum itself
  Bytes snappy = golden_snappy_raw;
  snappy[12] = 0xFF;  // the copy's offset now points before the start

  for (const auto& [codec, input] : std::vector<std::pair<Codec, Bytes>>{
           {Codec::gzip, gzip}, {Codec::lz4, lz4}, {Codec::zstd, zstd}, {Codec::snappy, snappy}}) {
    SCOPED_TRACE(codec_name(codec));
    expect_protocol_error([&] { static_cast<void>(decompressed(codec, input)); },
                          "kafka " + std::string(codec_name(codec)) + " decompression: corrupt");
  }
}

TEST(KafkaCompression, RejectsGarbage) {
  const Bytes garbage = text("this is not compressed data at all");
  for (const Codec codec : compressing_codecs) {
    SCOPED_TRACE(codec_name(codec));
    expect_protocol_error([&] { static_cast<void>(decompressed(codec, garbage)); },
                          "kafka " + std::string(codec_name(codec)) + " decompression: corrupt");
  }
}

TEST(KafkaCompression, RejectsAnXerialBlockThatOverrunsTheInput) {
  Bytes framed = golden_snappy_xerial;
  framed[19] = 15;  // one byte more than there is
  expect_protocol_error([&] { static_cast<void>(decompressed(Codec::snappy, framed)); },
                        "overruns");
}

TEST(KafkaCompression, LeavesTheOutputAsItWasOnError) {
  Bytes out = text("kept");
  const Bytes cut(golden_gzip.begin(), golden_gzip.end() - 4);
  EXPECT_THROW(decompress(Codec::gzip, cut, out, unlimited), Exception);
  EXPECT_EQ(out, text("kept"));
}

// ---- the output bound -----------------------------------------------------------------------

TEST(KafkaCompression, StopsAtTheOutputBound) {
  const Bytes input = compressible(100 * 1024);
  for (const Codec codec : all_codecs) {
    SCOPED_TRACE(codec_name(codec));
    const Bytes packed = compressed(codec, input);
    EXPECT_EQ(decompressed(codec, packed, input.size()), input);  // exactly at the bound
    expect_protocol_error([&] { static_cast<void>(decompressed(codec, packed, input.size() - 1)); },
                          "exceeds the limit of " + std::to_string(input.size() - 1) + " bytes");
  }
}

// A frame with no content size must be stopped by the decoder itself, as it goes.
Bytes zstd_without_content_size(const Bytes& input) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 0);
  Bytes out(ZSTD_compressBound(input.size()));
  ZSTD_outBuffer output{out.data(), out.size(), 0};
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  const std::size_t left = ZSTD_compressStream2(context, &output, &in, ZSTD_e_end);
  ZSTD_freeCCtx(context);
  EXPECT_EQ(left, 0U);
  out.resize(output.pos);
  return out;
}

// 16 MiB of zeros compress to a few KiB; decoding them with a 1 MiB bound must fail without
// the output buffer ever growing much past that bound.
TEST(KafkaCompression, DecompressionBombsDoNotAllocatePastTheBound) {
  const Bytes zeros(16U << 20U, 0);
  constexpr std::size_t bound = 1U << 20U;
  std::vector<std::pair<std::string, Bytes>> bombs;
  for (const Codec codec : compressing_codecs) {
    bombs.emplace_back(codec_name(codec), compressed(codec, zeros));
  }
  bombs.emplace_back("zstd (streamed)", zstd_without_content_size(zeros));
  for (std::size_t i = 0; i < bombs.size(); ++i) {
    const auto& [name, bomb] = bombs[i];
    const Codec codec = i < 4 ? compressing_codecs[i] : Codec::zstd;
    SCOPED_TRACE(name);
    EXPECT_LT(bomb.size(), zeros.size() / 16);
    Bytes out;
    expect_protocol_error([&] { decompress(codec, bomb, out, bound); }, "exceeds the limit");
    EXPECT_TRUE(out.empty());
    EXPECT_LE(out.capacity(), bound + 1);
  }
}

}  // namespace
}  // namespace postwire::kafka
