#include "client/subscribe_options.hpp"

#include <limits>
#include <vector>

namespace postwire::client {

namespace {

void read_into(SubscribeOptions& out, OptionPairs options) {
  for (const auto& [key, value] : options) {
    const OptionReader read("subscribe", key, value);
    if (key == "prefetch") {
      out.prefetch =
          static_cast<std::uint16_t>(read.integer(1, std::numeric_limits<std::uint16_t>::max()));
    } else if (key == "exclusive") {
      out.exclusive = read.boolean();
    } else if (key == "deliver_as_events") {
      out.deliver_as_events = read.boolean();
    } else {
      out.settings.emplace_back(key, value);
    }
  }
}

}  // namespace

SubscribeOptions subscribe_options_from(OptionPairs options) {
  SubscribeOptions out;
  read_into(out, options);
  return out;
}

SubscribeOptions normalized(const SubscribeOptions& options) {
  SubscribeOptions out = options;
  out.settings.clear();
  std::vector<std::pair<std::string_view, std::string_view>> pairs(options.settings.begin(),
                                                                   options.settings.end());
  read_into(out, pairs);
  return out;
}

}  // namespace postwire::client
