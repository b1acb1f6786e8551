#include "transport/amqp/channel.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "transport/amqp/reply_codes.hpp"

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;

// Methods the broker sends on its own, not as a reply.
bool is_async(const Method& method) {
  return std::holds_alternative<BasicDeliver>(method) || std::holds_alternative<BasicAck>(method) ||
         std::holds_alternative<BasicNack>(method) || std::holds_alternative<BasicReturn>(method) ||
         std::holds_alternative<BasicCancel>(method) || std::holds_alternative<ChannelFlow>(method);
}

}  // namespace

Channel::Channel(std::shared_ptr<Connection> connection, std::chrono::milliseconds request_timeout)
    : connection_(std::move(connection)), request_timeout_(request_timeout) {}

Channel::~Channel() {
  if (number_ != 0 && connection_->alive()) {
    connection_->release_channel(number_);
  }
}

asio::awaitable<std::shared_ptr<Channel>> Channel::open(std::shared_ptr<Connection> connection,
                                                        std::chrono::milliseconds request_timeout) {
  auto channel = std::make_shared<Channel>(connection, request_timeout);
  if (!connection->alive()) {
    throw Exception(ErrorCode::connection_closed,
                    "the connection to " + connection->peer() + " is closed");
  }
  channel->number_ = connection->allocate_channel(*channel);
  if (channel->number_ == 0) {
    throw Exception(ErrorCode::queue_full,
                    "every channel of the connection to " + connection->peer() + " is in use");
  }
  channel->open_ = true;
  Method request = ChannelOpen{};
  co_await channel->call_for<ChannelOpenOk>(std::move(request));
  co_return channel;
}

asio::awaitable<Method> Channel::call(Method request) {
  if (!open_) {
    throw Exception(error_.is_ok() ? Error(ErrorCode::closed, "the channel is closed") : error_);
  }
  auto pending = std::make_shared<Pending>(co_await asio::this_coro::executor);
  pending_.push_back(pending);
  connection_->send_method(number_, request);
  pending->wake.expires_after(request_timeout_);
  boost::system::error_code ignored;
  co_await pending->wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  if (!pending->done) {
    const std::string what(method_name(request));
    // The reply may still come: this channel can no longer match replies to requests.
    fail(Error(ErrorCode::timed_out,
               what + " got no reply from " + connection_->peer() +
                   " within request.timeout.ms=" + std::to_string(request_timeout_.count())));
    close();
  }
  if (!pending->error.is_ok()) {
    throw Exception(pending->error);
  }
  co_return std::move(*pending->reply);
}

void Channel::send(const Method& method) {
  if (open_) {
    connection_->send_method(number_, method);
  }
}

void Channel::publish(const BasicPublish& publish, const ContentHeader& header,
                      std::span<const std::uint8_t> body) {
  if (open_) {
    connection_->send_content(number_, publish, header, body);
  }
}

void Channel::close() {
  if (!open_) {
    return;
  }
  connection_->send_method(number_, ChannelClose{.reply_code = 200,
                                                 .reply_text = "closed by the application",
                                                 .class_id = 0,
                                                 .method_id = 0});
  fail(Error(ErrorCode::closed, "the channel was closed"));
}

void Channel::on_incoming(Incoming&& incoming) {
  if (const auto* close = std::get_if<ChannelClose>(&incoming.method)) {
    connection_->send_method(number_, ChannelCloseOk{});
    fail(error_from_close(CloseScope::channel, close->reply_code, close->reply_text,
                          close->class_id, close->method_id, false));
    return;
  }
  if (std::holds_alternative<ChannelCloseOk>(incoming.method)) {
    connection_->release_channel(number_);
    number_ = 0;
    return;
  }
  if (is_async(incoming.method)) {
    if (std::holds_alternative<ChannelFlow>(incoming.method)) {
      connection_->send_method(
          number_, ChannelFlowOk{.active = std::get<ChannelFlow>(incoming.method).active});
      return;
    }
    if (on_async) {
      on_async(std::move(incoming));
    }
    return;
  }
  if (pending_.empty()) {
    return;  // a reply to a request that timed out
  }
  auto pending = std::move(pending_.front());
  pending_.pop_front();
  pending->reply = std::move(incoming.method);
  pending->done = true;
  pending->wake.cancel();
}

void Channel::on_connection_lost(const Error& error) {
  number_ = 0;  // the connection forgot the channel already
  fail(error);
}

void Channel::fail(const Error& error) {
  if (!open_ && pending_.empty()) {
    return;
  }
  const bool was_open = open_;
  open_ = false;
  error_ = error;
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& waiter : pending) {
    waiter->error = error;
    waiter->done = true;
    waiter->wake.cancel();
  }
  if (was_open && on_closed) {
    on_closed(error);
  }
}

}  // namespace postwire::amqp
