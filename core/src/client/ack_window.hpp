#pragma once

#include <cstdint>
#include <deque>
#include <functional>

namespace postwire::client {

// How the deliveries of one ordered stream (an AMQP channel's delivery tags, a Kafka
// partition's offsets) stand, so that settlements go to the broker coalesced: a run of acked
// deliveries at the front is settled at once ("everything through position P"), an ack behind
// a delivery still unsettled goes alone, and a requeue is never covered by a run. Positions
// grow by one per delivery; a gap is filled with positions that need nothing. Not thread-safe:
// its transport's IO thread owns it.
class AckWindow {
 public:
  // One settlement to send, as flush() reports it.
  struct Settled {
    enum class Kind : std::uint8_t {
      through,  // every delivery up to and including `position` is acked
      one,      // only `position` is acked
      requeue,  // `position` goes back to the broker
    };
    Kind kind;
    std::uint64_t position;
  };

  // Forgets everything: a new stream starts (a new channel, a reassigned partition).
  void reset();
  void delivered(std::uint64_t position);
  void ack(std::uint64_t position);
  void requeue(std::uint64_t position);
  // Reports what is pending, in order, and marks it sent.
  void flush(const std::function<void(const Settled&)>& send);
  [[nodiscard]] bool dirty() const noexcept { return dirty_; }
  // No delivery is waiting to be settled.
  [[nodiscard]] bool idle() const noexcept { return states_.empty(); }

 private:
  enum class State : std::uint8_t { unsettled, ack_pending, requeue_pending, sent };
  void mark(std::uint64_t position, State state);

  std::deque<State> states_;
  std::uint64_t base_ = 0;  // the position of states_.front()
  bool dirty_ = false;
};

}  // namespace postwire::client
