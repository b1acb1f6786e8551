// TLS through the runtime against a local TLS server whose certificates come from a CA made
// by the test: verification on by default, wrong CA and wrong host name refused with clear
// errors, SNI, client certificates, and bad local files.
#include <gtest/gtest.h>

#include <array>

#include "runtime/connect.hpp"
#include "runtime/io_thread.hpp"
#include "support/test_pki.hpp"
#include "support/test_server.hpp"

namespace postwire::runtime {
namespace {

namespace asio = boost::asio;
using postwire::testing::TestPki;
using postwire::testing::TestServer;

class Tls : public ::testing::Test {
 protected:
  TestPki pki_{"postwire test CA"};
  TestPki other_pki_{"some other CA"};
  TestPki::Issued server_cert_ =
      pki_.issue("server", "broker.test", {"broker.test", "localhost"}, {"127.0.0.1"});

  // Connects to `port` with `tls`, exchanges a few bytes, and returns what came back.
  static std::string round_trip(std::uint16_t port, const TlsOptions& tls,
                                const std::string& host = "127.0.0.1") {
    IoThread io("test-io");
    return io.run([&]() -> asio::awaitable<std::string> {
      ConnectOptions options;
      options.tls = make_tls_context(tls);
      options.server_name = tls.server_name;
      options.verify_hostname = tls.verify_hostname;
      Stream stream = co_await connect({host, port}, options);
      EXPECT_TRUE(stream.is_tls());
      co_await stream.write_all(asio::buffer(std::string_view("hello")));
      std::array<char, 16> buffer{};
      std::string got;
      while (got.size() < 5) {
        got.append(buffer.data(), co_await stream.read_some(asio::buffer(buffer)));
      }
      co_return got;
    }());
  }

