#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "postwire/broker_url.hpp"
#include "postwire/error.hpp"
#include "protocol/kafka/api.hpp"
#include "protocol/kafka/framing.hpp"
#include "runtime/connect.hpp"
#include "runtime/logger.hpp"
#include "runtime/stream.hpp"

namespace postwire::kafka {

struct SaslSettings {
  std::string mechanism;  // PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
  std::string username;
  std::string password;
};

// How to reach and log in to one Kafka broker.
struct ConnectionSettings {
  ConnectionSettings() = default;  // not an aggregate: see HostPort (GCC 12 and co_await)

  runtime::ConnectOptions connect;
  std::string client_id = "postwire";
  std::optional<SaslSettings> sasl;
  std::chrono::milliseconds request_timeout{30'000};
  // A connection with a request outstanding that reads nothing for two intervals (plus the
  // time a fetch may wait on purpose) is dead: what catches a half-open connection long before
  // request.timeout.ms. 0 turns the check off.
  std::chrono::milliseconds heartbeat{20'000};
  // The largest response frame accepted (fetch.max.bytes plus room for the framing).
  std::size_t max_response_bytes = std::size_t{64} << 20U;
};

// The answer to one request: the response body (valid only during the call) at the version
// it was sent with, or the error that ended the request (its connection's).
using ResponseHandler = std::function<void(const Error& error, std::span<const std::uint8_t> body,
                                           std::int16_t version)>;

// One connection to one broker: the socket, ApiVersions and SASL at the start, requests
// pipelined (Kafka answers them in order on a connection), a request that waits longer than
// request.timeout.ms ends the connection (its answer can no longer be told from a later one).
// Runs on one IO thread; nothing here is thread-safe.
class BrokerConnection : public std::enable_shared_from_this<BrokerConnection> {
 public:
  // Connects, agrees API versions and authenticates; the connection then runs by itself until
  // it dies or is aborted, and calls `on_lost` once either way. `node_id` is -1 for a
  // bootstrap host. Throws the connect error, authentication_failed, or not_supported for a
  // broker too old for this client.
  static boost::asio::awaitable<std::shared_ptr<BrokerConnection>> open(
      HostPort target, std::int32_t node_id, ConnectionSettings settings,
      const runtime::Logger* logger, std::function<void(const Error&)> on_lost);

  BrokerConnection(runtime::Stream stream, std::int32_t node_id, ConnectionSettings settings,
                   const runtime::Logger* logger);
  ~BrokerConnection();
  BrokerConnection(const BrokerConnection&) = delete;
  BrokerConnection& operator=(const BrokerConnection&) = delete;

  // The version to send `key` at: the newest both sides speak. Throws not_supported naming
  // the API and both ranges when there is none.
  [[nodiscard]] std::int16_t version(ApiKey key) const;
  [[nodiscard]] bool supports(ApiKey key) const;

  // Queues `request`; `handler` runs once with the answer or with the connection's error.
  template <typename Request>
  void send(const Request& request, ResponseHandler handler) {
    const std::int16_t v = version(Request::api_key);
    const std::int32_t correlation = next_correlation_++;
    encode_request(out_, v, correlation, settings_.client_id, request);
    std::chrono::milliseconds waits{0};
    if constexpr (requires { request.max_wait_ms; }) {
      waits = std::chrono::milliseconds(request.max_wait_ms);
    }
    const auto now = std::chrono::steady_clock::now();
    if (pending_.empty()) last_read_ = now;  // silence counts from the first request
    pending_.push_back(Pending{correlation, Request::api_key, v, std::move(handler),
                               now + settings_.request_timeout, waits});
    wake_writer();
  }
  // Queues a request the broker does not answer (a produce with acks=0).
  template <typename Request>
  void send_without_answer(const Request& request) {
    encode_request(out_, version(Request::api_key), next_correlation_++, settings_.client_id,
                   request);
    wake_writer();
  }
  // The decoded answer, or the connection's error thrown.
  template <typename Response, typename Request>
  boost::asio::awaitable<Response> call(const Request& request);

  // Requests sent and not yet answered.
  [[nodiscard]] std::size_t in_flight() const noexcept { return pending_.size(); }
  // Bytes queued and not yet written.
  [[nodiscard]] std::size_t write_backlog() const noexcept { return out_.size(); }
  [[nodiscard]] bool alive() const noexcept { return !finished_; }
  [[nodiscard]] std::int32_t node_id() const noexcept { return node_id_; }
  [[nodiscard]] const std::string& peer() const noexcept { return stream_.peer(); }

  // Drops the connection at once: every request still waiting gets `error`.
  void abort(const Error& error);

 private:
  struct Pending {
    std::int32_t correlation_id = 0;
    ApiKey key{};
    std::int16_t version = 0;
    ResponseHandler handler;
    std::chrono::steady_clock::time_point deadline;
    std::chrono::milliseconds waits{0};  // how long the broker may hold it (a fetch's max wait)
  };

  boost::asio::awaitable<void> negotiate_versions();
  boost::asio::awaitable<void> authenticate();
  boost::asio::awaitable<std::string> sasl_round(std::string bytes);
  void start(std::function<void(const Error&)> on_lost);
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> timeout_loop();
  void dispatch(std::span<const std::uint8_t> frame);
  void finish(const Error& error);
  void wake_writer();

  runtime::Stream stream_;
  std::int32_t node_id_;
  ConnectionSettings settings_;
  const runtime::Logger* logger_;
  std::map<ApiKey, VersionRange> broker_versions_;

  std::vector<std::uint8_t> in_;  // bytes read and not yet dispatched, from in_start_
  std::size_t in_start_ = 0;
  std::vector<std::uint8_t> out_;      // queued requests
  std::vector<std::uint8_t> writing_;  // requests being written
  std::deque<Pending> pending_;
  std::int32_t next_correlation_ = 1;
  boost::asio::steady_timer write_signal_;
  boost::asio::steady_timer timeout_timer_;
  std::chrono::steady_clock::time_point last_read_;
  bool writer_waiting_ = false;
  bool finished_ = false;
  Error error_;
  std::function<void(const Error&)> on_lost_;
};

template <typename Response, typename Request>
boost::asio::awaitable<Response> BrokerConnection::call(const Request& request) {
  // The answer arrives through a handler; the coroutine waits on a timer that the handler
  // cancels. Shared: the handler may outlive this frame if the connection dies first.
  struct Outcome {
    bool done = false;
    Error error;
    std::optional<Response> response;
    std::exception_ptr decode_failure;
  };
  auto outcome = std::make_shared<Outcome>();
  auto signal = std::make_shared<boost::asio::steady_timer>(
      stream_.socket().get_executor(), std::chrono::steady_clock::time_point::max());
  send(request, [outcome, signal](const Error& error, std::span<const std::uint8_t> body,
                                  std::int16_t version) {
    outcome->done = true;
    if (error) {
      outcome->error = error;
    } else {
      try {
        outcome->response = Response::decode(body, version);
      } catch (...) {
        outcome->decode_failure = std::current_exception();
      }
    }
    signal->cancel();
  });
  while (!outcome->done) {
    boost::system::error_code ignored;
    co_await signal->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
  }
  if (outcome->decode_failure) std::rethrow_exception(outcome->decode_failure);
  if (outcome->error) throw Exception(outcome->error);
  co_return std::move(*outcome->response);
}

}  // namespace postwire::kafka
