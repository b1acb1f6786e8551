#include "protocol/amqp/properties.hpp"

#include <string>

#include "protocol/amqp/wire.hpp"

namespace postwire::amqp {

namespace {

// Property flag bits, most significant first in wire order (spec section 4.2.6.1; property
// order from amqp0-9-1.stripped.extended.xml, class basic). Bit 0 says another flag word
// follows; bit 1 is unused by basic.
constexpr std::uint16_t flag_content_type = 1U << 15U;
constexpr std::uint16_t flag_content_encoding = 1U << 14U;
constexpr std::uint16_t flag_headers = 1U << 13U;
constexpr std::uint16_t flag_delivery_mode = 1U << 12U;
constexpr std::uint16_t flag_priority = 1U << 11U;
constexpr std::uint16_t flag_correlation_id = 1U << 10U;
constexpr std::uint16_t flag_reply_to = 1U << 9U;
constexpr std::uint16_t flag_expiration = 1U << 8U;
constexpr std::uint16_t flag_message_id = 1U << 7U;
constexpr std::uint16_t flag_timestamp = 1U << 6U;
constexpr std::uint16_t flag_type = 1U << 5U;
constexpr std::uint16_t flag_user_id = 1U << 4U;
constexpr std::uint16_t flag_app_id = 1U << 3U;
constexpr std::uint16_t flag_cluster_id = 1U << 2U;
constexpr std::uint16_t flag_unused = 1U << 1U;
constexpr std::uint16_t flag_continuation = 1U;

constexpr std::uint16_t basic_class_id = 60;

template <typename T>
std::uint16_t flag_if(const std::optional<T>& value, std::uint16_t flag) {
  return value ? flag : std::uint16_t{0};
}

void put_opt_shortstr(std::vector<std::uint8_t>& out, const std::optional<std::string>& value,
                      std::string_view what) {
  if (value) {
    wire::put_shortstr(out, *value, what);
  }
}

}  // namespace

void append_content_header(std::vector<std::uint8_t>& out, const ContentHeader& header) {
  append_content_header(out, header, header.body_size);
}

void append_content_header(std::vector<std::uint8_t>& out, const ContentHeader& header,
                           std::uint64_t body_size) {
  if (header.class_id != basic_class_id) {
    wire::invalid("content header for class " + std::to_string(header.class_id) +
                  "; only basic (60) carries content");
  }
  const auto& p = header.properties;
  wire::put_u16(out, header.class_id);
  wire::put_u16(out, 0);  // weight: unused, must be 0
  wire::put_u64(out, body_size);
  const auto flags = static_cast<std::uint16_t>(
      flag_if(p.content_type, flag_content_type) |
      flag_if(p.content_encoding, flag_content_encoding) | flag_if(p.headers, flag_headers) |
      flag_if(p.delivery_mode, flag_delivery_mode) | flag_if(p.priority, flag_priority) |
      flag_if(p.correlation_id, flag_correlation_id) | flag_if(p.reply_to, flag_reply_to) |
      flag_if(p.expiration, flag_expiration) | flag_if(p.message_id, flag_message_id) |
      flag_if(p.timestamp, flag_timestamp) | flag_if(p.type, flag_type) |
      flag_if(p.user_id, flag_user_id) | flag_if(p.app_id, flag_app_id) |
      flag_if(p.cluster_id, flag_cluster_id));
  wire::put_u16(out, flags);
  put_opt_shortstr(out, p.content_type, "content-type");
  put_opt_shortstr(out, p.content_encoding, "content-encoding");
  if (p.headers) {
    append_field_table(out, *p.headers);
  }
  if (p.delivery_mode) {
    wire::put_u8(out, *p.delivery_mode);
  }
  if (p.priority) {
    wire::put_u8(out, *p.priority);
  }
  put_opt_shortstr(out, p.correlation_id, "correlation-id");
  put_opt_shortstr(out, p.reply_to, "reply-to");
  put_opt_shortstr(out, p.expiration, "expiration");
  put_opt_shortstr(out, p.message_id, "message-id");
  if (p.timestamp) {
    wire::put_u64(out, *p.timestamp);
  }
  put_opt_shortstr(out, p.type, "type");
  put_opt_shortstr(out, p.user_id, "user-id");
  put_opt_shortstr(out, p.app_id, "app-id");
  put_opt_shortstr(out, p.cluster_id, "cluster-id");
}

ContentHeader decode_content_header(std::span<const std::uint8_t> payload) {
  wire::Reader in(payload, "content header");
  ContentHeader header;
  header.class_id = in.u16("class-id");
  if (header.class_id != basic_class_id) {
    wire::fail("content header for class " + std::to_string(header.class_id) +
               "; only basic (60) carries content");
  }
  in.u16("weight");  // unused; the spec says 0 but nothing depends on it
  header.body_size = in.u64("body-size");
  const std::uint16_t flags = in.u16("property-flags");
  if ((flags & flag_unused) != 0) {
    wire::fail("content header: property flag bit 1 is set; basic defines no such property");
  }
  // Further flag words would describe properties past the 14 basic has, so they must be
  // empty apart from their own continuation bit.
  for (std::uint16_t more = flags; (more & flag_continuation) != 0;) {
    more = in.u16("property-flags continuation");
    if ((more & ~flag_continuation) != 0) {
      wire::fail(
          "content header: continued property flags set properties basic does not "
          "define");
    }
  }
  auto& p = header.properties;
  const auto has = [flags](std::uint16_t flag) { return (flags & flag) != 0; };
  if (has(flag_content_type)) p.content_type = in.shortstr("content-type");
  if (has(flag_content_encoding)) p.content_encoding = in.shortstr("content-encoding");
  if (has(flag_headers)) p.headers = wire::read_field_table(in);
  if (has(flag_delivery_mode)) p.delivery_mode = in.u8("delivery-mode");
  if (has(flag_priority)) p.priority = in.u8("priority");
  if (has(flag_correlation_id)) p.correlation_id = in.shortstr("correlation-id");
  if (has(flag_reply_to)) p.reply_to = in.shortstr("reply-to");
  if (has(flag_expiration)) p.expiration = in.shortstr("expiration");
  if (has(flag_message_id)) p.message_id = in.shortstr("message-id");
  if (has(flag_timestamp)) p.timestamp = in.u64("timestamp");
  if (has(flag_type)) p.type = in.shortstr("type");
  if (has(flag_user_id)) p.user_id = in.shortstr("user-id");
  if (has(flag_app_id)) p.app_id = in.shortstr("app-id");
  if (has(flag_cluster_id)) p.cluster_id = in.shortstr("cluster-id");
  in.expect_end();
  return header;
}

}  // namespace postwire::amqp
