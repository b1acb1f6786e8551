#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace postwire::client {

// The producer's bounds: messages and body bytes accepted by send() and not yet confirmed or
// failed, and delivery reports waiting to be polled. send() waits here for room, and while the
// broker has blocked publishers, up to max.block.ms. Confirms free room by themselves; unpolled
// reports only free room when the application polls, so that reports cannot pile up unseen.
class SendBuffer {
 public:
  using Clock = std::chrono::steady_clock;

  SendBuffer(std::size_t max_messages, std::size_t max_bytes, std::size_t max_unpolled_reports);

  enum class Acquire { ok, full, blocked, closed };
  // Takes room for one message of `bytes`, waiting until `deadline`. A single message larger
  // than max_bytes is let in when the buffer is empty, so that it cannot wait forever.
  Acquire acquire(std::size_t bytes, Clock::time_point deadline);
  // The same without waiting: true when it took room.
  bool try_acquire(std::size_t bytes);
  void release(std::size_t bytes);
  // A delivery report was queued / `count` reports were polled.
  void report_queued();
  void reports_polled(std::size_t count);

  // Broker flow control (connection.blocked): acquire() waits while blocked.
  void set_blocked(bool blocked);
  // Called (without the lock) whenever room may have come: a release, polled reports, the
  // broker unblocking. Set once, before the buffer is used.
  void on_room(std::function<void()> callback) { on_room_ = std::move(callback); }
  // Wakes every waiter; acquire() fails from now on.
  void close();

  [[nodiscard]] std::size_t messages() const;
  [[nodiscard]] std::size_t bytes() const;
  [[nodiscard]] std::string describe_limits() const;

 private:
  [[nodiscard]] bool fits_locked(std::size_t bytes) const;

  const std::size_t max_messages_;
  const std::size_t max_bytes_;
  const std::size_t max_unpolled_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t messages_ = 0;
  std::size_t bytes_ = 0;
  std::size_t unpolled_ = 0;
  bool blocked_ = false;
  bool closed_ = false;
  std::function<void()> on_room_;
};

}  // namespace postwire::client
