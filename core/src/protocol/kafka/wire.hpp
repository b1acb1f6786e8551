#pragma once

// The primitive types of Kafka's request/response protocol (the "Protocol Primitive Types" of
// Kafka's protocol guide): big-endian integers, strings and byte arrays with a classic
// (int16/int32 length) or compact (unsigned varint length + 1, KIP-482) prefix, arrays, UUIDs
// and the tagged-field section that ends every structure of a flexible version. Sans-IO: a
// Writer appends to a byte vector, a Reader walks a span and never reads past its end.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/kafka/varint.hpp"

namespace postwire::kafka {

using Uuid = std::array<std::uint8_t, 16>;

// Appends protocol primitives to a byte vector. Values a Kafka field cannot hold (a string
// longer than 32767 bytes, a byte array longer than 2^31 - 1) throw
// Exception(invalid_argument): they are the caller's mistake, not the broker's.
class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& out) noexcept : out_(out) {}

  [[nodiscard]] std::vector<std::uint8_t>& buffer() noexcept { return out_; }

  void i8(std::int8_t v) { out_.push_back(static_cast<std::uint8_t>(v)); }
  void i16(std::int16_t v) { be(static_cast<std::uint16_t>(v), 2); }
  void i32(std::int32_t v) { be(static_cast<std::uint32_t>(v), 4); }
  void i64(std::int64_t v) { be(static_cast<std::uint64_t>(v), 8); }
  void u32(std::uint32_t v) { be(v, 4); }
  void boolean(bool v) { out_.push_back(v ? 1 : 0); }
  void uvarint(std::uint64_t v) { put_uvarint(out_, v); }
  void varint(std::int64_t v) { put_varint(out_, v); }
  void uuid(const Uuid& id) { out_.insert(out_.end(), id.begin(), id.end()); }
  // Bytes as they are, with no length prefix.
  void raw(std::span<const std::uint8_t> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }

  void string(std::string_view s);                                  // int16 length
  void nullable_string(std::optional<std::string_view> s);          // int16 length, -1 for null
  void compact_string(std::string_view s);                          // uvarint length + 1
  void compact_nullable_string(std::optional<std::string_view> s);  // uvarint 0 for null
  void bytes(std::span<const std::uint8_t> b);                      // int32 length
  void compact_bytes(std::span<const std::uint8_t> b);
  void nullable_bytes(std::optional<std::span<const std::uint8_t>> b);
  void compact_nullable_bytes(std::optional<std::span<const std::uint8_t>> b);
  // An array's element count: int32, or uvarint count + 1 in flexible versions.
  void array_length(std::size_t n, bool flexible);
  // A null array: int32 -1, or uvarint 0 in flexible versions.
  void null_array(bool flexible);
  // The tagged-field section with no fields: a single uvarint 0.
  void empty_tagged_fields() { out_.push_back(0); }

  // The classic or compact form, chosen by whether the message version is flexible.
  void str(std::string_view s, bool flexible) { flexible ? compact_string(s) : string(s); }
  void nstr(std::optional<std::string_view> s, bool flexible) {
    flexible ? compact_nullable_string(s) : nullable_string(s);
  }
  void bytes(std::span<const std::uint8_t> b, bool flexible) {
    flexible ? compact_bytes(b) : bytes(b);
  }
  void nbytes(std::optional<std::span<const std::uint8_t>> b, bool flexible) {
    flexible ? compact_nullable_bytes(b) : nullable_bytes(b);
  }
  // The tagged-field section of a flexible structure with no fields to send; nothing at all
  // in a classic version.
  void tagged_fields_end(bool flexible) {
    if (flexible) empty_tagged_fields();
  }

 private:
  void be(std::uint64_t v, unsigned width) {
    for (unsigned i = width; i-- > 0;) {
      out_.push_back(static_cast<std::uint8_t>(v >> (8U * i)));
    }
  }

  std::vector<std::uint8_t>& out_;
};

