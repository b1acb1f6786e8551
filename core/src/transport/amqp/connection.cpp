#include "transport/amqp/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

#include "transport/amqp/reply_codes.hpp"

#ifndef POSTWIRE_VERSION_STRING
#define POSTWIRE_VERSION_STRING "0.0.0"
#endif

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::uint16_t kChannelMaxWanted = 2047;
constexpr std::size_t kReadChunk = std::size_t{64} * 1024;
constexpr std::uint16_t kReplySuccess = 200;  // spec constant reply-success

FieldTable client_properties(const ConnectionSettings& settings) {
  // The capabilities RabbitMQ looks for in client-properties
  // (https://www.rabbitmq.com/docs/connections#capabilities).
  FieldTable capabilities;
  for (const char* name :
       {"publisher_confirms", "exchange_exchange_bindings", "basic.nack", "consumer_cancel_notify",
        "connection.blocked", "authentication_failure_close"}) {
    capabilities.set(name, FieldValue(true));
  }
  FieldTable properties;
  properties.set("product", FieldValue("postwire"));
  properties.set("version", FieldValue(POSTWIRE_VERSION_STRING));
  properties.set("platform", FieldValue("C++20"));
  properties.set("capabilities", FieldValue(std::move(capabilities)));
  if (!settings.connection_name.empty()) {
    properties.set("connection_name", FieldValue(settings.connection_name));
  }
  return properties;
}

bool offers(std::string_view mechanisms, std::string_view wanted) {
  std::size_t start = 0;
  while (start <= mechanisms.size()) {
    const std::size_t end = std::min(mechanisms.find(' ', start), mechanisms.size());
    if (mechanisms.substr(start, end - start) == wanted) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

Error error_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Exception& e) {
    return e.error();
  } catch (const std::exception& e) {
    return {ErrorCode::network_error, e.what()};
  }
}

std::uint16_t negotiate_heartbeat(milliseconds wanted, std::uint16_t offered) {
  if (wanted.count() == 0) {
    return 0;
  }
  const auto seconds = static_cast<std::uint16_t>(
      std::min<std::int64_t>(std::max<std::int64_t>((wanted.count() + 999) / 1000, 1), 0xFFFF));
  return offered == 0 ? seconds : std::min(seconds, offered);
}

}  // namespace

Connection::Connection(runtime::Stream stream, ConnectionSettings settings,
                       const runtime::Logger* logger)
    : stream_(std::move(stream)),
      settings_(std::move(settings)),
      logger_(logger),
      write_signal_(stream_.socket().get_executor()),
      heartbeat_timer_(stream_.socket().get_executor()),
      closed_signal_(stream_.socket().get_executor()),
      last_read_(Clock::now()),
      last_write_(Clock::now()) {}

Connection::~Connection() { stream_.close(); }

asio::awaitable<std::shared_ptr<Connection>> Connection::open(
    ConnectionSettings settings, const runtime::Logger* logger,
    std::function<void(const Error&)> on_lost) {
  std::string attempts;
  Error last(ErrorCode::invalid_argument, "the URL names no host");
  const auto executor = co_await asio::this_coro::executor;
  for (const auto& host : settings.hosts) {
    std::shared_ptr<Connection> connection;
    bool timed_out = false;
    asio::steady_timer watchdog(executor);
    try {
      runtime::ConnectOptions options = settings.connect;
      auto stream = co_await runtime::connect(host, options);
      connection = std::make_shared<Connection>(std::move(stream), settings, logger);
      // The handshake gets the same time limit as the TCP and TLS setup before it.
      watchdog.expires_after(settings.connect.timeout);
      std::weak_ptr<Connection> weak = connection;
      watchdog.async_wait([weak, &timed_out](const boost::system::error_code& ec) {
        if (!ec) {
          if (auto alive = weak.lock()) {
            timed_out = true;
            alive->stream_.close();
          }
        }
      });
      co_await connection->handshake();
      watchdog.cancel();
      connection->start(std::move(on_lost));
      co_return connection;
    } catch (const Exception& e) {
      watchdog.cancel();
      last = timed_out
                 ? Error(ErrorCode::timed_out,
                         "the AMQP handshake with " + host.to_string() + " did not finish within " +
                             std::to_string(settings.connect.timeout.count()) + " ms")
                 : e.error();
    }
    if (last.fatal()) {
      throw Exception(last);
    }
    attempts += attempts.empty() ? "" : "; ";
    attempts += last.message();
  }
  if (settings.hosts.size() > 1) {
    throw Exception(Error(last.code(), "no broker could be reached: " + attempts, last.retriable(),
                          last.fatal()));
  }
  throw Exception(last);
}

