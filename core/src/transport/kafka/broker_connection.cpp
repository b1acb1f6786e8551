#include "transport/kafka/broker_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <utility>

#include "protocol/kafka/error_codes.hpp"
#include "protocol/kafka/messages/api_versions.hpp"
#include "protocol/kafka/messages/sasl_authenticate.hpp"
#include "protocol/kafka/messages/sasl_handshake.hpp"
#include "protocol/kafka/scram.hpp"

#ifndef POSTWIRE_VERSION_STRING
#define POSTWIRE_VERSION_STRING "0.0.0"
#endif

namespace postwire::kafka {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = std::size_t{256} * 1024;

Error error_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Exception& e) {
    return e.error();
  } catch (const std::exception& e) {
    return {ErrorCode::network_error, e.what()};
  }
}

std::string range_text(VersionRange range) {
  return std::to_string(range.min) + ".." + std::to_string(range.max);
}

}  // namespace

BrokerConnection::BrokerConnection(runtime::Stream stream, std::int32_t node_id,
                                   ConnectionSettings settings, const runtime::Logger* logger)
    : stream_(std::move(stream)),
      node_id_(node_id),
      settings_(std::move(settings)),
      logger_(logger),
      write_signal_(stream_.socket().get_executor()),
      timeout_timer_(stream_.socket().get_executor()),
      last_read_(Clock::now()) {}

BrokerConnection::~BrokerConnection() = default;

asio::awaitable<std::shared_ptr<BrokerConnection>> BrokerConnection::open(
    HostPort target, std::int32_t node_id, ConnectionSettings settings,
    const runtime::Logger* logger, std::function<void(const Error&)> on_lost) {
  auto stream = co_await runtime::connect(target, settings.connect);
  auto connection =
      std::make_shared<BrokerConnection>(std::move(stream), node_id, std::move(settings), logger);
  connection->start(std::move(on_lost));
  try {
    co_await connection->negotiate_versions();
    if (connection->settings_.sasl) {
      co_await connection->authenticate();
    }
  } catch (const Exception& e) {
    connection->abort(e.error());
    throw;
  }
  co_return connection;
}

bool BrokerConnection::supports(ApiKey key) const {
  const auto it = broker_versions_.find(key);
  return it != broker_versions_.end() && pick_version(key, it->second).has_value();
}

std::int16_t BrokerConnection::version(ApiKey key) const {
  const auto it = broker_versions_.find(key);
  if (it == broker_versions_.end()) {
    throw Exception(ErrorCode::not_supported,
                    "kafka broker " + peer() + " does not offer " + std::string(api_name(key)));
  }
  if (const auto picked = pick_version(key, it->second)) {
    return *picked;
  }
  throw Exception(ErrorCode::not_supported, "kafka broker " + peer() + " offers " +
                                                std::string(api_name(key)) + " versions " +
                                                range_text(it->second) + ", this client speaks " +
                                                range_text(client_versions(key)));
}

asio::awaitable<void> BrokerConnection::negotiate_versions() {
  // Until the broker says which versions it has, ApiVersions goes at our newest; a broker
  // without it answers UNSUPPORTED_VERSION with its own range (KIP-511), and we ask again.
  broker_versions_[ApiKey::api_versions] = client_versions(ApiKey::api_versions);
  ApiVersionsRequest request;
  request.client_software_name = "postwire";
  request.client_software_version = POSTWIRE_VERSION_STRING;
  auto response = co_await call<ApiVersionsResponse>(request);
  if (response.error_code == kafka_errc::unsupported_version) {
    VersionRange theirs{0, 0};
    for (const auto& api : response.api_keys) {
      if (api.api_key == static_cast<std::int16_t>(ApiKey::api_versions)) {
        theirs = VersionRange{api.min_version, api.max_version};
      }
    }
    broker_versions_[ApiKey::api_versions] = theirs;
    response = co_await call<ApiVersionsResponse>(request);
  }
  if (response.error_code != kafka_errc::none) {
    throw Exception(ErrorCode::protocol_error,
                    "kafka broker " + peer() + " refused ApiVersions: " +
                        std::string(kafka_error(response.error_code).name));
  }
  broker_versions_.clear();
  for (const auto& api : response.api_keys) {
    broker_versions_[static_cast<ApiKey>(api.api_key)] =
        VersionRange{api.min_version, api.max_version};
  }
}

