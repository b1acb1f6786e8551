#pragma once

#include <string_view>

#include "client/option_reader.hpp"
#include "postwire/topology.hpp"

namespace postwire::client {

// Topology specs from string key/value options (OptionPairs). Keys are the spec's field names
// (durable, max_length, message_ttl_ms, ...; docs/c-api.md lists them). An unknown key or a bad
// value throws Exception(invalid_argument) naming the key and what it accepts.
// Keys that are none of the spec's fields go to QueueSpec::settings, for the transport.
QueueSpec queue_spec_from(std::string_view name, OptionPairs options);
// The QueueSpec fields by their option names, for error messages.
inline constexpr std::string_view queue_option_names =
    "durable, exclusive, auto_delete, type, dead_letter_exchange, dead_letter_routing_key, "
    "message_ttl_ms, expires_ms, max_length, max_length_bytes, overflow, max_priority, "
    "delivery_limit, single_active_consumer";
// A transport's refusal of the settings it does not know: invalid_argument naming the first
// one, listing the spec's options and `broker_options`. Nothing when there are none.
void refuse_queue_settings(const QueueSpec& spec, std::string_view broker_options);
ExchangeSpec exchange_spec_from(std::string_view name, OptionPairs options);
BindingSpec binding_spec_from(std::string_view exchange, std::string_view destination,
                              OptionPairs options);
DeleteQueueOptions delete_queue_options_from(OptionPairs options);
// delete_exchange's one option, if_unused.
bool delete_exchange_if_unused_from(OptionPairs options);

}  // namespace postwire::client
