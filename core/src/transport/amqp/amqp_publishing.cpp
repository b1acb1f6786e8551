// AmqpTransport's publishing path. The client layer's SendPipeline keeps the messages handed
// over by send(), the confirm window, retries and expiry; here is what RabbitMQ adds: writing
// on the confirm-mode channel (the delivery tag is the pipeline's sequence), its answers
// (basic.ack, basic.nack: retried with backoff, basic.return: unroutable), and a channel the
// broker closes over one message. On a lost connection everything unconfirmed goes back to
// the front of the pipeline, in order, and is written again with the same id after recovery.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "transport/amqp/amqp_transport.hpp"
#include "transport/amqp/message_mapping.hpp"
#include "transport/amqp/reply_codes.hpp"

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;

// Above this many bytes waiting for the socket, publishing pauses until confirms come back.
constexpr std::size_t kMaxWriteBacklog = 8U << 20U;

std::span<const std::uint8_t> bytes_of(const std::string& body) {
  return {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};  // NOLINT
}

// The quoted name in a broker message such as "NOT_FOUND - no exchange 'x' in vhost '/'".
std::optional<std::string> quoted_after(std::string_view text, std::string_view marker) {
  const auto at = text.find(marker);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const auto start = at + marker.size();
  const auto end = text.find('\'', start);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(text.substr(start, end - start));
}

}  // namespace

void AmqpTransport::publish(client::OutgoingPtr message) { publishing_.submit(std::move(message)); }

bool AmqpTransport::ready() const {
  return connected_ && publisher_ && publisher_->is_open() &&
         connection_->write_backlog() < kMaxWriteBacklog;
}

std::uint64_t AmqpTransport::write(client::Outgoing& message) {
  BasicPublish publish;
  const std::string_view destination = message.destination;
  if (const auto exchange = exchange_of(destination)) {
    publish.exchange = std::string(*exchange);
    publish.routing_key = message.message.key;
  } else {
    publish.routing_key = message.destination;  // the default exchange routes to the queue
  }
  publish.mandatory = mandatory_;
  const auto& body = message.message.body;
  const ContentHeader header{
      .class_id = 60,
      .body_size = body.size(),
      .properties = to_properties(message.message, message.compressed, message.delivery_attempt)};
  publisher_->publish(publish, header, bytes_of(body));
  ++message.attempts;
  auto& metrics = client_.metrics();
  metrics.sent.add();
  metrics.bytes_sent.add(body.size());
  if (message.attempts > 1) {
    metrics.retried.add();
  }
  return next_tag_++;
}

void AmqpTransport::on_publisher_async(Incoming&& incoming) {
  if (const auto* ack = std::get_if<BasicAck>(&incoming.method)) {
    publishing_.confirmed(ack->delivery_tag, ack->multiple);
  } else if (const auto* nack = std::get_if<BasicNack>(&incoming.method)) {
    publishing_.refused(nack->delivery_tag, nack->multiple, [](const client::Outgoing& message) {
      return Error(ErrorCode::broker_nacked,
                   "the broker could not store message " + message.message.id);
    });
  } else if (const auto* returned = std::get_if<BasicReturn>(&incoming.method)) {
    // A mandatory message no queue took. Its confirm follows; the return is matched to it by
    // message id (every postwire message has one).
    if (!incoming.header || !incoming.header->properties.message_id) {
      return;
    }
    const bool to_exchange = !returned->exchange.empty();
    Error unroutable(ErrorCode::unroutable,
                     (to_exchange ? "no queue is bound to exchange '" + returned->exchange +
                                        "' for routing key '" + returned->routing_key + "'"
                                  : "no queue named '" + returned->routing_key + "'") +
                         " (" + std::to_string(returned->reply_code) + " " + returned->reply_text +
                         ")");
    if (publishing_.mark_returned(*incoming.header->properties.message_id, std::move(unroutable))) {
      client_.metrics().returned.add();
    }
  }
}

void AmqpTransport::on_publisher_closed(const Error& error) {
  if (closing_ || !connection_ || !connection_->alive()) {
    return;  // recovery (or close) takes care of the window
  }
  // The broker closes the channel over one message: find it from what the broker said, fail
  // it, and write the others again on a new channel.
  const auto missing_exchange = error.code() == ErrorCode::not_found
                                    ? quoted_after(error.message(), "no exchange '")
                                    : std::nullopt;
  const auto sent_to_missing_exchange = [&](const client::Outgoing& message) {
    const auto exchange = exchange_of(message.destination);
    return missing_exchange && exchange && *exchange == *missing_exchange;
  };
  bool blamed = false;
  const auto culprit = [&](const client::Outgoing& message) {
    if (missing_exchange) {
      return sent_to_missing_exchange(message);
    }
    const bool first = !blamed;
    blamed = true;
    return first;
  };
  // Queued messages for the same missing exchange would only close the next channel.
  publishing_.fail_where(culprit, sent_to_missing_exchange,
                         Error(error.code(), error.message(), false, false));
  publishing_.requeue_written();
  publisher_.reset();
  asio::co_spawn(
      client_.io().executor(),
      [](AmqpTransport* self) -> asio::awaitable<void> {
        try {
          co_await self->open_publisher();
          self->publishing_.pump();
        } catch (const Exception& e) {
          if (self->connection_ && self->connection_->alive()) {
            self->connection_->abort(e.error());  // recovery starts over
          }
        }
      }(this),
      asio::detached);
}

void AmqpTransport::fail_everything(const Error& error) { publishing_.fail_everything(error); }

}  // namespace postwire::amqp