asio::awaitable<std::string> BrokerConnection::sasl_round(std::string bytes) {
  SaslAuthenticateRequest request;
  request.auth_bytes = {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
  const auto response = co_await call<SaslAuthenticateResponse>(request);
  if (response.error_code != kafka_errc::none) {
    throw Exception(ErrorCode::authentication_failed,
                    "kafka broker " + peer() + " refused the login of '" +
                        settings_.sasl->username + "' (" + settings_.sasl->mechanism +
                        "): " + std::string(kafka_error(response.error_code).name) +
                        (response.error_message ? ": " + *response.error_message : ""));
  }
  co_return std::string(response.auth_bytes.begin(), response.auth_bytes.end());
}

asio::awaitable<void> BrokerConnection::authenticate() {
  const SaslSettings& sasl = *settings_.sasl;
  SaslHandshakeRequest handshake;
  handshake.mechanism = sasl.mechanism;
  const auto offered = co_await call<SaslHandshakeResponse>(handshake);
  if (offered.error_code != kafka_errc::none) {
    std::string mechanisms;
    for (const auto& m : offered.mechanisms) {
      mechanisms += (mechanisms.empty() ? "" : ", ") + m;
    }
    throw Exception(ErrorCode::authentication_failed,
                    "kafka broker " + peer() + " does not offer SASL " + sasl.mechanism +
                        " (it offers: " + (mechanisms.empty() ? "none" : mechanisms) + ")");
  }
  if (sasl.mechanism == "PLAIN") {
    // RFC 4616: authorization id (empty), user name, password, separated by NUL.
    std::string message;
    message.push_back('\0');
    message += sasl.username;
    message.push_back('\0');
    message += sasl.password;
    co_await sasl_round(std::move(message));
  } else {
    ScramClient scram(sasl.mechanism == "SCRAM-SHA-512" ? ScramHash::sha512 : ScramHash::sha256,
                      sasl.username, sasl.password);
    const std::string server_first = co_await sasl_round(scram.client_first());
    const std::string server_final = co_await sasl_round(scram.client_final(server_first));
    scram.verify_server_final(server_final);
  }
  if (logger_ != nullptr) {
    logger_->log(LogLevel::debug, "kafka",
                 "logged in to " + peer() + " as '" + sasl.username + "' with " + sasl.mechanism);
  }
}

void BrokerConnection::start(std::function<void(const Error&)> on_lost) {
  on_lost_ = std::move(on_lost);
  auto self = shared_from_this();
  auto done = [self](const std::exception_ptr& failure) {
    if (failure) {
      self->finish(error_of(failure));
    }
  };
  const auto executor = stream_.socket().get_executor();
  asio::co_spawn(executor, read_loop(), done);
  asio::co_spawn(executor, write_loop(), done);
  asio::co_spawn(executor, timeout_loop(), done);
}

asio::awaitable<void> BrokerConnection::read_loop() {
  while (!finished_) {
    if (in_start_ > 0 && in_start_ == in_.size()) {
      in_.clear();
      in_start_ = 0;
    }
    const std::size_t used = in_.size();
    in_.resize(used + kReadChunk);
    std::size_t n = 0;
    try {
      n = co_await stream_.read_some(asio::buffer(in_.data() + used, kReadChunk));
      last_read_ = Clock::now();
    } catch (...) {
      in_.resize(used);
      throw;
    }
    in_.resize(used + n);
    while (!finished_) {
      const auto buffered = std::span<const std::uint8_t>(in_).subspan(in_start_);
      const std::size_t size = complete_frame_size(buffered, settings_.max_response_bytes);
      if (size == 0) break;
      dispatch(buffered.subspan(4, size - 4));
      in_start_ += size;
    }
    // Keep the unread tail at the front so the buffer does not grow with the stream.
    if (in_start_ > 0 && !finished_) {
      in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(in_start_));
      in_start_ = 0;
    }
  }
}

