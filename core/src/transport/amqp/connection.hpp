#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "postwire/broker_url.hpp"
#include "postwire/error.hpp"
#include "protocol/amqp/content.hpp"
#include "protocol/amqp/frame.hpp"
#include "protocol/amqp/methods.hpp"
#include "runtime/connect.hpp"
#include "runtime/logger.hpp"
#include "runtime/stream.hpp"

namespace postwire::amqp {

// How to reach and log in to a RabbitMQ node.
struct ConnectionSettings {
  ConnectionSettings() = default;  // not an aggregate: see HostPort (GCC 12 and co_await)

  std::vector<HostPort> hosts;
  runtime::ConnectOptions connect;
  std::string mechanism = "PLAIN";  // or EXTERNAL (TLS client certificate)
  std::string username = "guest";
  std::string password = "guest";
  std::string vhost = "/";
  std::string connection_name;
  std::uint32_t frame_max = 131072;
  std::chrono::milliseconds heartbeat{20'000};
  std::uint64_t max_body_size = 16U << 20U;
};

// Receives what arrives on one channel. Called on the IO thread.
class ChannelHandler {
 public:
  virtual ~ChannelHandler() = default;
  virtual void on_incoming(Incoming&& incoming) = 0;
  // The connection is gone; the channel with it.
  virtual void on_connection_lost(const Error& error) = 0;
};

// One AMQP connection: the socket, the handshake, a reader that dispatches frames to channels,
// a writer that sends whatever has been queued in one write, and heartbeats both ways. All of
// it runs on one IO thread; nothing here is thread-safe.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Connects to the hosts in turn and completes the handshake; the connection then runs by
  // itself until it dies or close() finishes, and calls `on_lost` once either way. Throws the
  // error of the last host, with every attempt listed; authentication and vhost errors are
  // fatal and stop at the host that gave them.
  static boost::asio::awaitable<std::shared_ptr<Connection>> open(
      ConnectionSettings settings, const runtime::Logger* logger,
      std::function<void(const Error&)> on_lost);

  Connection(runtime::Stream stream, ConnectionSettings settings, const runtime::Logger* logger);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A channel number not in use, or 0 when channel_max are open.
  std::uint16_t allocate_channel(ChannelHandler& handler);
  void release_channel(std::uint16_t channel);

  void send_method(std::uint16_t channel, const Method& method);
  void send_content(std::uint16_t channel, const Method& method, const ContentHeader& header,
                    std::span<const std::uint8_t> body);
  // Bytes queued and not yet written: publishers pause above a limit.
  [[nodiscard]] std::size_t write_backlog() const noexcept { return out_.size(); }

  // Sends connection.close and waits (up to `timeout`) for the broker's close-ok.
  boost::asio::awaitable<void> close(std::chrono::milliseconds timeout);
  // Drops the socket at once (dead peer, protocol error).
  void abort(const Error& error);

  [[nodiscard]] bool alive() const noexcept { return !finished_; }
  // Whether the socket already holds bytes that the reader has not taken: consumers hold
  // back a small batch of deliveries until the burst has been read, so that the application
  // is woken once per burst rather than once per read.
  [[nodiscard]] bool more_to_read() noexcept;
  [[nodiscard]] const std::string& peer() const noexcept { return stream_.peer(); }
  [[nodiscard]] std::uint32_t frame_max() const noexcept { return frame_max_; }

  std::function<void(bool blocked, std::string reason)> on_blocked;

 private:
  boost::asio::awaitable<void> handshake();
  boost::asio::awaitable<Method> read_handshake_method();
  void start(std::function<void(const Error&)> on_lost);
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> heartbeat_loop();
  void dispatch(const FrameView& frame);
  void dispatch_connection_method(const Method& method);
  void finish(const Error& error);
  void wake_writer();

  runtime::Stream stream_;
  ConnectionSettings settings_;
  const runtime::Logger* logger_;
  FrameReader reader_;
  std::uint32_t frame_max_ = frame_min_size;
  std::uint16_t channel_max_ = 2047;
  std::chrono::milliseconds heartbeat_{0};

  std::vector<std::uint8_t> out_;      // queued frames
  std::vector<std::uint8_t> writing_;  // frames being written
  boost::asio::steady_timer write_signal_;
  boost::asio::steady_timer heartbeat_timer_;
  boost::asio::steady_timer closed_signal_;
  std::chrono::steady_clock::time_point last_read_;
  std::chrono::steady_clock::time_point last_write_;

  struct ChannelSlot {
    ChannelHandler* handler = nullptr;
    std::unique_ptr<ContentAssembler> assembler;
  };
  std::unordered_map<std::uint16_t, ChannelSlot> channels_;
  std::uint16_t next_channel_ = 1;

  bool writer_waiting_ = false;
  bool closing_ = false;
  bool finished_ = false;
  Error error_;
  std::function<void(const Error&)> on_lost_;
};

}  // namespace postwire::amqp
