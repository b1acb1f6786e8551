#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

#include "runtime/wakeup_fd.hpp"

namespace postwire::runtime {

enum class PushResult {
  ok,
  full,      // the queue stayed full for as long as the caller would wait
  shut_down  // the queue no longer accepts events
};

// The client's event queue: bounded, many producers (the IO thread, application threads
// reporting errors), one consumer (poll). While events are pending, wakeup_fd() is readable,
// so an event loop can wait for it instead of polling. shutdown() wakes every waiter;
// events already queued can still be polled afterwards.
template <typename Event>
class EventQueue {
 public:
  using Clock = std::chrono::steady_clock;

  explicit EventQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Adds an event if there is room now. Never blocks: the IO thread uses this.
  PushResult try_push(Event&& event) {
    return push(std::move(event), std::chrono::milliseconds(0));
  }

  // Adds an event, waiting up to `max_wait` for room.
  PushResult push(Event&& event, std::chrono::milliseconds max_wait) {
    std::unique_lock lock(mutex_);
    const auto room = [&] { return shut_down_ || events_.size() < capacity_; };
    if (!room() && !not_full_.wait_until(lock, Clock::now() + max_wait, room)) {
      return PushResult::full;
    }
    if (shut_down_) {
      return PushResult::shut_down;
    }
    events_.push_back(std::move(event));
    if (events_.size() == 1 && fd_in_use_) {
      wakeup_.signal();
    }
    lock.unlock();
    not_empty_.notify_one();
    return PushResult::ok;
  }

  // Adds as many of `events` (from the front) as there is room for now, waking a waiting poller
  // once for all of them; returns how many were added. Never blocks.
  std::size_t try_push_many(std::vector<Event>& events) {
    std::size_t added = 0;
    {
      std::lock_guard lock(mutex_);
      if (shut_down_) {
        return 0;
      }
      const bool was_empty = events_.empty();
      while (added < events.size() && events_.size() < capacity_) {
        events_.push_back(std::move(events[added]));
        ++added;
      }
      if (was_empty && added != 0 && fd_in_use_) {
        wakeup_.signal();
      }
    }
    if (added != 0) {
      not_empty_.notify_one();
    }
    return added;
  }

  // Adds all of `events` even beyond the capacity, for events that something else bounds (a
  // consumer's prefetch bounds its messages); returns how many were added (0 once shut down).
  // Never blocks.
  std::size_t push_many_beyond_capacity(std::vector<Event>& events) {
    {
      std::lock_guard lock(mutex_);
      if (shut_down_ || events.empty()) {
        return 0;
      }
      const bool was_empty = events_.empty();
      for (auto& event : events) {
        events_.push_back(std::move(event));
      }
      if (was_empty && fd_in_use_) {
        wakeup_.signal();
      }
    }
    not_empty_.notify_one();
    return events.size();
  }

  // Moves up to `max_events` events into `out`, waiting up to `timeout` for the first one
  // (a negative timeout waits until an event arrives or the queue shuts down). Returns how
  // many were moved; 0 means the wait timed out or the queue is shut down and empty.
  std::size_t poll(std::vector<Event>& out, std::size_t max_events,
                   std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const auto ready = [&] { return shut_down_ || !events_.empty(); };
    if (timeout.count() < 0) {
      not_empty_.wait(lock, ready);
    } else if (!not_empty_.wait_until(lock, Clock::now() + timeout, ready)) {
      return 0;
    }
    std::size_t moved = 0;
    while (moved < max_events && !events_.empty()) {
      out.push_back(std::move(events_.front()));
      events_.pop_front();
      ++moved;
    }
    if (events_.empty() && !shut_down_ && fd_in_use_) {
      wakeup_.clear();
    }
    lock.unlock();
    if (moved != 0) {
      not_full_.notify_all();
    }
    return moved;
  }

  // Refuses further pushes and wakes every thread blocked in push() or poll(). The wakeup fd
  // stays readable from then on, so an event loop notices too.
  void shutdown() {
    {
      std::lock_guard lock(mutex_);
      shut_down_ = true;
      wakeup_.signal();
    }
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  [[nodiscard]] bool is_shut_down() const {
    std::lock_guard lock(mutex_);
    return shut_down_;
  }
  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  // The fd is kept in step with the queue only once someone has asked for it: a caller that
  // waits in poll() alone then pays no system calls for it.
  [[nodiscard]] int wakeup_fd() const {
    std::lock_guard lock(mutex_);
    if (!fd_in_use_) {
      fd_in_use_ = true;
      if (!events_.empty() || shut_down_) {
        wakeup_.signal();
      }
    }
    return wakeup_.fd();
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Event> events_;
  bool shut_down_ = false;
  mutable bool fd_in_use_ = false;
  mutable WakeupFd wakeup_;
};

}  // namespace postwire::runtime
