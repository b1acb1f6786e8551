#include "protocol/amqp/field_table.hpp"

#include <bit>
#include <string>

#include "protocol/amqp/wire.hpp"

namespace postwire::amqp {

// Type codes in the order of FieldValue::Variant's alternatives (RabbitMQ's codes, see the
// header).
namespace {
constexpr std::string_view type_codes = "VtbBsuIilfdDSxTAF";
static_assert(type_codes.size() == std::variant_size_v<FieldValue::Variant>);
}  // namespace

bool FieldValue::operator==(const FieldValue& other) const { return value == other.value; }
bool FieldEntry::operator==(const FieldEntry& other) const {
  return key == other.key && value == other.value;
}
bool FieldArray::operator==(const FieldArray& other) const { return values == other.values; }
bool FieldTable::operator==(const FieldTable& other) const { return entries == other.entries; }

const FieldValue* FieldTable::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) {
      return &entry.value;
    }
  }
  return nullptr;
}

void FieldTable::set(std::string key, FieldValue value) {
  for (auto& entry : entries) {
    if (entry.key == key) {
      entry.value = std::move(value);
      return;
    }
  }
  entries.push_back(FieldEntry{std::move(key), std::move(value)});
}

namespace {

// get_if rather than std::visit: visit may throw (on a valueless variant), this may not.
template <typename... Ints>
std::optional<std::int64_t> held_integer(const FieldValue::Variant& v) noexcept {
  std::optional<std::int64_t> result;
  (
      [&] {
        if (const auto* held = std::get_if<Ints>(&v)) {
          result = static_cast<std::int64_t>(*held);
        }
      }(),
      ...);
  return result;
}

}  // namespace

std::optional<std::int64_t> as_integer(const FieldValue& value) noexcept {
  return held_integer<std::int8_t, std::uint8_t, std::int16_t, std::uint16_t, std::int32_t,
                      std::uint32_t, std::int64_t>(value.value);
}

const std::string* as_string(const FieldValue& value) noexcept {
  if (const auto* s = std::get_if<std::string>(&value.value)) {
    return s;
  }
  if (const auto* b = std::get_if<ByteArray>(&value.value)) {
    return &b->bytes;
  }
  return nullptr;
}

namespace {

void put_value(std::vector<std::uint8_t>& out, const FieldValue& value);

// Appends a 4-byte length, then whatever `body` appends, then patches the length in.
template <typename Body>
void put_sized(std::vector<std::uint8_t>& out, std::string_view what, Body&& body) {
  const std::size_t at = out.size();
  wire::put_u32(out, 0);
  body();
  const std::size_t size = out.size() - at - 4;
  if (size > 0xFFFF'FFFFU) {
    wire::invalid(std::string(what) + " of " + std::to_string(size) +
                  " bytes is over the 4 GiB an AMQP length holds");
  }
  wire::store_u32(out.data() + at, static_cast<std::uint32_t>(size));
}

void put_table(std::vector<std::uint8_t>& out, const FieldTable& table) {
  put_sized(out, "field table", [&] {
    for (const auto& entry : table.entries) {
      wire::put_shortstr(out, entry.key, "field table key");
      put_value(out, entry.value);
    }
  });
}

void put_value(std::vector<std::uint8_t>& out, const FieldValue& value) {
  out.push_back(static_cast<std::uint8_t>(type_codes[value.value.index()]));
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          // 'V' has no payload.
        } else if constexpr (std::is_same_v<T, bool>) {
          wire::put_u8(out, v ? 1 : 0);
        } else if constexpr (std::is_same_v<T, std::int8_t> || std::is_same_v<T, std::uint8_t>) {
          wire::put_u8(out, static_cast<std::uint8_t>(v));
        } else if constexpr (std::is_same_v<T, std::int16_t> || std::is_same_v<T, std::uint16_t>) {
          wire::put_u16(out, static_cast<std::uint16_t>(v));
        } else if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t>) {
          wire::put_u32(out, static_cast<std::uint32_t>(v));
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          wire::put_u64(out, static_cast<std::uint64_t>(v));
        } else if constexpr (std::is_same_v<T, float>) {
          wire::put_u32(out, std::bit_cast<std::uint32_t>(v));
        } else if constexpr (std::is_same_v<T, double>) {
          wire::put_u64(out, std::bit_cast<std::uint64_t>(v));
        } else if constexpr (std::is_same_v<T, Decimal>) {
          wire::put_u8(out, v.scale);
          wire::put_u32(out, static_cast<std::uint32_t>(v.value));
        } else if constexpr (std::is_same_v<T, std::string>) {
          wire::put_longstr(out, v, "field table long string");
        } else if constexpr (std::is_same_v<T, ByteArray>) {
          wire::put_longstr(out, v.bytes, "field table byte array");
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          wire::put_u64(out, v.seconds);
        } else if constexpr (std::is_same_v<T, FieldArray>) {
          put_sized(out, "field array", [&] {
            for (const auto& element : v.values) {
              put_value(out, element);
            }
          });
        } else {
          static_assert(std::is_same_v<T, FieldTable>);
          put_table(out, v);
        }
      },
      value.value);
}

