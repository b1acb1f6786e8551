#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "client/outgoing.hpp"

namespace postwire::client {

// Sends made without waiting (Producer::send_nowait) that found the send buffer full: they
// wait here, in the order they were made, for room or their deadline (max.block.ms), so that
// a caller on an event loop never blocks and keeps no line of its own. Bounded in messages
// (queue.waiting.max.messages) and body bytes (queue.buffering.max.kbytes). Thread-safe.
class SendLine {
 public:
  using Clock = Outgoing::Clock;
  // Takes room in the send buffer for a message, without waiting; true when it got it.
  using TryAdmit = std::function<bool(const Outgoing&)>;
  // Fills in a message the line has taken (admitted or waiting), before anyone else sees it.
  using Take = std::function<void(Outgoing&)>;

  SendLine(std::size_t max_messages, std::size_t max_bytes);

  enum class Offer { admitted, waiting, full, no_room };
  // Admits `message` at once when nothing waits before it and `try_admit` finds room, or puts
  // it at the back of the line until `deadline`; `take` runs on it in both cases. `full`: the
  // line has no room either, and neither `message` nor what `take` would fill is touched;
  // `no_room` likewise when there was no room and `may_wait` is false (max.block.ms is 0).
  Offer offer(OutgoingPtr& message, Clock::time_point deadline, const TryAdmit& try_admit,
              const Take& take, bool may_wait = true);
  // The waiting sends that now find room, from the front, in order.
  std::vector<OutgoingPtr> admit(const TryAdmit& try_admit);
  // The waiting sends whose deadline has passed (they never got room), and every one when
  // `all` (the client is closing).
  std::vector<OutgoingPtr> take_expired(Clock::time_point now, bool all = false);
  // The front's deadline, when something waits.
  [[nodiscard]] std::optional<Clock::time_point> next_deadline() const;
  [[nodiscard]] bool empty() const noexcept { return count_.load() == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return count_.load(); }

 private:
  struct Waiting {
    OutgoingPtr message;
    Clock::time_point deadline;
  };

  const std::size_t max_messages_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::deque<Waiting> waiting_;
  std::size_t bytes_ = 0;
  std::atomic<std::size_t> count_{0};
};

}  // namespace postwire::client
