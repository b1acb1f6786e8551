#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/io_thread.hpp"
#include "support/test_pki.hpp"

namespace postwire::testing {

// A TCP or TLS server on 127.0.0.1 for runtime tests, running on its own IO thread. In echo
// mode it sends back whatever it receives; in silent mode it accepts connections and never
// sends a byte (to exercise timeouts).
class TestServer {
 public:
  enum class Mode { echo, silent };
  struct Options {
    Mode mode = Mode::echo;
    // Serve TLS with this certificate and key.
    std::optional<TestPki::Issued> tls;
    // Require client certificates signed by this CA.
    std::optional<std::filesystem::path> client_ca;
  };

  explicit TestServer(Options options);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // The SNI name and the client certificate's common name of the last TLS handshake that
  // completed (empty when none was sent).
  [[nodiscard]] std::string last_server_name() const;
  [[nodiscard]] std::string last_client_common_name() const;

  struct State;  // shared with the server's coroutines

 private:
  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
  runtime::IoThread io_;
};

}  // namespace postwire::testing