FieldValue read_value(wire::Reader& in, int depth);

// Reads the length-prefixed body of a table or array into a sub-reader, so that nothing
// inside can read past the length the peer declared.
wire::Reader read_sized(wire::Reader& in, std::string_view what, int depth) {
  if (depth >= field_table_max_depth) {
    wire::fail(std::string(in.context()) + ": field tables/arrays nested deeper than " +
               std::to_string(field_table_max_depth) + " levels");
  }
  const std::size_t size = in.u32(what);
  if (size > in.remaining()) {
    wire::fail(std::string(in.context()) + ": " + std::string(what) + " length " +
               std::to_string(size) + " overruns the data (" + std::to_string(in.remaining()) +
               " bytes remain at offset " + std::to_string(in.offset()) + ")");
  }
  return wire::Reader(in.take(size, what), in.context());
}

FieldTable read_table(wire::Reader& in, int depth) {
  auto body = read_sized(in, "field table", depth);
  FieldTable table;
  while (body.remaining() != 0) {
    FieldEntry entry;
    entry.key = body.shortstr("field table key");
    entry.value = read_value(body, depth + 1);
    table.entries.push_back(std::move(entry));
  }
  return table;
}

FieldValue read_value(wire::Reader& in, int depth) {
  const auto code = static_cast<char>(in.u8("field value type"));
  switch (code) {
    case 'V':
      return {};
    case 't':
      return in.u8("boolean field value") != 0;
    case 'b':
      return static_cast<std::int8_t>(in.u8("int8 field value"));
    case 'B':
      return in.u8("uint8 field value");
    case 's':
      return static_cast<std::int16_t>(in.u16("int16 field value"));
    case 'u':
      return in.u16("uint16 field value");
    case 'I':
      return static_cast<std::int32_t>(in.u32("int32 field value"));
    case 'i':
      return in.u32("uint32 field value");
    case 'l':
      return static_cast<std::int64_t>(in.u64("int64 field value"));
    case 'f':
      return std::bit_cast<float>(in.u32("float field value"));
    case 'd':
      return std::bit_cast<double>(in.u64("double field value"));
    case 'D': {
      Decimal d;
      d.scale = in.u8("decimal field value");
      d.value = static_cast<std::int32_t>(in.u32("decimal field value"));
      return d;
    }
    case 'S':
      return in.longstr("long string field value");
    case 'x':
      return ByteArray{in.longstr("byte array field value")};
    case 'T':
      return Timestamp{in.u64("timestamp field value")};
    case 'A': {
      auto body = read_sized(in, "field array", depth);
      FieldArray array;
      while (body.remaining() != 0) {
        array.values.push_back(read_value(body, depth + 1));
      }
      return array;
    }
    case 'F':
      return read_table(in, depth);
    default:
      break;
  }
  constexpr std::string_view hex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(code);
  std::string shown = (byte >= 0x20 && byte < 0x7F) ? "'" + std::string(1, code) + "' " : "";
  shown += "(0x";
  shown += hex[byte >> 4U];
  shown += hex[byte & 15U];
  shown += ")";
  wire::fail(std::string(in.context()) + ": unknown field value type " + shown + " at offset " +
             std::to_string(in.offset() - 1));
}

}  // namespace

FieldTable wire::read_field_table(Reader& in) { return read_table(in, 0); }

void append_field_table(std::vector<std::uint8_t>& out, const FieldTable& table) {
  put_table(out, table);
}

FieldTable decode_field_table(std::span<const std::uint8_t> bytes) {
  wire::Reader in(bytes, "field table");
  auto table = read_table(in, 0);
  in.expect_end();
  return table;
}

}  // namespace postwire::amqp
