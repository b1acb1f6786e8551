#pragma once

#include <string_view>

#include "client/option_reader.hpp"
#include "postwire/topology.hpp"

namespace postwire::client {

// Topology specs from string key/value options (OptionPairs). Keys are the spec's field names
// (durable, max_length, message_ttl_ms, ...; docs/c-api.md lists them). An unknown key or a bad
// value throws Exception(invalid_argument) naming the key and what it accepts.
QueueSpec queue_spec_from(std::string_view name, OptionPairs options);
ExchangeSpec exchange_spec_from(std::string_view name, OptionPairs options);
BindingSpec binding_spec_from(std::string_view exchange, std::string_view destination,
                              OptionPairs options);
DeleteQueueOptions delete_queue_options_from(OptionPairs options);
// delete_exchange's one option, if_unused.
bool delete_exchange_if_unused_from(OptionPairs options);

}  // namespace postwire::client