void BrokerConnection::dispatch(std::span<const std::uint8_t> frame) {
  const std::int32_t correlation = peek_correlation_id(frame);
  if (pending_.empty() || pending_.front().correlation_id != correlation) {
    throw Exception(
        ErrorCode::protocol_error,
        "kafka broker " + peer() + " answered request " + std::to_string(correlation) +
            (pending_.empty() ? " which was never sent"
                              : " before " + std::to_string(pending_.front().correlation_id)));
  }
  Pending request = std::move(pending_.front());
  pending_.pop_front();
  const auto header =
      read_response_header(frame, flexible_response_header(request.key, request.version));
  request.handler(Error{}, header.body, request.version);
}

asio::awaitable<void> BrokerConnection::write_loop() {
  while (!finished_) {
    if (out_.empty()) {
      boost::system::error_code ignored;
      write_signal_.expires_at(Clock::time_point::max());
      writer_waiting_ = true;
      co_await write_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      writer_waiting_ = false;
      continue;
    }
    writing_.clear();
    writing_.swap(out_);
    co_await stream_.write_all(asio::buffer(writing_));
  }
}

asio::awaitable<void> BrokerConnection::timeout_loop() {
  // Kafka answers in order, so the oldest request is the one to watch: past its deadline
  // (request.timeout.ms), or with nothing read for two heartbeat intervals beyond the time it
  // may wait on purpose, the connection is given up.
  const auto heartbeat = settings_.heartbeat;
  while (!finished_) {
    auto wake_at = Clock::now() + settings_.request_timeout;
    if (!pending_.empty()) {
      wake_at = pending_.front().deadline;
      if (heartbeat.count() > 0) wake_at = std::min(wake_at, Clock::now() + heartbeat / 4);
    } else if (heartbeat.count() > 0) {
      wake_at = Clock::now() + heartbeat / 4;
    }
    timeout_timer_.expires_at(wake_at);
    boost::system::error_code ignored;
    co_await timeout_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (finished_ || pending_.empty()) continue;
    const auto now = Clock::now();
    const Pending& oldest = pending_.front();
    if (oldest.deadline <= now) {
      abort(Error(
          ErrorCode::timed_out,
          "kafka broker " + peer() + " did not answer " + std::string(api_name(oldest.key)) +
              " within request.timeout.ms=" + std::to_string(settings_.request_timeout.count())));
    } else if (heartbeat.count() > 0 && now - last_read_ > 2 * heartbeat + oldest.waits) {
      abort(Error(
          ErrorCode::timed_out,
          "kafka broker " + peer() + " sent nothing for " +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::milliseconds>(now - last_read_).count()) +
              " ms with " + std::string(api_name(oldest.key)) +
              " unanswered (two heartbeat.interval.ms=" + std::to_string(heartbeat.count()) +
              "): the connection is dead"));
    }
  }
}

void BrokerConnection::wake_writer() {
  if (writer_waiting_) {
    write_signal_.cancel();
  }
}

void BrokerConnection::abort(const Error& error) { finish(error); }

void BrokerConnection::finish(const Error& error) {
  if (finished_) return;
  finished_ = true;
  error_ = error;
  stream_.close();
  write_signal_.cancel();
  timeout_timer_.cancel();
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& request : pending) {
    request.handler(error, {}, request.version);
  }
  if (on_lost_) {
    auto on_lost = std::move(on_lost_);
    on_lost(error);
  }
}

}  // namespace postwire::kafka
