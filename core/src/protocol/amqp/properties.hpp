#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/amqp/field_table.hpp"

namespace postwire::amqp {

// The basic class's content properties, in wire order (amqp0-9-1.stripped.extended.xml,
// class "basic" fields; RabbitMQ names the 14th, "reserved" in the spec, cluster-id). An
// empty optional is a property that is absent, which is not the same as an empty string.
struct BasicProperties {
  std::optional<std::string> content_type;
  std::optional<std::string> content_encoding;
  std::optional<FieldTable> headers;
  std::optional<std::uint8_t> delivery_mode;  // 1 transient, 2 persistent
  std::optional<std::uint8_t> priority;
  std::optional<std::string> correlation_id;
  std::optional<std::string> reply_to;
  std::optional<std::string> expiration;
  std::optional<std::string> message_id;
  std::optional<std::uint64_t> timestamp;  // seconds since the Unix epoch
  std::optional<std::string> type;
  std::optional<std::string> user_id;
  std::optional<std::string> app_id;
  std::optional<std::string> cluster_id;

  bool operator==(const BasicProperties&) const = default;
};

// A content header frame's payload.
struct ContentHeader {
  std::uint16_t class_id = 60;  // basic; the only class with content in 0-9-1
  std::uint64_t body_size = 0;
  BasicProperties properties;

  bool operator==(const ContentHeader&) const = default;
};

// Appends the header frame payload: class id, weight 0, body size, property flags and the
// properties present. Throws Exception(invalid_argument) for a short-string property over
// 255 bytes or a class other than basic.
void append_content_header(std::vector<std::uint8_t>& out, const ContentHeader& header);
// The same with `body_size` in place of header.body_size, which saves copying the properties
// when the body size is only known at encode time.
void append_content_header(std::vector<std::uint8_t>& out, const ContentHeader& header,
                           std::uint64_t body_size);
// Decodes a header frame payload. Throws Exception(protocol_error) when it is malformed, is
// for a class other than basic, sets a property flag basic does not define, or has bytes
// left over.
ContentHeader decode_content_header(std::span<const std::uint8_t> payload);

}  // namespace postwire::amqp
