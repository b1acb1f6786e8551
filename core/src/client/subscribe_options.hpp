#pragma once

#include "client/option_reader.hpp"
#include "postwire/client.hpp"

namespace postwire::client {

// SubscribeOptions from string key/value options, as the C ABI passes them. The options every
// broker has are read here (prefetch, exclusive, deliver_as_events); the others go to
// SubscribeOptions::settings for the transport, which refuses those it does not know. A bad
// value throws invalid_argument naming the option.
SubscribeOptions subscribe_options_from(OptionPairs options);
// The same for options given in SubscribeOptions::settings: those every broker has move to
// their fields.
SubscribeOptions normalized(const SubscribeOptions& options);

// The transport side: `settings` against the options a broker knows, as `known` (a list for the
// message) and `read` (called with each option it knows; false: not one of them).
template <typename Read>
void read_subscribe_settings(const SubscribeOptions& options, std::string_view known, Read read) {
  for (const auto& [key, value] : options.settings) {
    if (!read(OptionReader("subscribe", key, value), key)) {
      unknown_option("subscribe", key,
                     "prefetch, exclusive, deliver_as_events" +
                         std::string(known.empty() ? "" : ", ") + std::string(known));
    }
  }
}

}  // namespace postwire::client
