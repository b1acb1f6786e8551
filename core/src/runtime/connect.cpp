#include "runtime/connect.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>

namespace postwire::runtime {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Runs `on_expiry` if `timeout` passes before the watchdog is destroyed. Every step of a
// connect runs under one watchdog, which cancels whatever is in flight when time runs out.
class Watchdog {
 public:
  Watchdog(const asio::any_io_executor& executor, std::chrono::milliseconds timeout)
      : timer_(executor, timeout), state_(std::make_shared<State>()) {
    timer_.async_wait([state = state_](const boost::system::error_code& error) {
      // `armed` guards against a firing that was already queued when we were destroyed.
      if (!error && state->armed) {
        state->expired = true;
        if (state->on_expiry) {
          state->on_expiry();
        }
      }
    });
  }
  ~Watchdog() {
    state_->armed = false;
    state_->on_expiry = nullptr;
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // What to cancel if time runs out now (replaces the previous step's action).
  void guard(std::function<void()> on_expiry) { state_->on_expiry = std::move(on_expiry); }
  [[nodiscard]] bool expired() const noexcept { return state_->expired; }

 private:
  struct State {
    bool armed = true;
    bool expired = false;
    std::function<void()> on_expiry;
  };
  asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

bool is_ip_literal(const std::string& host) {
  boost::system::error_code error;
  asio::ip::make_address(host, error);
  return !error;
}

[[noreturn]] void timed_out(const std::string& what, std::chrono::milliseconds timeout) {
  throw Exception(ErrorCode::timed_out, what + " timed out after " +
                                            std::to_string(timeout.count()) +
                                            " ms (socket.connection.setup.timeout.ms)");
}

// Configures SNI and host name verification on a TLS stream before its handshake.
void prepare_tls(Stream::Tls& tls, const std::string& name, bool verify_hostname) {
  SSL* ssl = tls.native_handle();
  const bool ip = is_ip_literal(name);
  // SNI carries host names only (RFC 6066 section 3).
  // SSL_set_tlsext_host_name() is a macro with a C cast; this is its expansion.
  if (!ip && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                      const_cast<char*>(name.c_str())) != 1) {
    throw Exception(ErrorCode::tls_setup_failed, "cannot set the TLS server name '" + name + "'");
  }
  if (verify_hostname) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                      : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
    if (ok != 1) {
      throw Exception(ErrorCode::tls_setup_failed,
                      "cannot set the TLS verification name '" + name + "'");
    }
  }
}

}  // namespace

asio::awaitable<Stream> connect(HostPort target, ConnectOptions options) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string peer = target.to_string();
  Watchdog watchdog(executor, options.timeout);
  boost::system::error_code error;
  auto token = asio::redirect_error(asio::use_awaitable, error);

  tcp::resolver resolver(executor);
  watchdog.guard([&resolver] { resolver.cancel(); });
  const auto endpoints =
      co_await resolver.async_resolve(target.host, std::to_string(target.port), token);
  if (watchdog.expired()) {
    timed_out("resolving '" + target.host + "'", options.timeout);
  }
  if (error) {
    throw Exception(ErrorCode::name_resolution_failed,
                    "cannot resolve '" + target.host + "': " + error.message());
  }

  tcp::socket socket(executor);
  watchdog.guard([&socket] {
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  co_await asio::async_connect(socket, endpoints, token);
  if (watchdog.expired()) {
    timed_out("connecting to " + peer, options.timeout);
  }
  if (error) {
    throw Exception(socket_error(error, "cannot connect to " + peer));
  }
  socket.set_option(tcp::no_delay(true), error);
  socket.set_option(asio::socket_base::keep_alive(true), error);

  if (!options.tls) {
    co_return Stream(std::move(socket), peer);
  }

  auto tls = std::make_unique<Stream::Tls>(std::move(socket), *options.tls);
  const std::string& name = options.server_name.empty() ? target.host : options.server_name;
  prepare_tls(*tls, name, options.verify_hostname);
  watchdog.guard([stream = tls.get()] {
    boost::system::error_code ignored;
    stream->next_layer().close(ignored);
  });
  co_await tls->async_handshake(Stream::Tls::client, token);
  if (watchdog.expired()) {
    timed_out("the TLS handshake with " + peer, options.timeout);
  }
  if (error) {
    const long verify = SSL_get_verify_result(tls->native_handle());
    if (verify != X509_V_OK) {
      throw Exception(ErrorCode::tls_certificate_rejected,
                      "the TLS certificate of " + peer + " was rejected: " +
                          X509_verify_cert_error_string(verify) + " (verified as '" + name + "')");
    }
    throw Exception(ErrorCode::tls_handshake_failed,
                    "TLS handshake with " + peer + " failed: " + error.message());
  }
  co_return Stream(std::move(tls), peer);
}

asio::awaitable<Stream> connect_first(std::vector<HostPort> hosts, ConnectOptions options) {
  if (hosts.empty()) {
    throw Exception(ErrorCode::invalid_argument, "no broker host to connect to");
  }
  std::string attempts;
  for (std::size_t i = 0;; ++i) {
    try {
      co_return co_await connect(hosts[i], options);
    } catch (const Exception& failure) {
      attempts += (attempts.empty() ? "" : "; ") + failure.error().message();
      if (i + 1 == hosts.size()) {
        if (hosts.size() == 1) {
          throw;
        }
        const Error& last = failure.error();
        throw Exception(Error(last.code(), "no broker host could be reached: " + attempts,
                              last.retriable(), last.fatal()));
      }
    }
  }
}

}  // namespace postwire::runtime
