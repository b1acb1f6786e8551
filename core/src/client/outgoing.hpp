#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "postwire/error.hpp"
#include "postwire/message.hpp"
#include "postwire/position.hpp"
#include "runtime/retry_budget.hpp"

namespace postwire::client {

// One message on its way to the broker, from send() to its final outcome. Owned by exactly one
// place at a time: the send queue, a transport's in-flight window, or a retry timer.
struct Outgoing {
  using Clock = std::chrono::steady_clock;

  std::string destination;
  Message message;  // body already compressed when `compressed`
  bool compressed = false;
  std::uint64_t token = 0;
  std::size_t buffered_bytes = 0;  // what the send buffer accounts for this message
  bool holds_room = false;         // has its room in the send buffer (not waiting in line)
  Clock::time_point created;
  std::uint32_t attempts = 0;  // times written to a broker
  // What the last retry spent from the client's retry budget: refunded when it succeeds.
  std::optional<runtime::RetryBudget::Ticket> retry_ticket;
  // The delivery attempt the message carries (pw-attempt): above 1 for postwire's re-publishes
  // of a received message that was nacked.
  std::uint32_t delivery_attempt = 1;
  // postwire's own sends (redeliveries, dead letters) complete through this instead of a
  // DeliveryReport, and are not counted in the send buffer.
  std::function<void(const Error&)> on_done;
  // Where the broker stored it, as its confirm says (partition, offset, message id): set by
  // the transport before complete(), carried into the DeliveryReport.
  Position position;
};

using OutgoingPtr = std::unique_ptr<Outgoing>;

}  // namespace postwire::client
