#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "postwire/config.hpp"

namespace postwire::runtime {

// The TLS settings of a client, from its tls.* options. Peers are verified by default.
struct TlsOptions {
  std::string ca_file;          // tls.ca.location; empty: the system trust store
  std::string cert_file;        // tls.certificate.location
  std::string key_file;         // tls.key.location
  std::string key_password;     // tls.key.password (secret)
  std::string server_name;      // tls.server.name; empty: the host being connected to
  bool verify_peer = true;      // tls.verify.peer
  bool verify_hostname = true;  // tls.verify.hostname

  static TlsOptions from(const Config& config);
};

// A client TLS context (TLS 1.2 or newer) with the CA, certificate and key of `options`
// loaded. Throws Exception(tls_setup_failed) naming the option whose file could not be used.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsOptions& options);

}  // namespace postwire::runtime
