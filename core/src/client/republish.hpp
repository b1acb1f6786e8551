#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "client/inbound_message.hpp"
#include "client/outgoing.hpp"
#include "client/transport.hpp"

namespace postwire::client {

// Settling by copy, for brokers without a native way to dead-letter or to redeliver later: a
// copy of the received message is sent, and the original is settled only once the copy is
// confirmed (acked), or requeued if the copy fails, so that a message is never lost. The
// transport picks the destination (where its broker keeps a delay, or <source> plus
// dead.letter.suffix) and settles the original on its broker.
struct Republish {
  std::string destination;
  Message message;
  std::uint32_t delivery_attempt = 1;  // what the copy carries as pw-attempt
};

// The copy for the dead-letter destination: the reason and where the message was first sent
// ride along as headers; the delivery count stays.
[[nodiscard]] Republish dead_letter_copy(const InboundMessage& original, std::string destination,
                                         std::string_view reason);
// The copy that delivers the message again: one delivery more.
[[nodiscard]] Republish redelivery_copy(const InboundMessage& original, std::string destination);

// The internal send of `copy`; `settle_original(true)` once it is confirmed, or (after an
// ErrorEvent with the failure) `settle_original(false)` when it failed.
[[nodiscard]] OutgoingPtr republish(TransportHost& host, Republish copy,
                                    std::function<void(bool confirmed)> settle_original);

}  // namespace postwire::client
