#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "postwire/message.hpp"
#include "postwire/position.hpp"

namespace postwire::client {

class ConsumerCore;

// Where a transport settles a received message (RabbitMQ: the channel incarnation and the
// delivery tag; Kafka: partition, offset and leader epoch; SQS: the receipt handle). Numbers
// for what fits in them, so that the common case needs no allocation.
struct SettleCoordinate {
  std::array<std::uint64_t, 3> numbers{};
  std::string handle;
};

// A received message and what its transport needs to settle it later.
struct InboundMessage {
  Message message;
  std::string source;
  Position position;              // where the broker says it sits (transports fill what they know)
  std::uint64_t consumer_id = 0;  // set by its consumer as it arrives
  std::uint32_t delivery_count = 1;
  bool redelivered = false;
  bool compressed = false;     // the body arrived compressed (decompressed on receipt)
  std::size_t wire_bytes = 0;  // body size as received

  // Where the transport settles it: the transport's own coordinate, which the client layer
  // carries and never reads.
  SettleCoordinate settle;

  std::weak_ptr<ConsumerCore> consumer;
  std::atomic<bool> settled{false};
};

}  // namespace postwire::client
