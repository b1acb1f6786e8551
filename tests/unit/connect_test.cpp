// The runtime's TCP connect against local servers: success, refusal, name resolution
// failure, timeouts, and trying several hosts in turn.
#include "runtime/connect.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>

#include "runtime/io_thread.hpp"
#include "support/test_server.hpp"

namespace postwire::runtime {
namespace {

namespace asio = boost::asio;
using postwire::testing::TestServer;
using std::chrono::milliseconds;

// A loopback port with nothing listening on it.
std::uint16_t closed_port() {
  asio::io_context context;
  asio::ip::tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// Runs `operation` on a fresh IO thread and returns the error it throws.
Error error_of(asio::awaitable<Stream> operation) {
  IoThread io("test-io");
  try {
    io.run([&]() -> asio::awaitable<void> { static_cast<void>(co_await std::move(operation)); }());
  } catch (const Exception& e) {
    return e.error();
  }
  ADD_FAILURE() << "expected the connect to fail";
  return {};
}

TEST(Connect, ExchangesBytesWithAPlainTcpServer) {
  TestServer server({});
  IoThread io("test-io");
  const std::string echoed = io.run([&]() -> asio::awaitable<std::string> {
    Stream stream = co_await connect({"127.0.0.1", server.port()}, {});
    EXPECT_FALSE(stream.is_tls());
    EXPECT_EQ(stream.peer(), "127.0.0.1:" + std::to_string(server.port()));
    co_await stream.write_all(asio::buffer(std::string_view("ping")));
    std::array<char, 16> buffer{};
    std::string got;
    while (got.size() < 4) {
      const std::size_t n = co_await stream.read_some(asio::buffer(buffer));
      got.append(buffer.data(), n);
    }
    stream.close();
    co_return got;
  }());
  EXPECT_EQ(echoed, "ping");
}

TEST(Connect, RefusedConnectionNamesTheHost) {
  const std::uint16_t port = closed_port();
  const Error error = error_of(connect({"127.0.0.1", port}, {}));
  EXPECT_EQ(error.code(), ErrorCode::connection_refused);
  EXPECT_TRUE(error.retriable());
  EXPECT_NE(error.message().find("cannot connect to 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << error.message();
}

TEST(Connect, UnresolvableHostIsANameResolutionError) {
  // RFC 6761 reserves .invalid: it never resolves.
  const Error error = error_of(connect({"postwire-test.invalid", 5672}, {}));
  EXPECT_EQ(error.code(), ErrorCode::name_resolution_failed);
  EXPECT_NE(error.message().find("cannot resolve 'postwire-test.invalid'"), std::string::npos)
      << error.message();
}

TEST(Connect, ASilentTlsPeerTimesOutNamingTheOption) {
  TestServer silent({.mode = TestServer::Mode::silent});
  ConnectOptions options;
  options.timeout = milliseconds(200);
  options.tls = make_tls_context({});
  const Error error = error_of(connect({"127.0.0.1", silent.port()}, options));
  EXPECT_EQ(error.code(), ErrorCode::timed_out);
  EXPECT_NE(error.message().find("TLS handshake with 127.0.0.1:" + std::to_string(silent.port()) +
                                 " timed out after 200 ms (socket.connection.setup.timeout.ms)"),
            std::string::npos)
      << error.message();
}

TEST(Connect, FirstReachableHostWins) {
  TestServer server({});
  // Built outside the coroutine: GCC 12 miscompiles braced lists inside coroutine bodies.
  std::vector<HostPort> hosts{{"127.0.0.1", closed_port()}, {"127.0.0.1", server.port()}};
  IoThread io("test-io");
  const std::string peer = io.run([&]() -> asio::awaitable<std::string> {
    Stream stream = co_await connect_first(hosts, {});
    co_return stream.peer();
  }());
  EXPECT_EQ(peer, "127.0.0.1:" + std::to_string(server.port()));
}

TEST(Connect, WhenEveryHostFailsTheErrorListsEachAttempt) {
  const std::uint16_t a = closed_port();
  const Error error =
      error_of(connect_first({HostPort{"127.0.0.1", a}, HostPort{"postwire-test.invalid", 1}}, {}));
  EXPECT_EQ(error.code(), ErrorCode::name_resolution_failed) << "the last host's error";
  EXPECT_NE(error.message().find("no broker host could be reached"), std::string::npos);
  EXPECT_NE(error.message().find("127.0.0.1:" + std::to_string(a)), std::string::npos);
  EXPECT_NE(error.message().find("postwire-test.invalid"), std::string::npos);
}

TEST(Connect, NoHostsIsAnInvalidArgument) {
  EXPECT_EQ(error_of(connect_first({}, {})).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace postwire::runtime
