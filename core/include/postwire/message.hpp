#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "postwire/export.hpp"

namespace postwire {

// An application header. Values are bytes: every broker can carry them unchanged.
struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// What an application sends, and what it receives back. The same fields mean the same thing on
// every broker; docs/envelope.md records how each broker carries them.
struct Message {
  std::string body;  // bytes, may be empty
  std::string key;   // ordering key: messages with one key keep their order
  Headers headers;   // application headers, in order
  std::string id;    // idempotency key; send() assigns a UUIDv7 when empty
  std::string content_type;
  std::optional<std::uint8_t> priority;          // 0..255, for queues with max-priority
  std::optional<std::chrono::milliseconds> ttl;  // expire the message after this long
  std::optional<std::chrono::system_clock::time_point> timestamp;  // send() sets now if unset
  bool persistent = true;  // survive a broker restart (where the destination is durable)

  // The first header named `name`, or nullptr.
  [[nodiscard]] POSTWIRE_API const std::string* header(std::string_view name) const noexcept;
};

}  // namespace postwire
