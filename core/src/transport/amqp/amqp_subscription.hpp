#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/ack_window.hpp"
#include "client/consumer_core.hpp"
#include "client/transport.hpp"
#include "transport/amqp/channel.hpp"

namespace postwire::amqp {

class AmqpTransport;

// A delivery's settle coordinate on RabbitMQ: the incarnation of the consumer channel that
// delivered it and its delivery tag there. A tag from an older incarnation is never sent to
// the broker again.
inline client::SettleCoordinate amqp_coordinate(std::uint64_t incarnation, std::uint64_t tag) {
  return client::SettleCoordinate{.numbers = {incarnation, tag, 0}, .handle = {}};
}
inline std::uint64_t incarnation_of(const client::InboundMessage& message) {
  return message.settle.numbers[0];
}
inline std::uint64_t delivery_tag_of(const client::InboundMessage& message) {
  return message.settle.numbers[1];
}

// The basic.ack / basic.nack that carries one settlement of the channel's AckWindow.
Method settlement_method(const client::AckWindow::Settled& settled);

// Where a subscription stands. Only the transport's recovery (amqp_recovery.cpp) moves a
// subscription between these, so there is one place that decides what to consume again.
enum class SubscriptionState : std::uint8_t {
  detached,     // no channel (the connection is being established): consumed again once it is
  subscribing,  // basic.consume on its way
  consuming,    // delivering on `channel`
  waiting,      // refused or cancelled by the broker (queue missing): tried again with backoff
  failed,       // refused for good (access denied): never tried again
};

// One consumer on one RabbitMQ queue. Survives reconnects: the transport opens a new channel
// and consumes again under the same consumer tag; messages delivered on an older channel
// (incarnation) can no longer be acked there and are redelivered by the broker.
class AmqpSubscription final : public client::Subscription,
                               public std::enable_shared_from_this<AmqpSubscription> {
 public:
  AmqpSubscription(AmqpTransport& transport, std::shared_ptr<client::ConsumerCore> consumer,
                   std::string queue, std::uint16_t prefetch, bool exclusive,
                   std::optional<std::int32_t> priority, std::string tag);

  // Thread-safe entry points.
  void settle(client::Settlement settlement) override;
  void flush_settlements() override;
  void cancel() override;

  // IO thread.
  void attach(std::shared_ptr<Channel> channel, std::uint64_t incarnation);
  void on_async(Incoming&& incoming);
  void on_channel_closed(const Error& error);
  void settled_on_broker(std::uint64_t incarnation, std::uint64_t tag, bool ok);
  void schedule_flush();
  void schedule_delivery();
  // While deliveries are unsettled: sends held-back settlements at least every few ms.
  boost::asio::awaitable<void> settlement_ticker(std::uint64_t for_incarnation);

  AmqpTransport& transport;
  std::shared_ptr<client::ConsumerCore> consumer;
  const std::string queue;
  const std::uint16_t prefetch;
  const bool exclusive;
  const std::optional<std::int32_t> priority;  // x-priority: RabbitMQ's consumer priority
  const std::uint64_t consumer_id;             // for the consumer's events, after it is gone
  const std::string tag;

  std::shared_ptr<Channel> channel;
  std::uint64_t incarnation = 0;
  SubscriptionState state = SubscriptionState::detached;
  bool cancelled = false;        // by the application: never resumed
  unsigned retry_attempt = 0;    // consecutive refusals while waiting, for the backoff
  bool retry_scheduled = false;  // a retry timer is running
  client::AckWindow acks;

 private:
  void drain_settlements();
  void schedule_drain();

  bool flush_scheduled_ = false;
  // Deliveries decoded from one read of the socket, handed to the consumer together.
  std::vector<std::shared_ptr<client::InboundMessage>> staged_;
  // Settlements from application threads, taken by the IO thread in batches: one wakeup of
  // the IO thread (and one basic.ack with `multiple`) covers every settlement made meanwhile.
  std::mutex inbox_mutex_;
  std::vector<client::Settlement> inbox_;
  bool drain_scheduled_ = false;
};

}  // namespace postwire::amqp
