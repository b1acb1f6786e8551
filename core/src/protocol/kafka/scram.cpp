#include "protocol/kafka/scram.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "postwire/error.hpp"

namespace postwire::kafka {
namespace {

// Iteration counts below RFC 7677's minimum are a downgrade; above a million, a stalled login.
constexpr long kMinIterations = 4096;
constexpr long kMaxIterations = 1'000'000;

[[noreturn]] void refuse(std::string why) {
  throw Exception(ErrorCode::authentication_failed, "SCRAM: " + std::move(why));
}

const EVP_MD* digest(ScramHash hash) {
  return hash == ScramHash::sha256 ? EVP_sha256() : EVP_sha512();
}

std::string hmac(ScramHash hash, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  HMAC(digest(hash), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  return {reinterpret_cast<const char*>(out.data()), length};
}

std::string hash_of(ScramHash hash, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &length, digest(hash), nullptr);
  return {reinterpret_cast<const char*>(out.data()), length};
}

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(std::string_view text, std::string_view what) {
  if (text.empty() || text.size() % 4 != 0)
    refuse("the server's " + std::string(what) + " is not base64");
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) refuse("the server's " + std::string(what) + " is not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

// The value of attribute `name` ("s" in "r=…,s=…,i=…"), or nothing.
std::optional<std::string_view> attribute(std::string_view message, char name) {
  std::size_t start = 0;
  while (start < message.size()) {
    const std::size_t end = std::min(message.find(',', start), message.size());
    const std::string_view part = message.substr(start, end - start);
    if (part.size() >= 2 && part[0] == name && part[1] == '=') return part.substr(2);
    start = end + 1;
  }
  return std::nullopt;
}

std::string escaped_username(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == ',') {
      out += "=2C";
    } else if (c == '=') {
      out += "=3D";
    } else {
      out += c;
    }
  }
  return out;
}

std::string random_nonce() {
  std::array<unsigned char, 24> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    throw Exception(ErrorCode::internal, "SCRAM: no random bytes for the client nonce");
  }
  // base64 has no ',' and is printable, as the nonce must be.
  return base64({reinterpret_cast<const char*>(raw.data()), raw.size()});
}

std::string xor_bytes(std::string a, std::string_view b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    a[i] = static_cast<char>(a[i] ^ b[i]);
  }
  return a;
}

}  // namespace

ScramClient::ScramClient(ScramHash hash, std::string_view username, std::string password,
                         std::string nonce)
    : hash_(hash),
      username_(escaped_username(username)),
      password_(std::move(password)),
      nonce_(nonce.empty() ? random_nonce() : std::move(nonce)) {}

std::string ScramClient::client_first() const { return "n,,n=" + username_ + ",r=" + nonce_; }

std::string ScramClient::client_final(std::string_view server_first) {
  if (const auto error = attribute(server_first, 'e')) {
    refuse("the server refused: " + std::string(*error));
  }
  const auto nonce = attribute(server_first, 'r');
  const auto salt = attribute(server_first, 's');
  const auto iterations_text = attribute(server_first, 'i');
  if (!nonce || !salt || !iterations_text) refuse("the server's first message lacks r, s or i");
  if (nonce->size() <= nonce_.size() || nonce->substr(0, nonce_.size()) != nonce_) {
    refuse("the server's nonce does not extend the client's");
  }
  long iterations = 0;
  for (const char c : *iterations_text) {
    if (c < '0' || c > '9' || iterations > kMaxIterations) refuse("bad iteration count");
    iterations = iterations * 10 + (c - '0');
  }
  if (iterations < kMinIterations || iterations > kMaxIterations) {
    refuse("iteration count " + std::string(*iterations_text) + " outside " +
           std::to_string(kMinIterations) + ".." + std::to_string(kMaxIterations));
  }
  const std::string salt_bytes = unbase64(*salt, "salt");

  const int size = EVP_MD_get_size(digest(hash_));
  std::string salted(static_cast<std::size_t>(size), '\0');
  PKCS5_PBKDF2_HMAC(password_.data(), static_cast<int>(password_.size()),
                    reinterpret_cast<const unsigned char*>(salt_bytes.data()),
                    static_cast<int>(salt_bytes.size()), static_cast<int>(iterations),
                    digest(hash_), size, reinterpret_cast<unsigned char*>(salted.data()));
  const std::string client_key = hmac(hash_, salted, "Client Key");
  const std::string stored_key = hash_of(hash_, client_key);
  const std::string final_without_proof = "c=biws,r=" + std::string(*nonce);
  auth_message_ = "n=" + username_ + ",r=" + nonce_ + "," + std::string(server_first) + "," +
                  final_without_proof;
  const std::string signature = hmac(hash_, stored_key, auth_message_);
  const std::string proof = xor_bytes(client_key, signature);
  server_signature_ = hmac(hash_, hmac(hash_, salted, "Server Key"), auth_message_);
  return final_without_proof + ",p=" + base64(proof);
}

void ScramClient::verify_server_final(std::string_view server_final) const {
  if (const auto error = attribute(server_final, 'e')) {
    refuse("the server refused: " + std::string(*error));
  }
  const auto verifier = attribute(server_final, 'v');
  if (!verifier || server_signature_.empty() ||
      unbase64(*verifier, "signature") != server_signature_) {
    refuse("the server's signature does not match: it does not know the password");
  }
}

}  // namespace postwire::kafka