asio::awaitable<Method> Connection::read_handshake_method() {
  for (;;) {
    while (auto frame = reader_.next()) {
      if (frame->type == FrameType::heartbeat) {
        continue;
      }
      if (frame->type != FrameType::method || frame->channel != 0) {
        throw Exception(ErrorCode::protocol_error,
                        "unexpected frame during the AMQP handshake with " + peer());
      }
      Method method = decode_method(frame->payload);
      if (const auto* close = std::get_if<ConnectionClose>(&method)) {
        throw Exception(error_from_close(CloseScope::connection, close->reply_code,
                                         close->reply_text, close->class_id, close->method_id,
                                         true));
      }
      co_return method;
    }
    auto space = reader_.prepare(kReadChunk);
    const std::size_t n = co_await stream_.read_some(asio::buffer(space.data(), space.size()));
    reader_.commit(n);
  }
}

asio::awaitable<void> Connection::handshake() {
  const auto header = protocol_header();
  co_await stream_.write_all(asio::buffer(header.data(), header.size()));

  Method method = co_await read_handshake_method();
  const auto* start = std::get_if<ConnectionStart>(&method);
  if (start == nullptr) {
    throw Exception(ErrorCode::protocol_error, std::string("expected connection.start from ") +
                                                   peer() + ", got " +
                                                   std::string(method_name(method)));
  }
  if (!offers(start->mechanisms, settings_.mechanism)) {
    throw Exception(Error(ErrorCode::authentication_failed,
                          peer() + " does not offer SASL mechanism " + settings_.mechanism +
                              " (it offers: " + start->mechanisms + ")",
                          false, true));
  }
  ConnectionStartOk start_ok;
  start_ok.client_properties = client_properties(settings_);
  start_ok.mechanism = settings_.mechanism;
  if (settings_.mechanism == "PLAIN") {
    // RFC 4616: authzid NUL authcid NUL password.
    start_ok.response = std::string(1, '\0') + settings_.username + '\0' + settings_.password;
  }
  std::vector<std::uint8_t> out;
  append_method_frame(out, 0, start_ok);
  co_await stream_.write_all(asio::buffer(out));

  method = co_await read_handshake_method();
  if (std::holds_alternative<ConnectionSecure>(method)) {
    throw Exception(ErrorCode::authentication_failed, peer() + " sent a SASL challenge, which " +
                                                          settings_.mechanism + " does not answer");
  }
  const auto* tune = std::get_if<ConnectionTune>(&method);
  if (tune == nullptr) {
    throw Exception(ErrorCode::protocol_error, "expected connection.tune from " + peer() +
                                                   ", got " + std::string(method_name(method)));
  }
  channel_max_ =
      tune->channel_max == 0 ? kChannelMaxWanted : std::min(tune->channel_max, kChannelMaxWanted);
  frame_max_ =
      tune->frame_max == 0 ? settings_.frame_max : std::min(tune->frame_max, settings_.frame_max);
  frame_max_ = std::max(frame_max_, frame_min_size);
  const std::uint16_t heartbeat = negotiate_heartbeat(settings_.heartbeat, tune->heartbeat);
  heartbeat_ = std::chrono::seconds(heartbeat);
  out.clear();
  append_method_frame(
      out, 0,
      ConnectionTuneOk{
          .channel_max = channel_max_, .frame_max = frame_max_, .heartbeat = heartbeat});
  append_method_frame(out, 0, ConnectionOpen{.virtual_host = settings_.vhost});
  co_await stream_.write_all(asio::buffer(out));
  reader_.set_frame_max(frame_max_);

  method = co_await read_handshake_method();
  if (!std::holds_alternative<ConnectionOpenOk>(method)) {
    throw Exception(ErrorCode::protocol_error, "expected connection.open-ok from " + peer() +
                                                   ", got " + std::string(method_name(method)));
  }
}

