#pragma once

#include <cstdint>
#include <string_view>

#include "postwire/error.hpp"

namespace postwire::kafka {

// A Kafka error code in a response, as postwire reports it: the closest postwire code, Kafka's
// own name and number in the message (after `context`, e.g. "producing to orders[3]"), and
// whether Kafka says a retry may succeed.
Error kafka_failure(std::int16_t code, std::string_view context, std::string_view detail = {});

// Errors that mean this client's picture of the cluster is out of date: the metadata is
// refreshed before the request is tried again.
bool needs_metadata_refresh(std::int16_t code) noexcept;

}  // namespace postwire::kafka
