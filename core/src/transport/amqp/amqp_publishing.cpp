// AmqpTransport's publishing path: messages handed over by send() wait in queue_ until the
// confirm window has room, are written on the confirm-mode channel, and complete when the
// broker confirms (basic.ack), refuses (basic.nack: retried with backoff) or returns them
// (mandatory and unroutable). On a lost connection everything unconfirmed goes back to the
// front of the queue, in order, and is written again with the same id after recovery.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "transport/amqp/amqp_transport.hpp"
#include "transport/amqp/message_mapping.hpp"
#include "transport/amqp/reply_codes.hpp"

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

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

void AmqpTransport::publish(client::OutgoingPtr message) {
  bool schedule = false;
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(message));
    schedule = !drain_scheduled_;
    drain_scheduled_ = true;
  }
  if (schedule) {
    asio::post(client_.io().executor(), [this] { drain_inbox(); });
  }
}

void AmqpTransport::drain_inbox() {
  std::vector<client::OutgoingPtr> arrived;
  {
    std::lock_guard lock(inbox_mutex_);
    arrived.swap(inbox_);
    drain_scheduled_ = false;
  }
  for (auto& message : arrived) {
    if (closing_ || failed_) {
      client_.complete(std::move(message),
                       failed_ ? fatal_error_ : Error(ErrorCode::closed, "the client is closed"));
      continue;
    }
    queue_.push_back(std::move(message));
  }
  pump();
}

void AmqpTransport::pump() {
  if (!connected_ || !publisher_ || !publisher_->is_open()) {
    return;
  }
  const auto now = Clock::now();
  while (!queue_.empty() && in_flight_.size() < max_in_flight_ &&
         connection_->write_backlog() < kMaxWriteBacklog) {
    auto message = std::move(queue_.front());
    queue_.pop_front();
    if (client_.expired(*message, now)) {
      client_.complete(
          std::move(message),
          Error(ErrorCode::delivery_timeout,
                "not confirmed within delivery.timeout.ms=" +
                    std::to_string(client_.config().get_duration("delivery.timeout.ms").count())));
      continue;
    }
    try {
      write(message);
    } catch (const Exception& e) {
      // Checked in send() already; kept so that a message that cannot be encoded fails alone.
      client_.complete(std::move(message), e.error());
    }
  }
}

void AmqpTransport::write(client::OutgoingPtr& message) {
  BasicPublish publish;
  const std::string_view destination = message->destination;
  if (const auto exchange = exchange_of(destination)) {
    publish.exchange = std::string(*exchange);
    publish.routing_key = message->message.key;
  } else {
    publish.routing_key = message->destination;  // the default exchange routes to the queue
  }
  publish.mandatory = mandatory_;
  const auto& body = message->message.body;
  const ContentHeader header{.class_id = 60,
                             .body_size = body.size(),
                             .properties = to_properties(message->message, message->compressed,
                                                         message->delivery_attempt)};
  publisher_->publish(publish, header, bytes_of(body));
  ++message->attempts;
  auto& metrics = client_.metrics();
  metrics.sent.add();
  metrics.bytes_sent.add(body.size());
  if (message->attempts > 1) {
    metrics.retried.add();
  }
  in_flight_.push_back(InFlight{.tag = next_tag_++, .message = std::move(message), .returned = {}});
}

void AmqpTransport::on_publisher_async(Incoming&& incoming) {
  if (const auto* ack = std::get_if<BasicAck>(&incoming.method)) {
    confirm(ack->delivery_tag, ack->multiple, true);
  } else if (const auto* nack = std::get_if<BasicNack>(&incoming.method)) {
    confirm(nack->delivery_tag, nack->multiple, false);
  } else if (const auto* returned = std::get_if<BasicReturn>(&incoming.method)) {
    // A mandatory message no queue took. Its confirm follows; the return is matched to it by
    // message id (every postwire message has one).
    if (!incoming.header || !incoming.header->properties.message_id) {
      return;
    }
    const auto& id = *incoming.header->properties.message_id;
    for (auto& entry : in_flight_) {
      if (entry.returned.is_ok() && entry.message->message.id == id) {
        client_.metrics().returned.add();
        const bool to_exchange = !returned->exchange.empty();
        entry.returned = Error(
            ErrorCode::unroutable,
            (to_exchange ? "no queue is bound to exchange '" + returned->exchange +
                               "' for routing key '" + returned->routing_key + "'"
                         : "no queue named '" + returned->routing_key + "'") +
                " (" + std::to_string(returned->reply_code) + " " + returned->reply_text + ")");
        break;
      }
    }
  }
}

