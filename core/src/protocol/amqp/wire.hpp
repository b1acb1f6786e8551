#pragma once

// Big-endian primitives shared by the codec's .cpp files; not part of the codec's API.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace postwire::amqp {
struct FieldTable;
}

namespace postwire::amqp::wire {

// Throw Exception(protocol_error) / Exception(invalid_argument) with `message`. Out of line
// so that the hot paths that call them stay small.
[[noreturn]] void fail(std::string message);
[[noreturn]] void invalid(std::string message);

inline void put_u8(std::vector<std::uint8_t>& out, std::uint8_t v) { out.push_back(v); }
inline void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(v >> 8U), static_cast<std::uint8_t>(v)};
  out.insert(out.end(), bytes, bytes + 2);
}
inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  const std::uint8_t bytes[4] = {static_cast<std::uint8_t>(v >> 24U),
                                 static_cast<std::uint8_t>(v >> 16U),
                                 static_cast<std::uint8_t>(v >> 8U), static_cast<std::uint8_t>(v)};
  out.insert(out.end(), bytes, bytes + 4);
}
inline void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  put_u32(out, static_cast<std::uint32_t>(v >> 32U));
  put_u32(out, static_cast<std::uint32_t>(v));
}
inline void store_u32(std::uint8_t* at, std::uint32_t v) {
  at[0] = static_cast<std::uint8_t>(v >> 24U);
  at[1] = static_cast<std::uint8_t>(v >> 16U);
  at[2] = static_cast<std::uint8_t>(v >> 8U);
  at[3] = static_cast<std::uint8_t>(v);
}
inline void put_bytes(std::vector<std::uint8_t>& out, std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  out.insert(out.end(), data, data + bytes.size());
}
// A short string: one length octet, so at most 255 bytes. `what` names it in the error.
void put_shortstr(std::vector<std::uint8_t>& out, std::string_view s, std::string_view what);
// A long string: a 4-byte length.
void put_longstr(std::vector<std::uint8_t>& out, std::string_view s, std::string_view what);

inline std::uint16_t load_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8U) | p[1]);
}
inline std::uint32_t load_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24U) | (std::uint32_t{p[1]} << 16U) | (std::uint32_t{p[2]} << 8U) |
         std::uint32_t{p[3]};
}
inline std::uint64_t load_u64(const std::uint8_t* p) {
  return (std::uint64_t{load_u32(p)} << 32U) | load_u32(p + 4);
}

// Reads big-endian values from a span, never past its end. `context` (e.g. "basic.deliver")
// and each read's `what` (e.g. "routing-key") name the value in errors.
class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, std::string_view context) noexcept
      : bytes_(bytes), context_(context) {}

  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }
  [[nodiscard]] std::string_view context() const noexcept { return context_; }

  std::uint8_t u8(std::string_view what) {
    need(1, what);
    return bytes_[pos_++];
  }
  std::uint16_t u16(std::string_view what) {
    need(2, what);
    const auto v = load_u16(bytes_.data() + pos_);
    pos_ += 2;
    return v;
  }
  std::uint32_t u32(std::string_view what) {
    need(4, what);
    const auto v = load_u32(bytes_.data() + pos_);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64(std::string_view what) {
    need(8, what);
    const auto v = load_u64(bytes_.data() + pos_);
    pos_ += 8;
    return v;
  }
  std::span<const std::uint8_t> take(std::size_t n, std::string_view what) {
    need(n, what);
    const auto part = bytes_.subspan(pos_, n);
    pos_ += n;
    return part;
  }
  std::string shortstr(std::string_view what) {
    const std::size_t n = u8(what);
    return as_string(take_string(n, "short string", what));
  }
  void skip_shortstr(std::string_view what) { take_string(u8(what), "short string", what); }
  std::string longstr(std::string_view what) {
    const std::size_t n = u32(what);
    return as_string(take_string(n, "long string", what));
  }
  void skip_longstr(std::string_view what) { take_string(u32(what), "long string", what); }

  // Throws unless every byte has been read.
  void expect_end() const;

  static std::string as_string(std::span<const std::uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

 private:
  void need(std::size_t n, std::string_view what) const {
    if (n > remaining()) {
      truncated(n, what);
    }
  }
  std::span<const std::uint8_t> take_string(std::size_t n, std::string_view kind,
                                            std::string_view what) {
    if (n > remaining()) {
      overrun(n, kind, what);
    }
    const auto part = bytes_.subspan(pos_, n);
    pos_ += n;
    return part;
  }
  [[noreturn]] void truncated(std::size_t n, std::string_view what) const;
  [[noreturn]] void overrun(std::size_t n, std::string_view kind, std::string_view what) const;

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::string_view context_;
};

// A field table (length-prefixed) at the reader's position; defined in field_table.cpp.
FieldTable read_field_table(Reader& in);

}  // namespace postwire::amqp::wire
