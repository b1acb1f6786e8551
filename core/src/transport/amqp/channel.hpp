#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "postwire/error.hpp"
#include "protocol/amqp/content.hpp"
#include "transport/amqp/connection.hpp"

namespace postwire::amqp {

// One AMQP channel: synchronous requests (declare, qos, consume, ...) answered in order, and
// asynchronous methods (deliveries, confirms, returns, broker-side cancels) handed to
// `on_async`. A channel closed by the broker or lost with its connection fails its pending
// requests with the reason and is not reused. IO thread only.
class Channel : public ChannelHandler, public std::enable_shared_from_this<Channel> {
 public:
  // Opens a channel on `connection`. Throws when none is free or the broker refuses.
  static boost::asio::awaitable<std::shared_ptr<Channel>> open(
      std::shared_ptr<Connection> connection, std::chrono::milliseconds request_timeout);

  Channel(std::shared_ptr<Connection> connection, std::chrono::milliseconds request_timeout);
  ~Channel() override;
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Sends `request` and returns the broker's reply. Throws the channel's close reason, or
  // timed_out after request.timeout.ms.
  boost::asio::awaitable<Method> call(Method request);
  // The reply must be of type Reply (else protocol_error).
  template <typename Reply>
  boost::asio::awaitable<Reply> call_for(Method request) {
    Method reply = co_await call(std::move(request));
    if (auto* typed = std::get_if<Reply>(&reply)) {
      co_return std::move(*typed);
    }
    throw Exception(ErrorCode::protocol_error,
                    "unexpected reply " + std::string(method_name(reply)));
  }

  // Methods without a reply (basic.ack, basic.publish, ...).
  void send(const Method& method);
  void publish(const BasicPublish& publish, const ContentHeader& header,
               std::span<const std::uint8_t> body);

  // Asks the broker to close the channel; pending requests fail.
  void close();

  [[nodiscard]] bool is_open() const noexcept { return open_; }
  [[nodiscard]] const Error& error() const noexcept { return error_; }
  [[nodiscard]] std::uint16_t number() const noexcept { return number_; }
  [[nodiscard]] Connection& connection() noexcept { return *connection_; }

  std::function<void(Incoming&&)> on_async;
  std::function<void(const Error&)> on_closed;

  void on_incoming(Incoming&& incoming) override;
  void on_connection_lost(const Error& error) override;

 private:
  struct Pending {
    explicit Pending(const boost::asio::any_io_executor& executor) : wake(executor) {}
    boost::asio::steady_timer wake;
    std::optional<Method> reply;
    Error error;
    bool done = false;
  };

  void fail(const Error& error);

  std::shared_ptr<Connection> connection_;
  std::chrono::milliseconds request_timeout_;
  std::uint16_t number_ = 0;
  bool open_ = false;
  Error error_;
  std::deque<std::shared_ptr<Pending>> pending_;
};

}  // namespace postwire::amqp
