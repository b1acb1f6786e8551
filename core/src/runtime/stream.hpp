#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <variant>

#include "postwire/error.hpp"

namespace postwire::runtime {

// A connected byte stream to a broker, plain TCP or TLS: what transports read frames from
// and write frames to. Failures throw Exception with connection_closed or network_error and
// name the peer.
class Stream {
 public:
  using Tcp = boost::asio::ip::tcp::socket;
  using Tls = boost::asio::ssl::stream<Tcp>;

  Stream(Tcp socket, std::string peer);
  Stream(std::unique_ptr<Tls> tls, std::string peer);

  // Reads at least one byte into `buffer`. A clean end of stream is connection_closed.
  boost::asio::awaitable<std::size_t> read_some(boost::asio::mutable_buffer buffer);
  // Writes every byte of `buffer`.
  boost::asio::awaitable<void> write_all(boost::asio::const_buffer buffer);

  // Closes the socket; pending reads and writes complete with an error. Idempotent.
  void close() noexcept;

  [[nodiscard]] bool is_tls() const noexcept {
    return std::holds_alternative<std::unique_ptr<Tls>>(stream_);
  }
  // "host:port" as given to connect (never with credentials).
  [[nodiscard]] const std::string& peer() const noexcept { return peer_; }
  [[nodiscard]] Tcp& socket() noexcept;

 private:
  [[noreturn]] void fail(const boost::system::error_code& error, const char* operation) const;

  // The TLS stream is held by pointer: it must not move while an operation is in flight.
  std::variant<Tcp, std::unique_ptr<Tls>> stream_;
  std::string peer_;
};

// Maps a socket error to postwire's codes, e.g. connection_refused, timed_out.
Error socket_error(const boost::system::error_code& error, std::string message);

}  // namespace postwire::runtime
