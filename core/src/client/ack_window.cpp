#include "client/ack_window.hpp"

namespace postwire::client {

void AckWindow::reset() {
  states_.clear();
  base_ = 0;
  dirty_ = false;
}

void AckWindow::delivered(std::uint64_t position) {
  if (states_.empty()) {
    base_ = position;
  }
  // Positions are consecutive (delivery tags of a channel with one consumer); a gap is filled
  // with entries that need nothing.
  while (base_ + states_.size() < position) {
    states_.push_back(State::sent);
  }
  if (position >= base_) {
    states_.push_back(State::unsettled);
  }
}

void AckWindow::ack(std::uint64_t position) { mark(position, State::ack_pending); }
void AckWindow::requeue(std::uint64_t position) { mark(position, State::requeue_pending); }

void AckWindow::mark(std::uint64_t position, State state) {
  if (position < base_ || position - base_ >= states_.size()) {
    return;
  }
  auto& slot = states_[position - base_];
  if (slot == State::unsettled) {
    slot = state;
    dirty_ = true;
  }
}

void AckWindow::flush(const std::function<void(const Settled&)>& send) {
  dirty_ = false;
  std::uint64_t through = 0;
  bool pending_ack = false;
  const auto send_run = [&] {
    if (pending_ack) {
      send(Settled{.kind = Settled::Kind::through, .position = through});
      pending_ack = false;
    }
  };
  while (!states_.empty() && states_.front() != State::unsettled) {
    switch (states_.front()) {
      case State::ack_pending:
        pending_ack = true;
        through = base_;
        break;
      case State::requeue_pending:
        send_run();
        send(Settled{.kind = Settled::Kind::requeue, .position = base_});
        break;
      default:
        break;
    }
    states_.pop_front();
    ++base_;
  }
  send_run();
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const std::uint64_t position = base_ + i;
    if (states_[i] == State::ack_pending) {
      send(Settled{.kind = Settled::Kind::one, .position = position});
      states_[i] = State::sent;
    } else if (states_[i] == State::requeue_pending) {
      send(Settled{.kind = Settled::Kind::requeue, .position = position});
      states_[i] = State::sent;
    }
  }
}

}  // namespace postwire::client
