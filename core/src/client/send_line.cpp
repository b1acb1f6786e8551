#include "client/send_line.hpp"

namespace postwire::client {

SendLine::SendLine(std::size_t max_messages, std::size_t max_bytes)
    : max_messages_(max_messages == 0 ? 1 : max_messages), max_bytes_(max_bytes) {}

SendLine::Offer SendLine::offer(OutgoingPtr& message, Clock::time_point deadline,
                                const TryAdmit& try_admit, const Take& take, bool may_wait) {
  std::lock_guard lock(mutex_);
  // Decided under the lock, so that a send cannot overtake those already waiting.
  if (waiting_.empty() && try_admit(*message)) {
    take(*message);
    return Offer::admitted;
  }
  if (!may_wait) {
    return Offer::no_room;
  }
  const std::size_t bytes = message->buffered_bytes;
  if (waiting_.size() >= max_messages_ || (bytes_ + bytes > max_bytes_ && !waiting_.empty())) {
    return Offer::full;
  }
  take(*message);
  bytes_ += bytes;
  waiting_.push_back(Waiting{.message = std::move(message), .deadline = deadline});
  count_.store(waiting_.size());
  return Offer::waiting;
}

std::vector<OutgoingPtr> SendLine::admit(const TryAdmit& try_admit) {
  std::vector<OutgoingPtr> admitted;
  std::lock_guard lock(mutex_);
  while (!waiting_.empty() && try_admit(*waiting_.front().message)) {
    bytes_ -= waiting_.front().message->buffered_bytes;
    admitted.push_back(std::move(waiting_.front().message));
    waiting_.pop_front();
  }
  count_.store(waiting_.size());
  return admitted;
}

std::vector<OutgoingPtr> SendLine::take_expired(Clock::time_point now, bool all) {
  std::vector<OutgoingPtr> expired;
  std::lock_guard lock(mutex_);
  // Deadlines grow from the front: every send waits the same max.block.ms.
  while (!waiting_.empty() && (all || waiting_.front().deadline <= now)) {
    bytes_ -= waiting_.front().message->buffered_bytes;
    expired.push_back(std::move(waiting_.front().message));
    waiting_.pop_front();
  }
  count_.store(waiting_.size());
  return expired;
}

std::optional<SendLine::Clock::time_point> SendLine::next_deadline() const {
  std::lock_guard lock(mutex_);
  if (waiting_.empty()) {
    return std::nullopt;
  }
  return waiting_.front().deadline;
}

}  // namespace postwire::client
