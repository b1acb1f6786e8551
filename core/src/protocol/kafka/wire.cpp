#include "protocol/kafka/wire.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka {

namespace {

// The largest lengths the classic prefixes can carry.
constexpr std::size_t max_string = std::numeric_limits<std::int16_t>::max();
constexpr std::size_t max_bytes = std::numeric_limits<std::int32_t>::max();

[[noreturn]] void too_long(std::string_view kind, std::size_t size, std::size_t limit) {
  throw Exception(ErrorCode::invalid_argument,
                  "kafka request: a " + std::string(kind) + " of " + std::to_string(size) +
                      " bytes is longer than the " + std::to_string(limit) +
                      " a Kafka field can hold");
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

void Writer::string(std::string_view s) {
  if (s.size() > max_string) too_long("string", s.size(), max_string);
  i16(static_cast<std::int16_t>(s.size()));
  raw(as_bytes(s));
}

void Writer::nullable_string(std::optional<std::string_view> s) {
  if (!s) {
    i16(-1);
    return;
  }
  string(*s);
}

void Writer::compact_string(std::string_view s) {
  // Compact strings are bound by the same int16 limit as classic ones (Kafka's readers
  // reject longer), so that a message means the same in either form.
  if (s.size() > max_string) too_long("string", s.size(), max_string);
  uvarint(s.size() + 1);
  raw(as_bytes(s));
}

void Writer::compact_nullable_string(std::optional<std::string_view> s) {
  if (!s) {
    uvarint(0);
    return;
  }
  compact_string(*s);
}

void Writer::bytes(std::span<const std::uint8_t> b) {
  if (b.size() > max_bytes) too_long("byte array", b.size(), max_bytes);
  i32(static_cast<std::int32_t>(b.size()));
  raw(b);
}

void Writer::compact_bytes(std::span<const std::uint8_t> b) {
  if (b.size() > max_bytes) too_long("byte array", b.size(), max_bytes);
  uvarint(b.size() + 1);
  raw(b);
}

void Writer::nullable_bytes(std::optional<std::span<const std::uint8_t>> b) {
  if (!b) {
    i32(-1);
    return;
  }
  bytes(*b);
}

void Writer::compact_nullable_bytes(std::optional<std::span<const std::uint8_t>> b) {
  if (!b) {
    uvarint(0);
    return;
  }
  compact_bytes(*b);
}

void Writer::array_length(std::size_t n, bool flexible) {
  if (n > max_bytes) too_long("array", n, max_bytes);
  if (flexible) {
    uvarint(n + 1);
  } else {
    i32(static_cast<std::int32_t>(n));
  }
}

void Writer::null_array(bool flexible) {
  if (flexible) {
    uvarint(0);
  } else {
    i32(-1);
  }
}

std::uint32_t Reader::uvarint(std::string_view what) {
  const auto read = read_uvarint(bytes_.subspan(pos_), max_varint32_bytes);
  if (!read) {
    if (remaining() < max_varint32_bytes) {
      fail(what, "truncated unsigned varint at offset " + std::to_string(pos_));
    }
    fail(what, "unsigned varint at offset " + std::to_string(pos_) + " runs past 5 bytes");
  }
  if (read->value > std::numeric_limits<std::uint32_t>::max()) {
    fail(what, "unsigned varint " + std::to_string(read->value) + " does not fit 32 bits");
  }
  pos_ += read->length;
  return static_cast<std::uint32_t>(read->value);
}

std::int32_t Reader::varint(std::string_view what) {
  return static_cast<std::int32_t>(zigzag_decode(uvarint(what)));
}

Uuid Reader::uuid(std::string_view what) {
  Uuid id{};
  const auto part = take(id.size(), what);
  std::copy(part.begin(), part.end(), id.begin());
  return id;
}

std::span<const std::uint8_t> Reader::take(std::size_t n, std::string_view what) {
  need(n, what);
  const auto part = bytes_.subspan(pos_, n);
  pos_ += n;
  return part;
}

std::string Reader::owned(std::size_t n, std::string_view what) {
  const auto part = take(n, what);
  return {reinterpret_cast<const char*>(part.data()), part.size()};
}

std::string Reader::string(std::string_view what) {
  const std::int16_t n = i16(what);
  if (n < 0) fail(what, "null where the field is not nullable (length " + std::to_string(n) + ")");
  return owned(static_cast<std::size_t>(n), what);
}

std::optional<std::string> Reader::nullable_string(std::string_view what) {
  const std::int16_t n = i16(what);
  if (n == -1) return std::nullopt;
  if (n < 0) fail(what, "invalid string length " + std::to_string(n));
  return owned(static_cast<std::size_t>(n), what);
}

std::string Reader::compact_string(std::string_view what) {
  const std::uint32_t n = uvarint(what);
  if (n == 0) fail(what, "null where the field is not nullable");
  return owned(n - 1, what);
}

std::optional<std::string> Reader::compact_nullable_string(std::string_view what) {
  const std::uint32_t n = uvarint(what);
  if (n == 0) return std::nullopt;
  return owned(n - 1, what);
}

std::span<const std::uint8_t> Reader::bytes(std::string_view what) {
  const std::int32_t n = i32(what);
  if (n < 0) fail(what, "null where the field is not nullable (length " + std::to_string(n) + ")");
  return take(static_cast<std::size_t>(n), what);
}

std::span<const std::uint8_t> Reader::compact_bytes(std::string_view what) {
  const std::uint32_t n = uvarint(what);
  if (n == 0) fail(what, "null where the field is not nullable");
  return take(n - 1, what);
}

std::optional<std::span<const std::uint8_t>> Reader::nullable_bytes(std::string_view what) {
  const std::int32_t n = i32(what);
  if (n == -1) return std::nullopt;
  if (n < 0) fail(what, "invalid byte array length " + std::to_string(n));
  return take(static_cast<std::size_t>(n), what);
}

std::optional<std::span<const std::uint8_t>> Reader::compact_nullable_bytes(std::string_view what) {
  const std::uint32_t n = uvarint(what);
  if (n == 0) return std::nullopt;
  return take(n - 1, what);
}

std::optional<std::size_t> Reader::nullable_array_length(std::string_view what, bool flexible,
                                                         std::size_t min_element_size) {
  std::size_t n = 0;
  if (flexible) {
    const std::uint32_t raw = uvarint(what);
    if (raw == 0) return std::nullopt;
    n = raw - 1;
  } else {
    const std::int32_t raw = i32(what);
    if (raw == -1) return std::nullopt;
    if (raw < 0) fail(what, "invalid array length " + std::to_string(raw));
    n = static_cast<std::size_t>(raw);
  }
  // n is below 2^32 and min_element_size small, so the product cannot overflow 64 bits.
  if (n * min_element_size > remaining()) {
    fail(what, "array of " + std::to_string(n) + " elements overruns the data (" +
                   std::to_string(remaining()) + " bytes remain at offset " + std::to_string(pos_) +
                   ")");
  }
  return n;
}

std::size_t Reader::array_length(std::string_view what, bool flexible,
                                 std::size_t min_element_size) {
  const auto n = nullable_array_length(what, flexible, min_element_size);
  if (!n) fail(what, "null array where the field is not nullable");
  return *n;
}

void Reader::skip_tagged_fields(std::string_view what) {
  tagged_fields(what, [](std::uint32_t, Reader&) { return false; });
}

void Reader::expect_end(std::string_view what) const {
  if (remaining() != 0) {
    fail(what, std::to_string(remaining()) + " unexpected bytes after the last field (at offset " +
                   std::to_string(pos_) + " of " + std::to_string(bytes_.size()) + ")");
  }
}

void Reader::fail(std::string_view what, std::string_view problem) const {
  std::string text = "kafka ";
  text += context_;
  if (version_ >= 0) {
    text += " v" + std::to_string(version_);
  }
  text += ": ";
  text += what;
  text += ": ";
  text += problem;
  throw Exception(ErrorCode::protocol_error, std::move(text));
}

void Reader::truncated(std::size_t n, std::string_view what) const {
  fail(what, "truncated: needs " + std::to_string(n) + " bytes at offset " + std::to_string(pos_) +
                 " but only " + std::to_string(remaining()) + " remain");
}

}  // namespace postwire::kafka