void Connection::start(std::function<void(const Error&)> on_lost) {
  on_lost_ = std::move(on_lost);
  last_read_ = last_write_ = Clock::now();
  auto self = shared_from_this();
  const auto done = [self](const std::exception_ptr& failure) {
    self->finish(failure ? error_of(failure)
                         : Error(ErrorCode::connection_closed,
                                 "the connection to " + self->peer() + " was closed"));
  };
  const auto executor = stream_.socket().get_executor();
  asio::co_spawn(executor, read_loop(), done);
  asio::co_spawn(executor, write_loop(), done);
  asio::co_spawn(executor, heartbeat_loop(), done);
}

asio::awaitable<void> Connection::read_loop() {
  while (!finished_) {
    auto space = reader_.prepare(kReadChunk);
    const std::size_t n = co_await stream_.read_some(asio::buffer(space.data(), space.size()));
    reader_.commit(n);
    last_read_ = Clock::now();
    while (!finished_) {
      auto frame = reader_.next();
      if (!frame) {
        break;
      }
      dispatch(*frame);
    }
  }
}

asio::awaitable<void> Connection::write_loop() {
  while (!finished_) {
    if (out_.empty()) {
      boost::system::error_code ignored;
      write_signal_.expires_at(Clock::time_point::max());
      writer_waiting_ = true;
      co_await write_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      writer_waiting_ = false;
      continue;
    }
    writing_.swap(out_);
    co_await stream_.write_all(asio::buffer(writing_));
    writing_.clear();
    last_write_ = Clock::now();
  }
}

asio::awaitable<void> Connection::heartbeat_loop() {
  if (heartbeat_.count() == 0) {
    // Heartbeats are off; this loop just waits for the end so that the three loops finish
    // together.
    boost::system::error_code ignored;
    heartbeat_timer_.expires_at(Clock::time_point::max());
    co_await heartbeat_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return;
  }
  const auto tick = std::max<milliseconds>(std::chrono::duration_cast<milliseconds>(heartbeat_) / 2,
                                           milliseconds(100));
  while (!finished_) {
    boost::system::error_code ec;
    heartbeat_timer_.expires_after(tick);
    co_await heartbeat_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (finished_) {
      break;
    }
    const auto now = Clock::now();
    if (now - last_write_ >= tick && out_.empty() && writing_.empty()) {
      append_heartbeat_frame(out_);
      wake_writer();
    }
    // Spec section 4.2.7: a peer silent for two heartbeat intervals is dead.
    if (now - last_read_ > 2 * heartbeat_) {
      abort(Error(
          ErrorCode::connection_closed,
          "no data from " + peer() + " for " +
              std::to_string(std::chrono::duration_cast<milliseconds>(now - last_read_).count()) +
              " ms (two heartbeat intervals); the connection is considered dead"));
    }
  }
}

void Connection::dispatch(const FrameView& frame) {
  if (frame.type == FrameType::heartbeat) {
    return;
  }
  if (frame.channel == 0) {
    if (frame.type != FrameType::method) {
      throw Exception(ErrorCode::protocol_error, "content frame on channel 0 from " + peer());
    }
    dispatch_connection_method(decode_method(frame.payload));
    return;
  }
  auto slot = channels_.find(frame.channel);
  if (slot == channels_.end()) {
    return;  // a channel we already released; the broker may still be finishing it
  }
  if (auto incoming = slot->second.assembler->feed(frame)) {
    slot->second.handler->on_incoming(std::move(*incoming));
  }
}

