#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "postwire/message.hpp"

namespace postwire::client {

class ConsumerCore;

// A received message and what its transport needs to settle it later.
struct InboundMessage {
  Message message;
  std::string source;
  std::uint32_t delivery_count = 1;
  bool redelivered = false;
  bool compressed = false;     // the body arrived compressed (decompressed on receipt)
  std::size_t wire_bytes = 0;  // body size as received

  // Transport coordinates: which channel incarnation delivered it, and its tag there. A tag
  // from an older incarnation is never sent to the broker again.
  std::uint64_t generation = 0;
  std::uint64_t tag = 0;

  std::weak_ptr<ConsumerCore> consumer;
  std::atomic<bool> settled{false};
};

}  // namespace postwire::client
