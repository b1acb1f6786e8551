#include "transport/amqp/amqp_subscription.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "client/delivery_count.hpp"
#include "transport/amqp/amqp_transport.hpp"
#include "transport/amqp/message_mapping.hpp"

namespace postwire::amqp {
namespace asio = boost::asio;

Method settlement_method(const client::AckWindow::Settled& settled) {
  using Kind = client::AckWindow::Settled::Kind;
  if (settled.kind == Kind::requeue) {
    return BasicNack{.delivery_tag = settled.position, .multiple = false, .requeue = true};
  }
  return BasicAck{.delivery_tag = settled.position, .multiple = settled.kind == Kind::through};
}

// AmqpSubscription

AmqpSubscription::AmqpSubscription(AmqpTransport& owner,
                                   std::shared_ptr<client::ConsumerCore> consumer_core,
                                   std::string queue_name, std::uint16_t prefetch_count,
                                   bool exclusive_consumer,
                                   std::optional<std::int32_t> consumer_priority,
                                   std::string consumer_tag)
    : transport(owner),
      consumer(std::move(consumer_core)),
      queue(std::move(queue_name)),
      prefetch(prefetch_count),
      exclusive(exclusive_consumer),
      priority(consumer_priority),
      consumer_id(consumer->id()),
      tag(std::move(consumer_tag)) {}

// Acks are held back so that one wakeup of the IO thread and one basic.ack(multiple) cover
// many: they go when half the prefetch is waiting, when the application polls again (it is
// done with what it has), or at the next tick of settlement_ticker. Nacks and dead letters go
// at once.
constexpr auto kSettlementTick = std::chrono::milliseconds(5);

void AmqpSubscription::settle(client::Settlement settlement) {
  const bool urgent = settlement.kind != client::SettleKind::ack;
  bool schedule = false;
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(settlement));
    const std::size_t threshold = std::max<std::size_t>(1, prefetch / 2);
    schedule = !drain_scheduled_ && (urgent || inbox_.size() >= threshold);
    drain_scheduled_ = drain_scheduled_ || schedule;
  }
  if (schedule) {
    schedule_drain();
  }
}

void AmqpSubscription::flush_settlements() {
  bool schedule = false;
  {
    std::lock_guard lock(inbox_mutex_);
    schedule = !drain_scheduled_ && !inbox_.empty();
    drain_scheduled_ = drain_scheduled_ || schedule;
  }
  if (schedule) {
    schedule_drain();
  }
}

void AmqpSubscription::schedule_drain() {
  asio::post(transport.client().io().executor(),
             [self = shared_from_this()] { self->drain_settlements(); });
}

asio::awaitable<void> AmqpSubscription::settlement_ticker(std::uint64_t for_incarnation) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!cancelled && incarnation == for_incarnation && channel && channel->is_open()) {
    // Nothing to settle: look again rarely, so that an idle consumer costs (almost) nothing.
    timer.expires_after(acks.idle() ? kSettlementTick * 40 : kSettlementTick);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    bool pending = false;
    {
      std::lock_guard lock(inbox_mutex_);
      pending = !inbox_.empty();
    }
    if (pending) {
      drain_settlements();
    }
  }
}

void AmqpSubscription::drain_settlements() {
  std::vector<client::Settlement> batch;
  {
    std::lock_guard lock(inbox_mutex_);
    batch.swap(inbox_);
    drain_scheduled_ = false;
  }
  for (auto& settlement : batch) {
    transport.settle(*this, std::move(settlement));
  }
}

void AmqpSubscription::cancel() {
  auto self = shared_from_this();
  auto& io = transport.client().io();
  const auto stop = [self] {
    // Settlements the application made before closing go to the broker first: acks are held
    // back for coalescing, and closing the channel would otherwise requeue what was acked.
    self->drain_settlements();
    self->cancelled = true;
    self->consumer.reset();
    if (self->channel && self->channel->is_open()) {
      auto& open_channel = *self->channel;
      self->acks.flush([&open_channel](const client::AckWindow::Settled& settled) {
        open_channel.send(settlement_method(settled));
      });
      // Closing the channel hands its unacked messages back to the queue at once.
      self->channel->close();
    }
    self->channel.reset();
    self->transport.forget(*self);
  };
  if (io.in_io_thread() || io.forked()) {
    asio::post(io.executor(), stop);
    return;
  }
  try {
    io.run([](auto stop_now) -> asio::awaitable<void> {
      stop_now();
      co_return;
    }(stop));
  } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): the client is closing anyway
  }
}

