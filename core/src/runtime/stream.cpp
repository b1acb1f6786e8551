#include "runtime/stream.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace postwire::runtime {

namespace asio = boost::asio;

Error socket_error(const boost::system::error_code& error, std::string message) {
  message += ": " + error.message();
  if (error == asio::error::connection_refused) {
    return {ErrorCode::connection_refused, std::move(message)};
  }
  if (error == asio::error::timed_out) {
    return {ErrorCode::timed_out, std::move(message)};
  }
  if (error == asio::error::eof || error == asio::error::connection_reset ||
      error == asio::error::connection_aborted || error == asio::error::broken_pipe ||
      error == asio::ssl::error::stream_truncated) {
    return {ErrorCode::connection_closed, std::move(message)};
  }
  if (error == asio::error::host_not_found || error == asio::error::host_not_found_try_again ||
      error == asio::error::no_data) {
    return {ErrorCode::name_resolution_failed, std::move(message)};
  }
  return {ErrorCode::network_error, std::move(message)};
}

Stream::Stream(Tcp socket, std::string peer) : stream_(std::move(socket)), peer_(std::move(peer)) {}

Stream::Stream(std::unique_ptr<Tls> tls, std::string peer)
    : stream_(std::move(tls)), peer_(std::move(peer)) {}

Stream::Tcp& Stream::socket() noexcept {
  if (auto* tls = std::get_if<std::unique_ptr<Tls>>(&stream_)) {
    return (*tls)->next_layer();
  }
  return *std::get_if<Tcp>(&stream_);
}

void Stream::fail(const boost::system::error_code& error, const char* operation) const {
  throw Exception(socket_error(error, std::string(operation) + " " + peer_));
}

asio::awaitable<std::size_t> Stream::read_some(asio::mutable_buffer buffer) {
  boost::system::error_code error;
  std::size_t read = 0;
  auto token = asio::redirect_error(asio::use_awaitable, error);
  if (auto* tls = std::get_if<std::unique_ptr<Tls>>(&stream_)) {
    read = co_await (*tls)->async_read_some(buffer, token);
  } else {
    read = co_await std::get<Tcp>(stream_).async_read_some(buffer, token);
  }
  if (error) {
    fail(error, "reading from");
  }
  co_return read;
}

asio::awaitable<void> Stream::write_all(asio::const_buffer buffer) {
  boost::system::error_code error;
  auto token = asio::redirect_error(asio::use_awaitable, error);
  if (auto* tls = std::get_if<std::unique_ptr<Tls>>(&stream_)) {
    co_await asio::async_write(**tls, buffer, token);
  } else {
    co_await asio::async_write(std::get<Tcp>(stream_), buffer, token);
  }
  if (error) {
    fail(error, "writing to");
  }
}

void Stream::close() noexcept {
  boost::system::error_code ignored;
  socket().shutdown(Tcp::shutdown_both, ignored);
  socket().close(ignored);
}

}  // namespace postwire::runtime
