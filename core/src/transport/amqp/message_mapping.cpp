#include "transport/amqp/message_mapping.hpp"

#include <charconv>
#include <type_traits>
#include <utility>

#include "client/compression_envelope.hpp"
#include "client/envelope_headers.hpp"

namespace postwire::amqp {
namespace {

// Header values other clients put in tables, as text: strings and byte arrays as they are,
// numbers in decimal, booleans as true/false. Nested tables and arrays (x-death) are left out.
std::optional<std::string> header_text(const FieldValue& value) {
  if (const auto* text = as_string(value)) {
    return *text;
  }
  if (const auto number = as_integer(value)) {
    return std::to_string(*number);
  }
  return std::visit(
      [](const auto& v) -> std::optional<std::string> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          return std::to_string(v.seconds);
        } else {
          return std::nullopt;
        }
      },
      value.value);
}

std::optional<std::int64_t> header_int(const FieldValue& value) {
  if (auto number = as_integer(value)) {
    return number;
  }
  if (const auto* text = as_string(value)) {
    return client::parse_header_int(*text);
  }
  return std::nullopt;
}

}  // namespace

BasicProperties to_properties(const Message& message, bool compressed, std::uint32_t attempt) {
  BasicProperties properties;
  if (!message.content_type.empty()) {
    properties.content_type = message.content_type;
  }
  if (compressed) {
    properties.content_encoding = std::string(client::zstd_encoding);
  }
  if (!message.headers.empty() || !message.key.empty() || attempt > 1) {
    FieldTable headers;
    headers.entries.reserve(message.headers.size() + 2);
    for (const auto& header : message.headers) {
      headers.entries.push_back(FieldEntry{header.name, FieldValue(header.value)});
    }
    if (!message.key.empty()) {
      headers.set(std::string(client::key_header), FieldValue(message.key));
    }
    if (attempt > 1) {
      headers.set(std::string(client::attempt_header), FieldValue(std::int64_t{attempt}));
    }
    properties.headers = std::move(headers);
  }
  properties.delivery_mode = message.persistent ? 2 : 1;
  properties.priority = message.priority;
  if (message.ttl) {
    properties.expiration = std::to_string(message.ttl->count());
  }
  properties.message_id = message.id;
  if (message.timestamp) {
    properties.timestamp = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(message.timestamp->time_since_epoch())
            .count());
  }
  return properties;
}

ReceivedContent from_content(BasicProperties properties, std::string body,
                             std::string_view exchange_routing_key, bool redelivered) {
  ReceivedContent received;
  Message& message = received.message;
  message.body = std::move(body);
  message.key = std::string(exchange_routing_key);
  received.facts.redelivered = redelivered;
  if (properties.headers) {
    for (auto& entry : properties.headers->entries) {
      if (entry.key == client::key_header) {
        if (const auto* key = as_string(entry.value)) {
          message.key = *key;
        }
        continue;
      }
      if (entry.key == client::attempt_header) {
        received.facts.attempt_header = header_int(entry.value);
        continue;
      }
      if (entry.key == "x-delivery-count") {
        received.facts.broker_delivery_count = header_int(entry.value);
      }
      if (auto text = header_text(entry.value)) {
        message.headers.push_back(Header{std::move(entry.key), std::move(*text)});
      }
    }
  }
  message.id = std::move(properties.message_id).value_or(std::string());
  message.content_type = std::move(properties.content_type).value_or(std::string());
  message.priority = properties.priority;
  message.persistent = properties.delivery_mode.value_or(1) == 2;
  if (properties.expiration) {
    std::int64_t ms = 0;
    const auto& text = *properties.expiration;
    if (std::from_chars(text.data(), text.data() + text.size(), ms).ec == std::errc{}) {
      message.ttl = std::chrono::milliseconds(ms);
    }
  }
  if (properties.timestamp) {
    message.timestamp = std::chrono::system_clock::time_point(
        std::chrono::seconds(static_cast<std::int64_t>(*properties.timestamp)));
  }
  received.compressed = properties.content_encoding == client::zstd_encoding;
  return received;
}

std::optional<std::string_view> exchange_of(std::string_view destination) {
  constexpr std::string_view prefix = "exchange/";
  if (!destination.starts_with(prefix)) {
    return std::nullopt;
  }
  return destination.substr(prefix.size());
}

FieldTable queue_arguments(const QueueSpec& spec) {
  FieldTable arguments;
  if (spec.dead_letter_exchange) {
    arguments.set("x-dead-letter-exchange", FieldValue(*spec.dead_letter_exchange));
  }
  if (spec.dead_letter_routing_key) {
    arguments.set("x-dead-letter-routing-key", FieldValue(*spec.dead_letter_routing_key));
  }
  if (spec.message_ttl) {
    arguments.set("x-message-ttl", FieldValue(std::int64_t{spec.message_ttl->count()}));
  }
  if (spec.expires) {
    arguments.set("x-expires", FieldValue(std::int64_t{spec.expires->count()}));
  }
  if (spec.max_length) {
    arguments.set("x-max-length", FieldValue(*spec.max_length));
  }
  if (spec.max_length_bytes) {
    arguments.set("x-max-length-bytes", FieldValue(*spec.max_length_bytes));
  }
  if (spec.overflow) {
    constexpr std::string_view names[] = {"drop-head", "reject-publish", "reject-publish-dlx"};
    arguments.set("x-overflow", FieldValue(names[static_cast<int>(*spec.overflow)]));
  }
  if (spec.max_priority) {
    arguments.set("x-max-priority", FieldValue(std::int64_t{*spec.max_priority}));
  }
  if (spec.type == QueueType::quorum) {
    arguments.set("x-queue-type", FieldValue("quorum"));
  }
  if (spec.delivery_limit) {
    arguments.set("x-delivery-limit", FieldValue(*spec.delivery_limit));
  }
  if (spec.single_active_consumer) {
    arguments.set("x-single-active-consumer", FieldValue(true));
  }
  return arguments;
}

std::string_view exchange_type_name(ExchangeType type) {
  switch (type) {
    case ExchangeType::direct:
      return "direct";
    case ExchangeType::fanout:
      return "fanout";
    case ExchangeType::topic:
      return "topic";
    case ExchangeType::headers:
      return "headers";
  }
  return "direct";
}

FieldTable binding_arguments(const BindingSpec& binding) {
  FieldTable arguments;
  if (!binding.match_headers.empty()) {
    arguments.set("x-match", FieldValue(binding.match_all ? "all" : "any"));
    for (const auto& header : binding.match_headers) {
      arguments.set(header.name, FieldValue(header.value));
    }
  }
  return arguments;
}

}  // namespace postwire::amqp
