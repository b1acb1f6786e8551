// Settling received messages on RabbitMQ. ack is a basic.ack (coalesced by AckWindow). A nack
// re-publishes the message, counting one more delivery, and acks the original only once the
// copy is confirmed: with a delay, the copy waits in a per-delay queue whose TTL dead-letters
// it back to the source queue, so the wait is stored by the broker and survives a consumer
// crash. A dead letter is re-published to <source><dead.letter.suffix> with the reason. If a
// re-publish fails, the original is requeued instead: a message is never lost.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "client/envelope_headers.hpp"
#include "transport/amqp/amqp_subscription.hpp"
#include "transport/amqp/amqp_transport.hpp"
#include "transport/amqp/message_mapping.hpp"

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

// A delay queue outlives its last use by this much, and is re-declared (which restarts its
// expiry) when it was last declared longer ago than half of it.
constexpr milliseconds kDelayQueueIdleLife{10 * 60 * 1000};

void set_header(Headers& headers, std::string_view name, std::string value) {
  for (auto& header : headers) {
    if (header.name == name) {
      header.value = std::move(value);
      return;
    }
  }
  headers.push_back(Header{std::string(name), std::move(value)});
}

}  // namespace

void AmqpTransport::settle(AmqpSubscription& subscription, client::Settlement settlement) {
  auto& message = *settlement.message;
  if (settlement.kind == client::SettleKind::ack) {
    subscription.settled_on_broker(message.generation, message.tag, true);
    return;
  }
  if (message.generation != subscription.incarnation) {
    return;  // its channel is gone: the broker redelivers the original anyway
  }
  asio::co_spawn(client_.io().executor(),
                 republish_for(subscription.shared_from_this(), std::move(settlement)),
                 asio::detached);
}

asio::awaitable<void> AmqpTransport::republish_for(std::shared_ptr<AmqpSubscription> subscription,
                                                   client::Settlement settlement) {
  const auto inbound = settlement.message;
  Message copy = inbound->message;
  std::string destination;
  std::uint32_t attempt = inbound->delivery_count;
  try {
    if (settlement.kind == client::SettleKind::dead_letter) {
      destination = inbound->source + dead_letter_suffix_;
      FieldTable no_arguments;
      co_await ensure_queue(destination, std::move(no_arguments));
      set_header(copy.headers, client::dead_letter_reason_header, settlement.reason);
      set_header(copy.headers, client::original_destination_header, inbound->source);
    } else {
      attempt = inbound->delivery_count + 1;
      if (settlement.delay.count() > 0) {
        destination =
            "pw.delay." + inbound->source + "." + std::to_string(settlement.delay.count());
        FieldTable arguments;
        arguments.set("x-message-ttl", FieldValue(std::int64_t{settlement.delay.count()}));
        arguments.set("x-dead-letter-exchange", FieldValue(""));
        arguments.set("x-dead-letter-routing-key", FieldValue(inbound->source));
        arguments.set("x-expires",
                      FieldValue(std::int64_t{(settlement.delay + kDelayQueueIdleLife).count()}));
        co_await ensure_queue(destination, std::move(arguments));
      } else {
        destination = inbound->source;
      }
    }
  } catch (const Exception& e) {
    client_.emit(ErrorEvent{.error = e.error()});
    subscription->settled_on_broker(inbound->generation, inbound->tag, false);
    co_return;
  }
  std::weak_ptr<AmqpSubscription> weak = subscription;
  const std::uint64_t generation = inbound->generation;
  const std::uint64_t tag = inbound->tag;
  auto outgoing =
      client_.make_internal(std::move(destination), std::move(copy), attempt,
                            [this, weak, generation, tag](const Error& outcome) {
                              if (!outcome.is_ok()) {
                                client_.emit(ErrorEvent{.error = outcome});
                              }
                              if (auto live = weak.lock()) {
                                live->settled_on_broker(generation, tag, outcome.is_ok());
                              }
                            });
  publishing_.submit_internal(std::move(outgoing));
}

asio::awaitable<void> AmqpTransport::ensure_queue(std::string name, FieldTable arguments) {
  const auto now = std::chrono::steady_clock::now();
  if (auto it = declared_helpers_.find(name);
      it != declared_helpers_.end() && now - it->second < kDelayQueueIdleLife / 2) {
    co_return;
  }
  Method request = QueueDeclare{.queue = name,
                                .passive = false,
                                .durable = true,
                                .exclusive = false,
                                .auto_delete = false,
                                .no_wait = false,
                                .arguments = std::move(arguments)};
  co_await admin_call<QueueDeclareOk>(std::move(request));
  declared_helpers_[name] = now;
}

}  // namespace postwire::amqp
