#include "runtime/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include "postwire/error.hpp"

namespace postwire::runtime {
namespace {

[[noreturn]] void fail(std::string_view option, const std::string& file,
                       const boost::system::error_code& error) {
  throw Exception(ErrorCode::tls_setup_failed,
                  std::string(option) + ": cannot use '" + file + "': " + error.message());
}

}  // namespace

TlsOptions TlsOptions::from(const Config& config) {
  return TlsOptions{
      .ca_file = config.get_string("tls.ca.location"),
      .cert_file = config.get_string("tls.certificate.location"),
      .key_file = config.get_string("tls.key.location"),
      .key_password = config.get_string("tls.key.password"),
      .server_name = config.get_string("tls.server.name"),
      .verify_peer = config.get_bool("tls.verify.peer"),
      .verify_hostname = config.get_bool("tls.verify.hostname"),
  };
}

std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsOptions& options) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression);

  boost::system::error_code error;
  if (options.ca_file.empty()) {
    context->set_default_verify_paths(error);
    if (error) {
      throw Exception(ErrorCode::tls_setup_failed,
                      "cannot load the system's trusted CAs: " + error.message());
    }
  } else {
    context->load_verify_file(options.ca_file, error);
    if (error) {
      fail("tls.ca.location", options.ca_file, error);
    }
  }
  context->set_verify_mode(options.verify_peer ? ssl::verify_peer : ssl::verify_none);

  if (options.cert_file.empty() != options.key_file.empty()) {
    throw Exception(ErrorCode::tls_setup_failed,
                    "tls.certificate.location and tls.key.location must be set together");
  }
  if (!options.cert_file.empty()) {
    if (!options.key_password.empty()) {
      context->set_password_callback(
          [password = options.key_password](std::size_t, ssl::context::password_purpose) {
            return password;
          });
    }
    context->use_certificate_chain_file(options.cert_file, error);
    if (error) {
      fail("tls.certificate.location", options.cert_file, error);
    }
    context->use_private_key_file(options.key_file, ssl::context::pem, error);
    if (error) {
      fail("tls.key.location", options.key_file, error);
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
      ERR_clear_error();
      throw Exception(ErrorCode::tls_setup_failed,
                      "tls.key.location: the key does not match tls.certificate.location");
    }
  }
  return context;
}

}  // namespace postwire::runtime
