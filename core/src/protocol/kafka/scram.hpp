#pragma once

// SCRAM (RFC 5802) client side, for Kafka's SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 7677,
// KIP-84): three messages, no I/O. The transport carries them in SaslAuthenticate requests.

#include <string>
#include <string_view>

namespace postwire::kafka {

enum class ScramHash { sha256, sha512 };

class ScramClient {
 public:
  // `nonce` is the client nonce (printable, no comma); empty: a random one.
  ScramClient(ScramHash hash, std::string_view username, std::string password,
              std::string nonce = {});

  // "n,,n=USER,r=NONCE".
  [[nodiscard]] std::string client_first() const;
  // From "r=…,s=…,i=…": "c=biws,r=…,p=PROOF". Throws authentication_failed when the server's
  // nonce does not extend ours, or the salt or the iteration count is unusable.
  [[nodiscard]] std::string client_final(std::string_view server_first);
  // "v=SIGNATURE" must prove that the server knows the password too; "e=…" is its refusal.
  // Throws authentication_failed otherwise.
  void verify_server_final(std::string_view server_final) const;

 private:
  ScramHash hash_;
  std::string username_;  // escaped as RFC 5802 section 5.1 asks
  std::string password_;
  std::string nonce_;
  std::string auth_message_;
  std::string server_signature_;  // raw bytes, known once client_final has run
};

}  // namespace postwire::kafka
