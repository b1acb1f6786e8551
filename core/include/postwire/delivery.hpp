#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "postwire/export.hpp"
#include "postwire/message.hpp"
#include "postwire/position.hpp"

namespace postwire {

namespace client {
class ConsumerCore;
struct InboundMessage;
}  // namespace client

// A received message. Settle it exactly once with ack(), nack() or dead_letter(); one left
// unsettled is redelivered when its consumer or connection goes. Settling is asynchronous:
// failures arrive as ErrorEvents on the client. Movable, not copyable; thread-safe to settle
// from any thread.
class POSTWIRE_API Delivery {
 public:
  Delivery();
  ~Delivery();
  Delivery(Delivery&&) noexcept;
  Delivery& operator=(Delivery&&) noexcept;
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  [[nodiscard]] const Message& message() const;
  [[nodiscard]] const std::string& source() const;  // the source it came from (a queue, a topic)
  // Where it sits on the broker (partition, offset, ...), where the broker says.
  [[nodiscard]] const Position& position() const;
  // The consumer it was delivered to (Consumer::id()), also for messages delivered as events.
  [[nodiscard]] std::uint64_t consumer_id() const;
  // 1 on the first delivery; counted across redeliveries, nacks and crashes (see
  // docs/envelope.md for how each broker carries it).
  [[nodiscard]] std::uint32_t delivery_count() const;
  [[nodiscard]] bool redelivered() const;  // the broker may have delivered it before
  [[nodiscard]] bool settled() const;

  // Done with it: the broker forgets it.
  void ack();
  // Deliver it again after `delay` (0: at once), counting one more delivery. Once
  // max.deliveries is reached the message is dead-lettered instead. The delayed copy is
  // stored by the broker, so a crash during the delay loses nothing.
  void nack(std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  // Move it to the dead-letter destination (<source> + dead.letter.suffix) with `reason`.
  void dead_letter(std::string_view reason);

 private:
  friend class client::ConsumerCore;
  std::shared_ptr<client::InboundMessage> message_;
};

}  // namespace postwire
