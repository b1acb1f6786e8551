#include "client/send_pipeline.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace postwire::client {
namespace {

using Clock = Outgoing::Clock;

}  // namespace

SendPipeline::SendPipeline(TransportHost& host, SendLink& link, std::size_t max_in_flight)
    : host_(host),
      link_(link),
      max_in_flight_(max_in_flight),
      delivery_timeout_(host.config().get_duration("delivery.timeout.ms")) {}

void SendPipeline::submit(OutgoingPtr message) {
  bool schedule = false;
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(message));
    schedule = !drain_scheduled_;
    drain_scheduled_ = true;
  }
  if (schedule) {
    boost::asio::post(host_.io().executor(), [this] { drain_inbox(); });
  }
}

void SendPipeline::submit_internal(OutgoingPtr message) {
  if (refusing_) {
    host_.complete(std::move(message), *refusing_);
    return;
  }
  waiting_.push_back(std::move(message));
  pump();
}

void SendPipeline::drain_inbox() {
  std::vector<OutgoingPtr> arrived;
  {
    std::lock_guard lock(inbox_mutex_);
    arrived.swap(inbox_);
    drain_scheduled_ = false;
  }
  for (auto& message : arrived) {
    if (refusing_) {
      host_.complete(std::move(message), *refusing_);
    } else {
      waiting_.push_back(std::move(message));
    }
  }
  pump();
}

void SendPipeline::pump() {
  const auto now = Clock::now();
  while (!waiting_.empty() && unanswered() < max_in_flight_ && link_.ready()) {
    auto message = std::move(waiting_.front());
    waiting_.pop_front();
    if (host_.expired(*message, now)) {
      host_.complete(std::move(message), Error(ErrorCode::delivery_timeout,
                                               "not confirmed within delivery.timeout.ms=" +
                                                   std::to_string(delivery_timeout_.count())));
      continue;
    }
    try {
      const std::uint64_t sequence = link_.write(*message);
      written_.push_back(
          Written{.sequence = sequence, .message = std::move(message), .returned = {}});
    } catch (const Exception& e) {
      host_.complete(std::move(message), e.error());
    }
  }
}

void SendPipeline::answer(Written& entry, const Error* refusal) {
  if (refusal != nullptr) {
    retry_or_fail(std::move(entry.message), *refusal);
  } else {
    host_.complete(std::move(entry.message), entry.returned);
  }
}

template <typename Settle>
void SendPipeline::settle(std::uint64_t sequence, bool through, Settle settle_one) {
  if (through) {
    while (!written_.empty() && written_.front().sequence <= sequence) {
      Written entry = std::move(written_.front());
      written_.pop_front();
      if (entry.message) {
        settle_one(entry);
      } else {
        --holes_;
      }
    }
    drop_leading_holes();
  } else if (!written_.empty() && written_.front().sequence == sequence) {
    Written entry = std::move(written_.front());
    written_.pop_front();
    if (entry.message) settle_one(entry);
    drop_leading_holes();
  } else {
    // Sequences ascend in the window, so a binary search finds one answered out of order.
    const auto it = std::ranges::lower_bound(written_, sequence, {}, &Written::sequence);
    if (it != written_.end() && it->sequence == sequence && it->message) {
      Written entry{.sequence = it->sequence,
                    .message = std::move(it->message),
                    .returned = std::move(it->returned)};
      ++holes_;
      settle_one(entry);
    }
  }
  pump();
}

void SendPipeline::drop_leading_holes() {
  while (!written_.empty() && !written_.front().message) {
    written_.pop_front();
    --holes_;
  }
}

void SendPipeline::confirmed(std::uint64_t sequence, bool through) {
  settle(sequence, through, [this](Written& entry) { answer(entry, nullptr); });
}

void SendPipeline::confirmed(std::uint64_t sequence, bool through,
                             const std::function<Position(const Outgoing&)>& position) {
  settle(sequence, through, [&](Written& entry) {
    entry.message->position = position(*entry.message);
    answer(entry, nullptr);
  });
}

void SendPipeline::refused(std::uint64_t sequence, bool through,
                           const std::function<Error(const Outgoing&)>& failure) {
  settle(sequence, through, [&](Written& entry) {
    const Error why = failure(*entry.message);
    answer(entry, &why);
  });
}

void SendPipeline::failed(std::uint64_t sequence, const Error& error) {
  settle(sequence, false, [&](Written& entry) { host_.complete(std::move(entry.message), error); });
}

bool SendPipeline::mark_returned(std::string_view id, Error error) {
  for (auto& entry : written_) {
    if (entry.message && entry.returned.is_ok() && entry.message->message.id == id) {
      entry.returned = std::move(error);
      return true;
    }
  }
  return false;
}

void SendPipeline::retry_or_fail(OutgoingPtr message, const Error& failure) {
  auto decision = host_.retry(*message, failure, Clock::now());
  if (!decision.when) {
    host_.complete(std::move(message), decision.reason);
    return;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(host_.io().executor(), *decision.when);
  // The timer's handler owns the message until it is due; shared because Asio copies handlers.
  auto owned = std::make_shared<OutgoingPtr>(std::move(message));
  timer->async_wait([this, timer, owned](const boost::system::error_code& /*ignored*/) {
    if (refusing_) {
      host_.complete(std::move(*owned), *refusing_);
      return;
    }
    waiting_.push_front(std::move(*owned));
    pump();
  });
}

void SendPipeline::fail_where(const std::function<bool(const Outgoing&)>& culprit,
                              const std::function<bool(const Outgoing&)>& waiting_culprit,
                              const Error& error) {
  std::deque<Written> survivors;
  for (auto& entry : written_) {
    if (!entry.message) continue;
    if (culprit(*entry.message)) {
      host_.complete(std::move(entry.message), error);
    } else {
      survivors.push_back(std::move(entry));
    }
  }
  written_ = std::move(survivors);
  holes_ = 0;
  std::deque<OutgoingPtr> keep;
  for (auto& message : waiting_) {
    if (waiting_culprit(*message)) {
      host_.complete(std::move(message), error);
    } else {
      keep.push_back(std::move(message));
    }
  }
  waiting_ = std::move(keep);
}

void SendPipeline::requeue_written() {
  for (auto it = written_.rbegin(); it != written_.rend(); ++it) {
    if (it->message) waiting_.push_front(std::move(it->message));
  }
  written_.clear();
  holes_ = 0;
}

void SendPipeline::expire_waiting(std::string_view why) {
  const auto now = Clock::now();
  std::deque<OutgoingPtr> keep;
  for (auto& message : waiting_) {
    if (host_.expired(*message, now)) {
      host_.complete(std::move(message),
                     Error(ErrorCode::delivery_timeout,
                           "not confirmed within delivery.timeout.ms (" + std::string(why) + ")"));
    } else {
      keep.push_back(std::move(message));
    }
  }
  waiting_ = std::move(keep);
}

void SendPipeline::refuse_new(const Error& reason) {
  if (!refusing_) {
    refusing_ = reason;
  }
  drain_inbox();
}

void SendPipeline::fail_everything(const Error& reason) {
  refuse_new(reason);
  requeue_written();
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& message : waiting) {
    host_.complete(std::move(message), reason);
  }
}

}  // namespace postwire::client
