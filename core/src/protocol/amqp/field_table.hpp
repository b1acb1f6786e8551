#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace postwire::amqp {

// AMQP 0-9-1 field tables as RabbitMQ encodes them. RabbitMQ's type codes differ from the
// spec's (https://www.rabbitmq.com/amqp-0-9-1-errata.html, "field types"): 's' is a signed
// 16-bit integer, 'l' a signed 64-bit one, 'x' a byte array, and there is no 'U'. Brokers
// and clients in the field use RabbitMQ's codes, so these are the ones on the wire.

struct Decimal {  // 'D': value * 10^-scale
  std::uint8_t scale = 0;
  std::int32_t value = 0;
  bool operator==(const Decimal&) const = default;
};

struct Timestamp {  // 'T': seconds since the Unix epoch
  std::uint64_t seconds = 0;
  bool operator==(const Timestamp&) const = default;
};

struct ByteArray {  // 'x': opaque bytes, kept apart from 'S' so that they re-encode as 'x'
  std::string bytes;
  bool operator==(const ByteArray&) const = default;
};

struct FieldValue;
struct FieldEntry;

struct FieldArray {  // 'A'
  std::vector<FieldValue> values;
  bool operator==(const FieldArray&) const;
};

struct FieldTable {  // 'F'; entries keep their wire order
  std::vector<FieldEntry> entries;

  // The value of the first entry named `key`, or null.
  [[nodiscard]] const FieldValue* find(std::string_view key) const;
  // Replaces the value of an entry named `key`, or appends one.
  void set(std::string key, FieldValue value);
  [[nodiscard]] bool empty() const noexcept { return entries.empty(); }
  bool operator==(const FieldTable&) const;
};

struct FieldValue {
  // In type-code order: V t b B s u I i l f d D S x T A F ('S' is std::string).
  using Variant =
      std::variant<std::monostate, bool, std::int8_t, std::uint8_t, std::int16_t, std::uint16_t,
                   std::int32_t, std::uint32_t, std::int64_t, float, double, Decimal, std::string,
                   ByteArray, Timestamp, FieldArray, FieldTable>;
  Variant value;

  FieldValue() = default;
  // Implicit on purpose: tables read like literals, e.g. table.set("x-max-length", 1000).
  FieldValue(bool v);
  FieldValue(std::int8_t v);
  FieldValue(std::uint8_t v);
  FieldValue(std::int16_t v);
  FieldValue(std::uint16_t v);
  FieldValue(std::int32_t v);
  FieldValue(std::uint32_t v);
  FieldValue(std::int64_t v);
  FieldValue(float v);
  FieldValue(double v);
  FieldValue(Decimal v);
  FieldValue(std::string v);
  FieldValue(std::string_view v);
  FieldValue(const char* v);
  FieldValue(ByteArray v);
  FieldValue(Timestamp v);
  FieldValue(FieldArray v);
  FieldValue(FieldTable v);

  bool operator==(const FieldValue&) const;
};

struct FieldEntry {
  std::string key;  // a short string on the wire: at most 255 bytes
  FieldValue value;
  bool operator==(const FieldEntry&) const;
};

// Defined here, after FieldEntry, because constructing a FieldValue needs FieldTable's
// destructor and so a complete FieldEntry.
inline FieldValue::FieldValue(bool v) : value(v) {}
inline FieldValue::FieldValue(std::int8_t v) : value(v) {}
inline FieldValue::FieldValue(std::uint8_t v) : value(v) {}
inline FieldValue::FieldValue(std::int16_t v) : value(v) {}
inline FieldValue::FieldValue(std::uint16_t v) : value(v) {}
inline FieldValue::FieldValue(std::int32_t v) : value(v) {}
inline FieldValue::FieldValue(std::uint32_t v) : value(v) {}
inline FieldValue::FieldValue(std::int64_t v) : value(v) {}
inline FieldValue::FieldValue(float v) : value(v) {}
inline FieldValue::FieldValue(double v) : value(v) {}
inline FieldValue::FieldValue(Decimal v) : value(v) {}
inline FieldValue::FieldValue(std::string v) : value(std::move(v)) {}
inline FieldValue::FieldValue(std::string_view v) : value(std::string(v)) {}
inline FieldValue::FieldValue(const char* v) : value(std::string(v)) {}
inline FieldValue::FieldValue(ByteArray v) : value(std::move(v)) {}
inline FieldValue::FieldValue(Timestamp v) : value(v) {}
inline FieldValue::FieldValue(FieldArray v) : value(std::move(v)) {}
inline FieldValue::FieldValue(FieldTable v) : value(std::move(v)) {}

// The value of any integer type (b B s u I i l), or nothing (bool is not an integer here).
std::optional<std::int64_t> as_integer(const FieldValue& value) noexcept;
// The bytes of a long string ('S') or byte array ('x'), or null.
const std::string* as_string(const FieldValue& value) noexcept;

// Nesting deeper than this many tables/arrays is rejected on decode: it bounds the stack a
// hostile peer can make the decoder use.
inline constexpr int field_table_max_depth = 32;

// Appends the table with its 4-byte length prefix. Throws Exception(invalid_argument) for a
// key over 255 bytes or a table over 4 GiB.
void append_field_table(std::vector<std::uint8_t>& out, const FieldTable& table);
// Decodes one table (4-byte length prefix included) that must fill `bytes` exactly. Throws
// Exception(protocol_error) on anything malformed.
FieldTable decode_field_table(std::span<const std::uint8_t> bytes);

}  // namespace postwire::amqp
