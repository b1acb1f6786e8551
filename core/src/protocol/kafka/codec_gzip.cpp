// gzip as Kafka writes it: one gzip (RFC 1952) stream of the records.

#include <zlib.h>

#include <limits>
#include <new>
#include <string>

#include "postwire/error.hpp"
#include "protocol/kafka/codec_support.hpp"

namespace postwire::kafka::codecs {
namespace {

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

}  // namespace

void check_gzip_level(int level) { check_level(Codec::gzip, level, 1, 9); }

void gzip_compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out, int level) {
  check_gzip_level(level);
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

}  // namespace postwire::kafka::codecs