void AmqpTransport::confirm(std::uint64_t tag, bool multiple, bool ack) {
  const auto settle = [&](InFlight& entry) {
    if (!ack) {
      retry_or_fail(std::move(entry.message),
                    Error(ErrorCode::broker_nacked,
                          "the broker could not store message " + entry.message->message.id));
    } else {
      client_.complete(std::move(entry.message), entry.returned);
    }
  };
  if (multiple) {
    while (!in_flight_.empty() && in_flight_.front().tag <= tag) {
      InFlight entry = std::move(in_flight_.front());
      in_flight_.pop_front();
      settle(entry);
    }
  } else if (!in_flight_.empty() && in_flight_.front().tag == tag) {
    InFlight entry = std::move(in_flight_.front());
    in_flight_.pop_front();
    settle(entry);
  } else {
    // Tags are ascending in the window, so a binary search finds one confirmed out of order.
    auto it =
        std::lower_bound(in_flight_.begin(), in_flight_.end(), tag,
                         [](const InFlight& entry, std::uint64_t t) { return entry.tag < t; });
    if (it != in_flight_.end() && it->tag == tag) {
      InFlight entry = std::move(*it);
      in_flight_.erase(it);
      settle(entry);
    }
  }
  pump();
}

void AmqpTransport::retry_or_fail(client::OutgoingPtr message, const Error& error) {
  auto decision = client_.retry(*message, error, Clock::now());
  if (decision.when) {
    asio::co_spawn(client_.io().executor(), retry_later(std::move(message), *decision.when),
                   asio::detached);
    return;
  }
  client_.complete(std::move(message), decision.reason);
}

asio::awaitable<void> AmqpTransport::retry_later(client::OutgoingPtr message,
                                                 Clock::time_point when) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(when);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  if (closing_ || failed_) {
    client_.complete(std::move(message),
                     failed_ ? fatal_error_ : Error(ErrorCode::closed, "the client is closed"));
    co_return;
  }
  queue_.push_front(std::move(message));
  pump();
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
  const auto sent_to_missing_exchange = [&](std::string_view destination) {
    const auto exchange = exchange_of(destination);
    return exchange && *exchange == *missing_exchange;
  };
  bool blamed = false;
  std::deque<InFlight> survivors;
  for (auto& entry : in_flight_) {
    const bool culprit =
        missing_exchange ? sent_to_missing_exchange(entry.message->destination) : !blamed;
    if (culprit) {
      blamed = true;
      client_.complete(std::move(entry.message),
                       Error(error.code(), error.message(), false, false));
    } else {
      survivors.push_back(std::move(entry));
    }
  }
  in_flight_ = std::move(survivors);
  if (missing_exchange) {
    // Queued messages for the same missing exchange would only close the next channel.
    std::deque<client::OutgoingPtr> keep;
    for (auto& message : queue_) {
      if (sent_to_missing_exchange(message->destination)) {
        client_.complete(std::move(message), Error(error.code(), error.message(), false, false));
      } else {
        keep.push_back(std::move(message));
      }
    }
    queue_ = std::move(keep);
  }
  requeue_in_flight();
  publisher_.reset();
  asio::co_spawn(
      client_.io().executor(),
      [](AmqpTransport* self) -> asio::awaitable<void> {
        try {
          co_await self->open_publisher();
          self->pump();
        } catch (const Exception& e) {
          if (self->connection_ && self->connection_->alive()) {
            self->connection_->abort(e.error());  // recovery starts over
          }
        }
      }(this),
      asio::detached);
}

void AmqpTransport::requeue_in_flight() {
  for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) {
    queue_.push_front(std::move(it->message));
  }
  in_flight_.clear();
}

void AmqpTransport::expire_queued() {
  const auto now = Clock::now();
  std::deque<client::OutgoingPtr> keep;
  for (auto& message : queue_) {
    if (client_.expired(*message, now)) {
      client_.complete(
          std::move(message),
          Error(ErrorCode::delivery_timeout,
                "not confirmed within delivery.timeout.ms (the broker was unreachable" +
                    (last_error_.is_ok() ? std::string(")") : ": " + last_error_.message() + ")")));
    } else {
      keep.push_back(std::move(message));
    }
  }
  queue_ = std::move(keep);
}

void AmqpTransport::fail_everything(const Error& error) {
  drain_inbox();
  requeue_in_flight();
  auto queued = std::move(queue_);
  queue_.clear();
  for (auto& message : queued) {
    client_.complete(std::move(message), error);
  }
}

}  // namespace postwire::amqp
