#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "postwire/broker_url.hpp"
#include "runtime/stream.hpp"
#include "runtime/tls_context.hpp"

namespace postwire::runtime {

// Has a constructor (is not an aggregate) so that `co_await connect(host, {})` is safe on
// GCC 12; see HostPort.
struct ConnectOptions {
  ConnectOptions() = default;

  // For name resolution, TCP connect and TLS handshake together, per host
  // (socket.connection.setup.timeout.ms).
  std::chrono::milliseconds timeout{10'000};
  // TLS context from make_tls_context(); null for plain TCP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // Name sent as SNI and verified against the certificate; empty: the host connected to.
  std::string server_name;
  bool verify_hostname = true;
};

// Resolves `target`, connects to its addresses in turn and, if options.tls is set, completes
// a TLS handshake with SNI and peer verification. Throws Exception naming the host and the
// failure: name_resolution_failed, connection_refused, timed_out, tls_certificate_rejected
// (untrusted chain or wrong host name, with OpenSSL's reason), tls_handshake_failed.
boost::asio::awaitable<Stream> connect(HostPort target, ConnectOptions options);

// Tries each host in order and returns the first stream that connects. When all fail, the
// error is the last host's, and its message lists every attempt.
boost::asio::awaitable<Stream> connect_first(std::vector<HostPort> hosts, ConnectOptions options);

}  // namespace postwire::runtime
