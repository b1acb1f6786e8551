#include "client/consumer_core.hpp"

#include <utility>

#include "client/compression_envelope.hpp"

namespace postwire::client {

ConsumerCore::ConsumerCore(Options options, Metrics& metrics, std::shared_ptr<void> owner)
    : options_(std::move(options)),
      metrics_(metrics),
      owner_(std::move(owner)),
      buffer_(options_.buffer_capacity),
      dedup_(options_.dedup_window) {}

ConsumerCore::~ConsumerCore() { close(); }

void ConsumerCore::attach(std::shared_ptr<Subscription> subscription) {
  std::lock_guard lock(mutex_);
  subscription_ = std::move(subscription);
}

bool ConsumerCore::accept(const std::shared_ptr<InboundMessage>& message) {
  message->consumer_id = options_.id;
  metrics_.received.add();
  metrics_.bytes_received.add(message->wire_bytes);
  if (message->delivery_count > 1) {
    metrics_.redelivered.add();
  }
  if (message->compressed) {
    try {
      message->message.body = decompress(message->message.body, options_.max_message_bytes);
    } catch (const Exception& e) {
      // A body this consumer cannot read is set aside with the reason, never dropped.
      settle_internally(message, SettleKind::dead_letter,
                        "cannot decompress body: " + e.error().message());
      return false;
    }
  }
  if (options_.max_deliveries != 0 && message->delivery_count > options_.max_deliveries) {
    settle_internally(
        message, SettleKind::dead_letter,
        "delivered " + std::to_string(message->delivery_count) +
            " times, more than max.deliveries=" + std::to_string(options_.max_deliveries));
    return false;
  }
  return true;
}

bool ConsumerCore::deliver(std::shared_ptr<InboundMessage> message) {
  std::vector<std::shared_ptr<InboundMessage>> one;
  one.push_back(std::move(message));
  return deliver(one) == 1;
}

std::size_t ConsumerCore::deliver(std::vector<std::shared_ptr<InboundMessage>>& messages) {
  const std::size_t offered = messages.size();
  std::erase_if(messages, [&](const auto& message) { return !accept(message); });
  // Duplicates are recognised on arrival, so that the application may take its messages in
  // batches: a copy that arrives while its first is buffered or in the application's hands
  // waits for it (drop_if_duplicate).
  std::erase_if(messages, [&](const auto& message) { return drop_if_duplicate(message); });
  const std::size_t settled_here = offered - messages.size();
  if (options_.event_sink) {
    std::vector<std::shared_ptr<InboundMessage>> released;
    release_orphaned_copies(released, messages.size() + 1);
    std::vector<Event> events;
    events.reserve(released.size() + messages.size());
    for (auto& message : released) {
      events.emplace_back(wrap(std::move(message)));
    }
    for (auto& message : messages) {
      events.emplace_back(wrap(std::move(message)));
    }
    const std::size_t handed = messages.size();
    messages.clear();
    // The event queue takes all (it is bounded by the prefetch) or, once the client is shut
    // down, nothing: the broker then redelivers them.
    const bool sunk = events.empty() || options_.event_sink(events) != 0;
    return settled_here + (sunk ? handed : 0);
  }
  // What does not fit stays in `messages`, in order, for the transport to hold back.
  const std::size_t added = buffer_.try_push_many(messages);
  metrics_.consumer_buffered.add(static_cast<std::int64_t>(added));
  messages.erase(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(added));
  return settled_here + added;
}

bool ConsumerCore::drop_if_duplicate(const std::shared_ptr<InboundMessage>& message) {
  const std::string& id = message->message.id;
  if (options_.dedup_window == 0 || id.empty()) {
    return false;
  }
  bool duplicate = false;
  {
    std::lock_guard lock(mutex_);
    if (dedup_.contains(id)) {
      duplicate = true;
    } else if (auto& hand = in_hand_[id]; hand.original.expired()) {
      hand.original = message;  // new, or its earlier copy was let go of unsettled
      forget_let_go_locked();
    } else {
      hand.held.push_back(message);
      ++held_count_;
      return true;
    }
  }
  if (duplicate) {
    metrics_.deduplicated.add();
    settle_internally(message, SettleKind::ack, {});
  }
  return duplicate;
}

void ConsumerCore::settle_held_copies(const InboundMessage& message, const Settlement& settlement) {
  std::vector<std::shared_ptr<InboundMessage>> held;
  std::shared_ptr<Subscription> subscription;
  {
    std::lock_guard lock(mutex_);
    const auto entry = in_hand_.find(message.message.id);
    if (entry == in_hand_.end()) {
      return;
    }
    held = std::move(entry->second.held);
    held_count_ -= held.size();
    in_hand_.erase(entry);
    subscription = subscription_;
  }
  if (!subscription) {
    return;  // closed: the broker redelivers them
  }
  // Done with (acked, or set aside in the dead-letter queue): the copies are acked. Sent back:
  // the copies go back too, and return as later deliveries of the same id.
  const bool sent_back = settlement.kind == SettleKind::redeliver;
  for (auto& copy : held) {
    copy->settled.store(true);
    metrics_.deduplicated.add();
    (sent_back ? metrics_.nacked : metrics_.acked).add();
    subscription->settle(
        Settlement{.kind = sent_back ? SettleKind::redeliver : SettleKind::ack,
                   .message = std::move(copy),
                   .delay = sent_back ? settlement.delay : std::chrono::milliseconds(0),
                   .reason = {}});
  }
}

void ConsumerCore::forget_let_go_locked() {
  // Messages settled leave in_hand_ at once; only those the application let go of unsettled
  // linger. Live entries are bounded by the buffer and the broker's prefetch, so a sweep when
  // the map holds twice the buffer keeps it bounded at little cost.
  if (in_hand_.size() <= 2 * options_.buffer_capacity) {
    return;
  }
  std::erase_if(in_hand_, [](const auto& entry) {
    return entry.second.held.empty() && entry.second.original.expired();
  });
}

void ConsumerCore::release_orphaned_copies(std::vector<std::shared_ptr<InboundMessage>>& out,
                                           std::size_t max) {
  std::lock_guard lock(mutex_);
  if (held_count_ == 0) {
    return;
  }
  for (auto& [id, hand] : in_hand_) {
    if (out.size() >= max) {
      break;
    }
    if (!hand.held.empty() && hand.original.expired()) {
      auto next = std::move(hand.held.front());
      hand.held.erase(hand.held.begin());
      --held_count_;
      hand.original = next;
      out.push_back(std::move(next));
    }
  }
}

std::size_t ConsumerCore::poll(std::vector<Delivery>& out, std::size_t max,
                               std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      throw Exception(ErrorCode::closed, "the consumer of '" + options_.source +
                                             "' is closed (by close() or its client's close)");
    }
  }
  if (options_.event_sink) {
    throw Exception(ErrorCode::invalid_argument,
                    "the consumer of '" + options_.source +
                        "' delivers its messages as client events (deliver_as_events): poll "
                        "the client instead");
  }
  std::vector<std::shared_ptr<InboundMessage>> batch;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  {
    std::shared_ptr<Subscription> subscription;
    {
      std::lock_guard lock(mutex_);
      subscription = subscription_;
    }
    if (subscription) {
      subscription->flush_settlements();
    }
  }
  std::size_t handed = 0;
  batch.clear();
  release_orphaned_copies(batch, max);
  for (auto& message : batch) {
    out.push_back(wrap(std::move(message)));
    ++handed;
  }
  while (handed == 0) {
    batch.clear();
    auto wait = timeout.count() < 0 ? timeout
                                    : std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now());
    if (timeout.count() >= 0 && wait.count() < 0) {
      wait = std::chrono::milliseconds(0);
    }
    if (buffer_.poll(batch, max, wait) == 0) {
      break;
    }
    metrics_.consumer_buffered.sub(static_cast<std::int64_t>(batch.size()));
    for (auto& message : batch) {
      out.push_back(wrap(std::move(message)));
      ++handed;
    }
    if (timeout.count() >= 0 && std::chrono::steady_clock::now() >= deadline) {
      break;
    }
  }
  return handed;
}

