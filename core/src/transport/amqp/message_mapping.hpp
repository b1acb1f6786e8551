#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/delivery_count.hpp"
#include "postwire/message.hpp"
#include "postwire/topology.hpp"
#include "protocol/amqp/field_table.hpp"
#include "protocol/amqp/methods.hpp"
#include "protocol/amqp/properties.hpp"

namespace postwire::amqp {

// How a postwire Message travels as AMQP content (docs/envelope.md): the id is message_id,
// the key rides in the pw-key header (the routing key names the queue on the default
// exchange), headers are long strings, compression is content_encoding "zstd", a
// re-publish carries pw-attempt.
BasicProperties to_properties(const Message& message, bool compressed, std::uint32_t attempt);

struct ReceivedContent {
  Message message;
  bool compressed = false;
  client::DeliveryFacts facts;
};

// The reverse, for basic.deliver. `exchange_routing_key` is the key when pw-key is absent: the
// routing key of a message published to a named exchange, empty for the default exchange
// (where the routing key is only the queue's name).
ReceivedContent from_content(BasicProperties properties, std::string body,
                             std::string_view exchange_routing_key, bool redelivered);

// The exchange a send() destination names ("exchange/NAME" publishes to exchange NAME with the
// message key as routing key), or nullopt for a queue, reached through the default exchange.
std::optional<std::string_view> exchange_of(std::string_view destination);

// A QueueSpec's optional settings as queue.declare arguments (x-message-ttl, ...).
FieldTable queue_arguments(const QueueSpec& spec);
std::string_view exchange_type_name(ExchangeType type);
FieldTable binding_arguments(const BindingSpec& binding);

}  // namespace postwire::amqp