void Connection::dispatch_connection_method(const Method& method) {
  if (const auto* close = std::get_if<ConnectionClose>(&method)) {
    const Error error =
        error_from_close(CloseScope::connection, close->reply_code, close->reply_text,
                         close->class_id, close->method_id, false);
    append_method_frame(out_, 0, ConnectionCloseOk{});
    // Best effort: the close-ok goes out with whatever else is queued, then the socket closes.
    std::vector<std::uint8_t> last;
    last.swap(out_);
    auto self = shared_from_this();
    asio::co_spawn(
        stream_.socket().get_executor(),
        [self, bytes = std::move(last)]() -> asio::awaitable<void> {
          co_await self->stream_.write_all(asio::buffer(bytes));
        },
        [self, error](const std::exception_ptr&) { self->finish(error); });
    closing_ = true;
    return;
  }
  if (std::holds_alternative<ConnectionCloseOk>(method)) {
    finish(Error(ErrorCode::closed, "the connection to " + peer() + " was closed"));
    return;
  }
  if (const auto* blocked = std::get_if<ConnectionBlocked>(&method)) {
    if (on_blocked) {
      on_blocked(true, blocked->reason);
    }
    return;
  }
  if (std::holds_alternative<ConnectionUnblocked>(method)) {
    if (on_blocked) {
      on_blocked(false, {});
    }
    return;
  }
  if (std::holds_alternative<ConnectionUpdateSecretOk>(method)) {
    return;
  }
  throw Exception(ErrorCode::protocol_error, "unexpected " + std::string(method_name(method)) +
                                                 " on channel 0 from " + peer());
}

std::uint16_t Connection::allocate_channel(ChannelHandler& handler) {
  for (std::uint32_t tries = 0; tries < channel_max_; ++tries) {
    const std::uint16_t candidate = next_channel_;
    next_channel_ =
        next_channel_ >= channel_max_ ? 1 : static_cast<std::uint16_t>(next_channel_ + 1);
    if (!channels_.contains(candidate)) {
      channels_.emplace(
          candidate,
          ChannelSlot{&handler, std::make_unique<ContentAssembler>(settings_.max_body_size)});
      return candidate;
    }
  }
  return 0;
}

void Connection::release_channel(std::uint16_t channel) { channels_.erase(channel); }

void Connection::send_method(std::uint16_t channel, const Method& method) {
  if (finished_) {
    return;
  }
  append_method_frame(out_, channel, method);
  wake_writer();
}

void Connection::send_content(std::uint16_t channel, const Method& method,
                              const ContentHeader& header, std::span<const std::uint8_t> body) {
  if (finished_) {
    return;
  }
  const std::size_t before = out_.size();
  try {
    append_method_frame(out_, channel, method);
    append_content_frames(out_, channel, header, body, frame_max_);
  } catch (...) {
    out_.resize(before);  // never a method frame without its content on the wire
    throw;
  }
  wake_writer();
}

void Connection::wake_writer() {
  if (writer_waiting_) {
    write_signal_.cancel();
  }
}

asio::awaitable<void> Connection::close(milliseconds timeout) {
  if (finished_) {
    co_return;
  }
  if (!closing_) {
    closing_ = true;
    send_method(0, ConnectionClose{.reply_code = kReplySuccess,
                                   .reply_text = "closed by the application",
                                   .class_id = 0,
                                   .method_id = 0});
  }
  boost::system::error_code ignored;
  closed_signal_.expires_after(timeout);
  co_await closed_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  if (!finished_) {
    abort(Error(ErrorCode::closed, "closed without the broker's close-ok"));
  }
}

void Connection::abort(const Error& error) { finish(error); }

bool Connection::more_to_read() noexcept {
  if (finished_) {
    return false;
  }
  boost::system::error_code ec;
  return stream_.socket().available(ec) > 0 && !ec;
}

void Connection::finish(const Error& error) {
  if (finished_) {
    return;
  }
  finished_ = true;
  error_ = error;
  stream_.close();
  write_signal_.cancel();
  heartbeat_timer_.cancel();
  closed_signal_.cancel();
  std::vector<ChannelHandler*> handlers;
  handlers.reserve(channels_.size());
  for (auto& [number, slot] : channels_) {
    handlers.push_back(slot.handler);
  }
  channels_.clear();
  for (auto* handler : handlers) {
    handler->on_connection_lost(error);
  }
  if (auto on_lost = std::move(on_lost_)) {
    on_lost(error);
  }
}

}  // namespace postwire::amqp
