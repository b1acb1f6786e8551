#include "client/send_buffer.hpp"

#include <algorithm>

namespace postwire::client {

SendBuffer::SendBuffer(std::size_t max_messages, std::size_t max_bytes,
                       std::size_t max_unpolled_reports)
    : max_messages_(max_messages == 0 ? 1 : max_messages),
      max_bytes_(max_bytes),
      max_unpolled_(max_unpolled_reports == 0 ? 1 : max_unpolled_reports) {}

bool SendBuffer::fits_locked(std::size_t bytes) const {
  return messages_ < max_messages_ && (bytes_ + bytes <= max_bytes_ || messages_ == 0) &&
         unpolled_ < max_unpolled_;
}

SendBuffer::Acquire SendBuffer::acquire(std::size_t bytes, Clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  const auto ready = [&] { return closed_ || (!blocked_ && fits_locked(bytes)); };
  if (!changed_.wait_until(lock, deadline, ready)) {
    return blocked_ ? Acquire::blocked : Acquire::full;
  }
  if (closed_) {
    return Acquire::closed;
  }
  ++messages_;
  bytes_ += bytes;
  return Acquire::ok;
}

bool SendBuffer::try_acquire(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  if (closed_ || blocked_ || !fits_locked(bytes)) {
    return false;
  }
  ++messages_;
  bytes_ += bytes;
  return true;
}

void SendBuffer::release(std::size_t bytes) {
  {
    std::lock_guard lock(mutex_);
    if (messages_ > 0) {
      --messages_;
    }
    bytes_ = bytes_ >= bytes ? bytes_ - bytes : 0;
  }
  changed_.notify_all();
  if (on_room_) {
    on_room_();
  }
}

void SendBuffer::report_queued() {
  std::lock_guard lock(mutex_);
  ++unpolled_;
}

void SendBuffer::reports_polled(std::size_t count) {
  {
    std::lock_guard lock(mutex_);
    unpolled_ -= std::min(unpolled_, count);
  }
  changed_.notify_all();
  if (on_room_) {
    on_room_();
  }
}

void SendBuffer::set_blocked(bool blocked) {
  {
    std::lock_guard lock(mutex_);
    blocked_ = blocked;
  }
  changed_.notify_all();
  if (!blocked && on_room_) {
    on_room_();
  }
}

void SendBuffer::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

std::size_t SendBuffer::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::size_t SendBuffer::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::string SendBuffer::describe_limits() const {
  std::lock_guard lock(mutex_);
  if (unpolled_ >= max_unpolled_) {
    return std::to_string(unpolled_) +
           " delivery reports are waiting to be polled (event.queue.max.events=" +
           std::to_string(max_unpolled_) + ")";
  }
  return "queue.buffering.max.messages=" + std::to_string(max_messages_) +
         ", queue.buffering.max.kbytes=" + std::to_string(max_bytes_ / 1024);
}

}  // namespace postwire::client