  static Error failure(std::uint16_t port, const TlsOptions& tls,
                       const std::string& host = "127.0.0.1") {
    try {
      round_trip(port, tls, host);
    } catch (const Exception& e) {
      return e.error();
    }
    ADD_FAILURE() << "expected the TLS connection to fail";
    return {};
  }
};

TEST_F(Tls, TrustedCaAndMatchingIpAddressSucceed) {
  TestServer server({.tls = server_cert_});
  EXPECT_EQ(round_trip(server.port(), {.ca_file = pki_.ca_certificate()}), "hello");
}

TEST_F(Tls, SendsSniAndVerifiesTheHostName) {
  TestServer server({.tls = server_cert_});
  EXPECT_EQ(round_trip(server.port(), {.ca_file = pki_.ca_certificate()}, "localhost"), "hello");
  EXPECT_EQ(server.last_server_name(), "localhost");
  EXPECT_EQ(
      round_trip(server.port(), {.ca_file = pki_.ca_certificate(), .server_name = "broker.test"}),
      "hello");
  EXPECT_EQ(server.last_server_name(), "broker.test");
}

TEST_F(Tls, AnUntrustedCaIsRejected) {
  TestServer server({.tls = server_cert_});
  const Error error = failure(server.port(), {.ca_file = other_pki_.ca_certificate()});
  EXPECT_EQ(error.code(), ErrorCode::tls_certificate_rejected);
  EXPECT_FALSE(error.retriable());
  EXPECT_NE(error.message().find("the TLS certificate of 127.0.0.1:" +
                                 std::to_string(server.port()) + " was rejected"),
            std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find("unable to get local issuer certificate"), std::string::npos)
      << error.message();
}

TEST_F(Tls, TheSystemTrustStoreDoesNotTrustATestCa) {
  TestServer server({.tls = server_cert_});
  EXPECT_EQ(failure(server.port(), {}).code(), ErrorCode::tls_certificate_rejected);
}

TEST_F(Tls, AWrongHostNameIsRejected) {
  TestServer server({.tls = server_cert_});
  const Error error =
      failure(server.port(), {.ca_file = pki_.ca_certificate(), .server_name = "other.example"});
  EXPECT_EQ(error.code(), ErrorCode::tls_certificate_rejected);
  EXPECT_NE(error.message().find("hostname mismatch"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("verified as 'other.example'"), std::string::npos);
}

TEST_F(Tls, AWrongIpAddressIsRejected) {
  auto cert = pki_.issue("ip-only", "ip", {}, {"127.0.0.2"});
  TestServer server({.tls = cert});
  const Error error = failure(server.port(), {.ca_file = pki_.ca_certificate()});
  EXPECT_EQ(error.code(), ErrorCode::tls_certificate_rejected);
  EXPECT_NE(error.message().find("IP address mismatch"), std::string::npos) << error.message();
}

TEST_F(Tls, VerificationCanBeTurnedOffExplicitly) {
  TestServer server({.tls = server_cert_});
  EXPECT_EQ(round_trip(server.port(), {.ca_file = pki_.ca_certificate(),
                                       .server_name = "other.example",
                                       .verify_hostname = false}),
            "hello");
  EXPECT_EQ(
      round_trip(server.port(), {.ca_file = other_pki_.ca_certificate(), .verify_peer = false}),
      "hello");
}

TEST_F(Tls, PresentsAClientCertificateWhenTheServerRequiresOne) {
  TestServer server({.tls = server_cert_, .client_ca = pki_.ca_certificate()});
  auto client = pki_.issue("client", "orders-service", {}, {});
  EXPECT_EQ(round_trip(server.port(), {.ca_file = pki_.ca_certificate(),
                                       .cert_file = client.certificate,
                                       .key_file = client.key}),
            "hello");
  EXPECT_EQ(server.last_client_common_name(), "orders-service");
}

TEST_F(Tls, WithoutAClientCertificateARequiringServerRefuses) {
  TestServer server({.tls = server_cert_, .client_ca = pki_.ca_certificate()});
  // With TLS 1.3 the server's refusal can arrive after the client's handshake completes,
  // so it may surface on the first read; either way no data is exchanged.
  const Error error = failure(server.port(), {.ca_file = pki_.ca_certificate()});
  EXPECT_TRUE(error.code() == ErrorCode::tls_handshake_failed ||
              error.code() == ErrorCode::connection_closed ||
              error.code() == ErrorCode::network_error)
      << error.to_string();
}

TEST_F(Tls, UnreadableFilesNameTheirOption) {
  try {
    make_tls_context({.ca_file = "/nonexistent/ca.pem"});
    FAIL() << "expected an exception";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::tls_setup_failed);
    EXPECT_NE(e.error().message().find("tls.ca.location: cannot use '/nonexistent/ca.pem'"),
              std::string::npos)
        << e.what();
  }
  auto a = pki_.issue("a", "a", {}, {});
  auto b = pki_.issue("b", "b", {}, {});
  try {
    make_tls_context({.cert_file = a.certificate, .key_file = b.key});
    FAIL() << "expected an exception";
  } catch (const Exception& e) {
    // OpenSSL notices the mismatch while loading the key.
    EXPECT_NE(e.error().message().find("tls.key.location: cannot use '" + b.key.string() + "'"),
              std::string::npos)
        << e.what();
    EXPECT_NE(e.error().message().find("key values mismatch"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_tls_context({.cert_file = a.certificate}), Exception);
}

TEST_F(Tls, OptionsComeFromTheConfiguration) {
  Config config{{"tls.ca.location", "/etc/ca.pem"},
                {"tls.verify.hostname", "false"},
                {"tls.server.name", "broker.test"}};
  const TlsOptions options = TlsOptions::from(config);
  EXPECT_EQ(options.ca_file, "/etc/ca.pem");
  EXPECT_TRUE(options.verify_peer);
  EXPECT_FALSE(options.verify_hostname);
  EXPECT_EQ(options.server_name, "broker.test");
}

}  // namespace
}  // namespace postwire::runtime