// Reads protocol primitives from a span, never past its end. `context` (e.g. "Metadata
// response") and `version` (or -1) name the message, and each read's `what` (e.g.
// "brokers.host") the field, in errors: Exception(protocol_error, "kafka Metadata response
// v12: brokers.host: ...").
class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, std::string_view context,
         std::int16_t version = -1) noexcept
      : bytes_(bytes), context_(context), version_(version) {}

  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }
  [[nodiscard]] std::string_view context() const noexcept { return context_; }
  [[nodiscard]] std::int16_t version() const noexcept { return version_; }

  std::int8_t i8(std::string_view what) { return static_cast<std::int8_t>(be(1, what)); }
  std::int16_t i16(std::string_view what) { return static_cast<std::int16_t>(be(2, what)); }
  std::int32_t i32(std::string_view what) { return static_cast<std::int32_t>(be(4, what)); }
  std::int64_t i64(std::string_view what) { return static_cast<std::int64_t>(be(8, what)); }
  std::uint32_t u32(std::string_view what) { return static_cast<std::uint32_t>(be(4, what)); }
  // Kafka writes 0 or 1; like Kafka's own reader, any non-zero byte reads as true.
  bool boolean(std::string_view what) { return be(1, what) != 0; }
  // The protocol's unsigned varints (lengths, tags, counts) hold 32 bits at most.
  std::uint32_t uvarint(std::string_view what);
  std::int32_t varint(std::string_view what);
  Uuid uuid(std::string_view what);
  // The next `n` bytes, as a view into the span being read.
  std::span<const std::uint8_t> take(std::size_t n, std::string_view what);

  std::string string(std::string_view what);
  std::optional<std::string> nullable_string(std::string_view what);
  std::string compact_string(std::string_view what);
  std::optional<std::string> compact_nullable_string(std::string_view what);
  // Byte arrays are views into the span being read, valid as long as it is.
  std::span<const std::uint8_t> bytes(std::string_view what);
  std::span<const std::uint8_t> compact_bytes(std::string_view what);
  std::optional<std::span<const std::uint8_t>> nullable_bytes(std::string_view what);
  std::optional<std::span<const std::uint8_t>> compact_nullable_bytes(std::string_view what);

  // An array's element count. Each element takes at least `min_element_size` bytes, so a
  // count the remaining bytes cannot hold is rejected before the caller reserves anything.
  // array_length rejects a null array; nullable_array_length returns nothing for it.
  std::size_t array_length(std::string_view what, bool flexible, std::size_t min_element_size = 1);
  std::optional<std::size_t> nullable_array_length(std::string_view what, bool flexible,
                                                   std::size_t min_element_size = 1);

  std::string str(std::string_view what, bool flexible) {
    return flexible ? compact_string(what) : string(what);
  }
  std::optional<std::string> nstr(std::string_view what, bool flexible) {
    return flexible ? compact_nullable_string(what) : nullable_string(what);
  }
  std::span<const std::uint8_t> bytes(std::string_view what, bool flexible) {
    return flexible ? compact_bytes(what) : bytes(what);
  }
  std::optional<std::span<const std::uint8_t>> nbytes(std::string_view what, bool flexible) {
    return flexible ? compact_nullable_bytes(what) : nullable_bytes(what);
  }

  // Reads a tagged-field section and ignores every field in it.
  void skip_tagged_fields(std::string_view what = "tagged fields");
  // Reads a tagged-field section, calling `on_field(tag, Reader& field)` for each field with
  // a Reader over just that field's bytes. A handler that returns true has read the field and
  // must have read all of it; false skips it (a tag this version does not know).
  template <typename OnField>
  void tagged_fields(std::string_view what, OnField&& on_field) {
    const std::uint32_t count = uvarint(what);
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint32_t tag = uvarint(what);
      const std::uint32_t size = uvarint(what);
      Reader field(take(size, what), context_, version_);
      if (on_field(tag, field)) {
        field.expect_end(what);
      }
    }
  }
  // In a flexible version, skip the tagged-field section that ends a structure; nothing in a
  // classic one.
  void tagged_fields_end(bool flexible, std::string_view what = "tagged fields") {
    if (flexible) skip_tagged_fields(what);
  }

  // Throws unless every byte has been read.
  void expect_end(std::string_view what = "end of message") const;

  // Throws Exception(protocol_error) naming the message and `what`.
  [[noreturn]] void fail(std::string_view what, std::string_view problem) const;

 private:
  std::uint64_t be(std::size_t width, std::string_view what) {
    need(width, what);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      v = (v << 8U) | bytes_[pos_ + i];
    }
    pos_ += width;
    return v;
  }
  void need(std::size_t n, std::string_view what) const {
    if (n > remaining()) truncated(n, what);
  }
  std::string owned(std::size_t n, std::string_view what);
  [[noreturn]] void truncated(std::size_t n, std::string_view what) const;

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::string_view context_;
  std::int16_t version_;
};

}  // namespace postwire::kafka
