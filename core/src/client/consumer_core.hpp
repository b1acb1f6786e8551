#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/dedup_window.hpp"
#include "client/inbound_message.hpp"
#include "client/metrics.hpp"
#include "client/transport.hpp"
#include "postwire/client.hpp"
#include "runtime/event_queue.hpp"

namespace postwire::client {

// The broker-independent side of one consumer: its bounded local buffer, decompression,
// the dedup window, the max.deliveries rule, and settling. The transport feeds it on the IO
// thread; the application polls and settles from its own threads.
class ConsumerCore : public std::enable_shared_from_this<ConsumerCore> {
 public:
  struct Options {
    std::string source;
    std::uint64_t id = 0;               // unique per client (Consumer::id())
    std::size_t buffer_capacity = 256;  // at least the prefetch, so deliveries never wait
    std::uint32_t max_deliveries = 0;   // 0: no limit
    std::size_t dedup_window = 0;
    std::size_t max_message_bytes = 0;
    // When set, messages go to this sink (the client's event queue) as they arrive, instead
    // of the local buffer; poll() is then refused. Returns how many it took.
    std::function<std::size_t(std::vector<Event>&)> event_sink;
  };

  // `owner` keeps the client (and `metrics`) alive for as long as this consumer lives.
  ConsumerCore(Options options, Metrics& metrics, std::shared_ptr<void> owner);
  ~ConsumerCore();
  ConsumerCore(const ConsumerCore&) = delete;
  ConsumerCore& operator=(const ConsumerCore&) = delete;

  void attach(std::shared_ptr<Subscription> subscription);

  // IO thread: a message arrived. Decompresses it and applies the delivery limit; then it is
  // buffered for poll(). False when the buffer had no room (or the consumer is closed).
  bool deliver(std::shared_ptr<InboundMessage> message);
  // The same for several messages, buffered with one wakeup of the polling thread. Returns how
  // many it took, from the front; those it did not take stay in `messages`, and the transport
  // must hold them and stop fetching until the application polls again (a message dropped
  // here would never be settled).
  std::size_t deliver(std::vector<std::shared_ptr<InboundMessage>>& messages);

  std::size_t poll(std::vector<Delivery>& out, std::size_t max, std::chrono::milliseconds timeout);
  [[nodiscard]] int wakeup_fd() const { return buffer_.wakeup_fd(); }
  [[nodiscard]] const std::string& source() const noexcept { return options_.source; }
  [[nodiscard]] std::uint64_t id() const noexcept { return options_.id; }

  // From Delivery: settles `message` once. Throws closed after close(), invalid_argument when
  // it was settled already.
  void settle(const std::shared_ptr<InboundMessage>& message, SettleKind kind,
              std::chrono::milliseconds delay, std::string_view reason);

  void close();

 private:
  // Decompression and the delivery limit; false when the message was settled here instead.
  bool accept(const std::shared_ptr<InboundMessage>& message);
  // With the dedup window on, as a message arrives: acks it when the window remembers its id,
  // and holds back a copy of a message this consumer has (buffered or in the application's
  // hands: a redelivery after a lost connection, or a second send) until that one is settled.
  // True when the message is not to be handed out.
  bool drop_if_duplicate(const std::shared_ptr<InboundMessage>& message);
  // The copies held back behind `message`, now that it is settled; they are settled the same
  // way, so that the application handles each id once.
  void settle_held_copies(const InboundMessage& message, const Settlement& settlement);
  // Copies held behind a message the application let go of without settling it: the first of
  // them is handed out in its place.
  void release_orphaned_copies(std::vector<std::shared_ptr<InboundMessage>>& out, std::size_t max);
  // Forgets the ids of messages let go of unsettled with no copy waiting; mutex_ held.
  void forget_let_go_locked();
  void settle_internally(const std::shared_ptr<InboundMessage>& message, SettleKind kind,
                         std::string reason);
  static Delivery wrap(std::shared_ptr<InboundMessage> message);

  Options options_;
  Metrics& metrics_;
  std::shared_ptr<void> owner_;
  runtime::EventQueue<std::shared_ptr<InboundMessage>> buffer_;
  std::mutex mutex_;  // guards subscription_, dedup_, in_hand_ and closed_
  std::shared_ptr<Subscription> subscription_;
  DedupWindow dedup_;
  // Ids handed to the application and not settled yet, with the copies held back behind each
  // (bounded by what the broker lets this consumer hold unsettled: its prefetch).
  struct InHand {
    std::weak_ptr<InboundMessage> original;
    std::vector<std::shared_ptr<InboundMessage>> held;
  };
  std::unordered_map<std::string, InHand> in_hand_;
  std::size_t held_count_ = 0;
  bool closed_ = false;
};

}  // namespace postwire::client
