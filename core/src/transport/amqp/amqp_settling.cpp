// Settling received messages on RabbitMQ. ack is a basic.ack (coalesced by the AckWindow). A
// nack and a dead letter settle by copy (client/republish.hpp): the copy is sent and the
// original acked only once the copy is confirmed, or requeued if it fails, so a message is
// never lost. With a delay, the copy waits in a per-delay queue whose TTL dead-letters it back
// to the source queue, so the wait is stored by the broker and survives a consumer crash; a
// dead letter goes to <source><dead.letter.suffix> with the reason.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "client/republish.hpp"
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

}  // namespace

void AmqpTransport::settle(AmqpSubscription& subscription, client::Settlement settlement) {
  auto& message = *settlement.message;
  if (settlement.kind == client::SettleKind::ack) {
    subscription.settled_on_broker(incarnation_of(message), delivery_tag_of(message), true);
    return;
  }
  if (incarnation_of(message) != subscription.incarnation) {
    return;  // its channel is gone: the broker redelivers the original anyway
  }
  asio::co_spawn(client_.io().executor(),
                 republish_for(subscription.shared_from_this(), std::move(settlement)),
                 asio::detached);
}

asio::awaitable<void> AmqpTransport::republish_for(std::shared_ptr<AmqpSubscription> subscription,
                                                   client::Settlement settlement) {
  const auto inbound = settlement.message;
  client::Republish copy;
  try {
    if (settlement.kind == client::SettleKind::dead_letter) {
      copy = client::dead_letter_copy(*inbound, inbound->source + dead_letter_suffix_,
                                      settlement.reason);
      FieldTable no_arguments;
      co_await ensure_queue(copy.destination, std::move(no_arguments));
    } else if (settlement.delay.count() > 0) {
      // The copy waits in a queue whose TTL dead-letters it back to the source.
      copy = client::redelivery_copy(
          *inbound, "pw.delay." + inbound->source + "." + std::to_string(settlement.delay.count()));
      FieldTable arguments;
      arguments.set("x-message-ttl", FieldValue(std::int64_t{settlement.delay.count()}));
      arguments.set("x-dead-letter-exchange", FieldValue(""));
      arguments.set("x-dead-letter-routing-key", FieldValue(inbound->source));
      arguments.set("x-expires",
                    FieldValue(std::int64_t{(settlement.delay + kDelayQueueIdleLife).count()}));
      co_await ensure_queue(copy.destination, std::move(arguments));
    } else {
      copy = client::redelivery_copy(*inbound, inbound->source);
    }
  } catch (const Exception& e) {
    client_.emit(ErrorEvent{.error = e.error()});
    subscription->settled_on_broker(incarnation_of(*inbound), delivery_tag_of(*inbound), false);
    co_return;
  }
  std::weak_ptr<AmqpSubscription> weak = subscription;
  publishing_.submit_internal(client::republish(client_, std::move(copy),
                                                [weak, incarnation = incarnation_of(*inbound),
                                                 tag = delivery_tag_of(*inbound)](bool confirmed) {
                                                  if (auto live = weak.lock()) {
                                                    live->settled_on_broker(incarnation, tag,
                                                                            confirmed);
                                                  }
                                                }));
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
