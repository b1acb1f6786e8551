#include "support/test_server.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace postwire::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

struct TestServer::State {
  Options options;
  std::unique_ptr<asio::ssl::context> tls;
  std::unique_ptr<tcp::acceptor> acceptor;
  mutable std::mutex mutex;
  std::string server_name;
  std::string client_common_name;
};

namespace {

template <typename Socket>
asio::awaitable<void> serve(Socket& socket, TestServer::Mode mode) {
  std::array<char, 4096> buffer{};
  boost::system::error_code error;
  while (true) {
    const std::size_t n = co_await socket.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      co_return;
    }
    if (mode == TestServer::Mode::echo) {
      co_await asio::async_write(socket, asio::buffer(buffer.data(), n),
                                 asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        co_return;
      }
    }
  }
}

std::string common_name_of(X509* cert) {
  if (cert == nullptr) {
    return {};
  }
  std::array<char, 256> name{};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name.data(),
                            static_cast<int>(name.size()));
  return name.data();
}

asio::awaitable<void> handle(std::shared_ptr<TestServer::State> state, tcp::socket socket) {
  if (!state->tls) {
    co_await serve(socket, state->options.mode);
    co_return;
  }
  asio::ssl::stream<tcp::socket> tls(std::move(socket), *state->tls);
  boost::system::error_code error;
  co_await tls.async_handshake(asio::ssl::stream_base::server,
                               asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    co_return;
  }
  {
    std::lock_guard lock(state->mutex);
    const char* sni = SSL_get_servername(tls.native_handle(), TLSEXT_NAMETYPE_host_name);
    state->server_name = sni != nullptr ? sni : "";
    X509* peer = SSL_get1_peer_certificate(tls.native_handle());
    state->client_common_name = common_name_of(peer);
    X509_free(peer);
  }
  co_await serve(tls, state->options.mode);
}

asio::awaitable<void> accept_loop(std::shared_ptr<TestServer::State> state) {
  while (true) {
    boost::system::error_code error;
    tcp::socket socket =
        co_await state->acceptor->async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      co_return;  // closed by the destructor
    }
    asio::co_spawn(socket.get_executor(), handle(state, std::move(socket)), asio::detached);
  }
}

}  // namespace

TestServer::TestServer(Options options) : state_(std::make_shared<State>()), io_("test-server") {
  state_->options = std::move(options);
  if (state_->options.tls) {
    state_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    state_->tls->use_certificate_chain_file(state_->options.tls->certificate.string());
    state_->tls->use_private_key_file(state_->options.tls->key.string(), asio::ssl::context::pem);
    if (state_->options.client_ca) {
      state_->tls->load_verify_file(state_->options.client_ca->string());
      state_->tls->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
    }
  }
  state_->acceptor = std::make_unique<tcp::acceptor>(
      io_.context(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  port_ = state_->acceptor->local_endpoint().port();
  asio::co_spawn(io_.context(), accept_loop(state_), asio::detached);
}

TestServer::~TestServer() {
  io_.stop();
  // The acceptor must go before the io_context it belongs to (io_ is destroyed next).
  state_->acceptor.reset();
}

std::string TestServer::last_server_name() const {
  std::lock_guard lock(state_->mutex);
  return state_->server_name;
}

std::string TestServer::last_client_common_name() const {
  std::lock_guard lock(state_->mutex);
  return state_->client_common_name;
}

}  // namespace postwire::testing