void AmqpSubscription::attach(std::shared_ptr<Channel> new_channel, std::uint64_t number) {
  channel = std::move(new_channel);
  incarnation = number;
  acks.reset();
  std::weak_ptr<AmqpSubscription> weak = shared_from_this();
  channel->on_async = [weak](Incoming&& incoming) {
    if (auto self = weak.lock()) {
      self->on_async(std::move(incoming));
    }
  };
  channel->on_closed = [weak](const Error& error) {
    if (auto self = weak.lock()) {
      self->on_channel_closed(error);
    }
  };
  asio::co_spawn(
      transport.client().io().executor(),
      [](std::shared_ptr<AmqpSubscription> self, std::uint64_t n) -> asio::awaitable<void> {
        co_await self->settlement_ticker(n);
      }(shared_from_this(), number),
      asio::detached);
}

void AmqpSubscription::on_async(Incoming&& incoming) {
  if (auto* deliver = std::get_if<BasicDeliver>(&incoming.method)) {
    acks.delivered(deliver->delivery_tag);
    if (!consumer || !incoming.header) {
      return;
    }
    const std::size_t wire_bytes = incoming.body.size();
    // Through the default exchange the routing key is the queue's name, not a key.
    const std::string_view exchange_key =
        deliver->exchange.empty() ? std::string_view() : std::string_view(deliver->routing_key);
    auto content = from_content(std::move(incoming.header->properties), std::move(incoming.body),
                                exchange_key, deliver->redelivered);
    auto message = std::make_shared<client::InboundMessage>();
    message->message = std::move(content.message);
    message->source = queue;
    message->delivery_count = client::delivery_count(content.facts);
    message->redelivered = deliver->redelivered;
    message->compressed = content.compressed;
    message->wire_bytes = wire_bytes;
    message->settle = amqp_coordinate(incarnation, deliver->delivery_tag);
    message->consumer = consumer;
    staged_.push_back(std::move(message));
    if (staged_.size() == 1) {
      schedule_delivery();
    }
    return;
  }
  if (std::holds_alternative<BasicCancel>(incoming.method)) {
    // consumer_cancel_notify: the queue was deleted or its node went away.
    if (channel) {
      channel->close();
    }
    transport.subscription_refused(
        shared_from_this(),
        Error(ErrorCode::not_found, "the broker cancelled the consumer of '" + queue +
                                        "' (queue deleted or unavailable); resuming when it is "
                                        "back"));
  }
}

void AmqpSubscription::schedule_delivery() {
  // Runs once the reader has dispatched everything it read. While the socket holds more of the
  // same burst (and the batch is small), it waits for the next read instead: the application
  // is then woken once per burst, which on a busy machine costs far less than a wakeup per read.
  asio::post(transport.client().io().executor(), [self = shared_from_this()] {
    const std::size_t hold_limit = std::max<std::size_t>(1, self->prefetch / 4);
    if (self->staged_.empty()) {
      return;
    }
    if (self->staged_.size() < hold_limit && self->channel && self->channel->is_open() &&
        self->channel->connection().more_to_read()) {
      self->schedule_delivery();
      return;
    }
    // The consumer's buffer holds more than the prefetch, so it takes everything unless it is
    // closed; then what is left goes back to the queue when the channel closes.
    if (self->consumer) {
      self->consumer->deliver(self->staged_);
    }
    self->staged_.clear();
  });
}

void AmqpSubscription::on_channel_closed(const Error& error) {
  if (cancelled || !transport.client().io().in_io_thread() ||
      state != SubscriptionState::consuming) {
    return;
  }
  // A lost connection is recovery's business; the broker closing this channel alone (the
  // queue went away, a settle it refused) makes the subscription wait for its queue.
  if (!error.is_ok() && error.code() != ErrorCode::closed &&
      error.code() != ErrorCode::connection_closed) {
    transport.subscription_refused(shared_from_this(), error);
  }
}

void AmqpSubscription::settled_on_broker(std::uint64_t number, std::uint64_t delivery_tag,
                                         bool ok) {
  if (number != incarnation) {
    return;  // delivered on a channel that is gone: the broker redelivers it anyway
  }
  if (ok) {
    acks.ack(delivery_tag);
  } else {
    acks.requeue(delivery_tag);
  }
  schedule_flush();
}

void AmqpSubscription::schedule_flush() {
  if (flush_scheduled_ || !acks.dirty()) {
    return;
  }
  flush_scheduled_ = true;
  // Settlements made in one pass of the IO loop go out together.
  asio::post(transport.client().io().executor(), [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    if (self->channel && self->channel->is_open()) {
      auto& open_channel = *self->channel;
      self->acks.flush([&open_channel](const client::AckWindow::Settled& settled) {
        open_channel.send(settlement_method(settled));
      });
    }
  });
}

}  // namespace postwire::amqp
