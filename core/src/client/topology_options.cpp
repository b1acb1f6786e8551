#include "client/topology_options.hpp"

#include <limits>
#include <string>

#include "postwire/error.hpp"

namespace postwire::client {

namespace {

constexpr std::string_view kHeaderPrefix = "header.";

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

}  // namespace

QueueSpec queue_spec_from(std::string_view name, OptionPairs options) {
  constexpr std::string_view op = "declare_queue";
  QueueSpec spec;
  spec.name = std::string(name);
  for (const auto& [key, value] : options) {
    const OptionReader read(op, key, value);
    if (key == "durable") {
      spec.durable = read.boolean();
    } else if (key == "exclusive") {
      spec.exclusive = read.boolean();
    } else if (key == "auto_delete") {
      spec.auto_delete = read.boolean();
    } else if (key == "type") {
      spec.type = read.choice({std::pair{std::string_view("classic"), QueueType::classic},
                               std::pair{std::string_view("quorum"), QueueType::quorum}});
    } else if (key == "dead_letter_exchange") {
      spec.dead_letter_exchange = read.text();
    } else if (key == "dead_letter_routing_key") {
      spec.dead_letter_routing_key = read.text();
    } else if (key == "message_ttl_ms") {
      spec.message_ttl = std::chrono::milliseconds(read.integer(0, 0xFFFFFFFF));
    } else if (key == "expires_ms") {
      spec.expires = std::chrono::milliseconds(read.integer(1, 0xFFFFFFFF));
    } else if (key == "max_length") {
      spec.max_length = read.integer(0, kInt64Max);
    } else if (key == "max_length_bytes") {
      spec.max_length_bytes = read.integer(0, kInt64Max);
    } else if (key == "overflow") {
      spec.overflow = read.choice(
          {std::pair{std::string_view("drop-head"), Overflow::drop_head},
           std::pair{std::string_view("reject-publish"), Overflow::reject_publish},
           std::pair{std::string_view("reject-publish-dlx"), Overflow::reject_publish_dlx}});
    } else if (key == "max_priority") {
      spec.max_priority = static_cast<std::uint8_t>(read.integer(0, 255));
    } else if (key == "delivery_limit") {
      spec.delivery_limit = read.integer(0, kInt64Max);
    } else if (key == "single_active_consumer") {
      spec.single_active_consumer = read.boolean();
    } else {
      // A broker's own option (Kafka's partitions, a topic config): the transport reads it,
      // or refuses it naming it (queue_settings_unknown).
      spec.settings.emplace_back(key, value);
    }
  }
  return spec;
}

void refuse_queue_settings(const QueueSpec& spec, std::string_view broker_options) {
  if (spec.settings.empty()) return;
  std::string known(queue_option_names);
  if (!broker_options.empty()) known += ", " + std::string(broker_options);
  unknown_option("declare_queue", spec.settings.front().first, known);
}

ExchangeSpec exchange_spec_from(std::string_view name, OptionPairs options) {
  constexpr std::string_view op = "declare_exchange";
  ExchangeSpec spec;
  spec.name = std::string(name);
  for (const auto& [key, value] : options) {
    const OptionReader read(op, key, value);
    if (key == "type") {
      spec.type = read.choice({std::pair{std::string_view("direct"), ExchangeType::direct},
                               std::pair{std::string_view("fanout"), ExchangeType::fanout},
                               std::pair{std::string_view("topic"), ExchangeType::topic},
                               std::pair{std::string_view("headers"), ExchangeType::headers}});
    } else if (key == "durable") {
      spec.durable = read.boolean();
    } else if (key == "auto_delete") {
      spec.auto_delete = read.boolean();
    } else if (key == "internal") {
      spec.internal = read.boolean();
    } else {
      unknown_option(op, key, "type, durable, auto_delete, internal");
    }
  }
  return spec;
}

BindingSpec binding_spec_from(std::string_view exchange, std::string_view destination,
                              OptionPairs options) {
  constexpr std::string_view op = "bind";
  BindingSpec spec;
  spec.exchange = std::string(exchange);
  spec.destination = std::string(destination);
  for (const auto& [key, value] : options) {
    const OptionReader read(op, key, value);
    if (key == "routing_key") {
      spec.routing_key = read.text();
    } else if (key == "destination_is_exchange") {
      spec.destination_is_exchange = read.boolean();
    } else if (key == "match") {
      spec.match_all = read.choice(
          {std::pair{std::string_view("all"), true}, std::pair{std::string_view("any"), false}});
    } else if (key.starts_with(kHeaderPrefix) && key.size() > kHeaderPrefix.size()) {
      spec.match_headers.push_back(
          Header{std::string(key.substr(kHeaderPrefix.size())), read.text()});
    } else {
      unknown_option(op, key, "routing_key, destination_is_exchange, match, header.NAME");
    }
  }
  return spec;
}

DeleteQueueOptions delete_queue_options_from(OptionPairs options) {
  constexpr std::string_view op = "delete_queue";
  DeleteQueueOptions out;
  for (const auto& [key, value] : options) {
    const OptionReader read(op, key, value);
    if (key == "if_unused") {
      out.if_unused = read.boolean();
    } else if (key == "if_empty") {
      out.if_empty = read.boolean();
    } else {
      unknown_option(op, key, "if_unused, if_empty");
    }
  }
  return out;
}

bool delete_exchange_if_unused_from(OptionPairs options) {
  constexpr std::string_view op = "delete_exchange";
  bool if_unused = false;
  for (const auto& [key, value] : options) {
    const OptionReader read(op, key, value);
    if (key == "if_unused") {
      if_unused = read.boolean();
    } else {
      unknown_option(op, key, "if_unused");
    }
  }
  return if_unused;
}

}  // namespace postwire::client