void ConsumerCore::settle(const std::shared_ptr<InboundMessage>& message, SettleKind kind,
                          std::chrono::milliseconds delay, std::string_view reason) {
  if (message->settled.exchange(true)) {
    throw Exception(ErrorCode::invalid_argument,
                    "message " + message->message.id + " from '" + options_.source +
                        "' was already settled (ack, nack and dead_letter are allowed once)");
  }
  std::shared_ptr<Subscription> subscription;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || !subscription_) {
      throw Exception(ErrorCode::closed, "the consumer of '" + options_.source +
                                             "' is closed; the broker redelivers its "
                                             "unsettled messages");
    }
    subscription = subscription_;
    if (kind == SettleKind::ack && !message->message.id.empty()) {
      dedup_.remember(message->message.id);
    }
  }
  Settlement settlement{
      .kind = kind, .message = message, .delay = delay, .reason = std::string(reason)};
  if (kind == SettleKind::redeliver && options_.max_deliveries != 0 &&
      message->delivery_count >= options_.max_deliveries) {
    settlement.kind = SettleKind::dead_letter;
    settlement.delay = {};
    settlement.reason = "max.deliveries (" + std::to_string(options_.max_deliveries) +
                        ") reached after " + std::to_string(message->delivery_count) +
                        " deliveries";
  }
  switch (settlement.kind) {
    case SettleKind::ack:
      metrics_.acked.add();
      break;
    case SettleKind::redeliver:
      metrics_.nacked.add();
      break;
    case SettleKind::dead_letter:
      metrics_.dead_lettered.add();
      break;
  }
  settle_held_copies(*message, settlement);
  subscription->settle(std::move(settlement));
}

void ConsumerCore::settle_internally(const std::shared_ptr<InboundMessage>& message,
                                     SettleKind kind, std::string reason) {
  message->settled.store(true);
  std::shared_ptr<Subscription> subscription;
  {
    std::lock_guard lock(mutex_);
    subscription = subscription_;
  }
  if (!subscription) {
    return;  // closed: the broker redelivers it
  }
  if (kind == SettleKind::dead_letter) {
    metrics_.dead_lettered.add();
  } else if (kind == SettleKind::ack) {
    metrics_.acked.add();
  }
  subscription->settle(
      Settlement{.kind = kind, .message = message, .delay = {}, .reason = std::move(reason)});
}

void ConsumerCore::close() {
  std::shared_ptr<Subscription> subscription;
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return;
    }
    closed_ = true;
    subscription = std::move(subscription_);
    in_hand_.clear();  // unsettled: the broker redelivers them when the channel closes
    held_count_ = 0;
  }
  buffer_.shutdown();
  if (subscription) {
    subscription->cancel();
  }
}

Delivery ConsumerCore::wrap(std::shared_ptr<InboundMessage> message) {
  Delivery delivery;
  delivery.message_ = std::move(message);
  return delivery;
}

}  // namespace postwire::client
