// SigV4 signing: the string to sign, the derived key and the Authorization header built on
// the canonical request (sigv4_canonical.cpp).

#include "protocol/sqs/sigv4.hpp"

#include <openssl/crypto.h>

#include <ctime>
#include <span>
#include <string>
#include <utility>

#include "postwire/error.hpp"
#include "protocol/sqs/digest.hpp"

namespace postwire::sqs {
namespace {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view terminator = "aws4_request";

[[noreturn]] void invalid(std::string message) {
  throw Exception(ErrorCode::invalid_argument, "SigV4: " + std::move(message));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void check_amz_date(std::string_view date) {
  bool ok = date.size() == 16 && date[8] == 'T' && date[15] == 'Z';
  for (std::size_t i = 0; ok && i < 15; ++i) {
    ok = i == 8 || is_digit(date[i]);
  }
  if (!ok) {
    invalid("amz_date \"" + std::string(date) + "\" is not of the form YYYYMMDDTHHMMSSZ");
  }
}

// Region and service become parts of the credential scope, which '/' separates.
void check_scope_part(std::string_view value, std::string_view what) {
  if (value.empty()) {
    invalid("the signing scope has no " + std::string(what));
  }
  for (const char c : value) {
    if (c == '/' || c == ' ' || static_cast<unsigned char>(c) < 0x20) {
      invalid("the " + std::string(what) + " \"" + std::string(value) +
              "\" contains a character not allowed in a credential scope");
    }
  }
}

void check_scope(const SigningScope& scope) {
  check_amz_date(scope.amz_date);
  check_scope_part(scope.region, "region");
  check_scope_part(scope.service, "service");
}

void check_credentials(const Credentials& credentials) {
  if (credentials.access_key_id.empty()) {
    invalid("the credentials have no access key id");
  }
  if (credentials.secret_access_key.empty()) {
    invalid("the credentials for access key id " + credentials.access_key_id +
            " have no secret access key");
  }
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// The headers the signer owns must not come in with the request: two X-Amz-Date values
// would sign something other than what the service checks.
void check_no_signer_headers(const HttpRequestToSign& request, const SigningOptions& options) {
  for (const auto& [name, value] : request.headers) {
    for (const std::string_view owned : {"authorization", "x-amz-date", "x-amz-security-token"}) {
      if (same_name(name, owned)) {
        invalid("the request already has a " + name + " header; the signer adds it");
      }
    }
    if (options.add_content_sha256 && same_name(name, "x-amz-content-sha256")) {
      invalid("the request already has an " + name +
              " header while add_content_sha256 asks the signer to add it");
    }
  }
}

std::string credential_scope(const SigningScope& scope) {
  std::string out(scope.amz_date.substr(0, 8));
  out.push_back('/');
  out += scope.region;
  out.push_back('/');
  out += scope.service;
  out.push_back('/');
  out += terminator;
  return out;
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::vector<Header> sign_with(const HttpRequestToSign& request, const SigningScope& scope,
                              const Credentials& credentials, const SigningOptions& options,
                              const SigningKey& key) {
  std::vector<Header> added;
  HttpRequestToSign to_sign = request;
  if (!credentials.session_token.empty()) {
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
    if (options.sign_session_token) {
      to_sign.headers.push_back(added.back());
    }
  }
  added.emplace_back("X-Amz-Date", std::string(scope.amz_date));
  to_sign.headers.push_back(added.back());
  if (options.add_content_sha256) {
    added.emplace_back("x-amz-content-sha256", to_hex(sha256(request.body)));
    to_sign.headers.push_back(added.back());
  }

  const CanonicalRequest canonical = canonical_request(to_sign, options);
  const std::string signature = key.sign(string_to_sign(canonical.text, scope));
  std::string authorization(algorithm);
  authorization += " Credential=";
  authorization += credentials.access_key_id;
  authorization.push_back('/');
  authorization += credential_scope(scope);
  authorization += ", SignedHeaders=";
  authorization += canonical.signed_headers;
  authorization += ", Signature=";
  authorization += signature;
  added.emplace_back("Authorization", std::move(authorization));
  return added;
}

}  // namespace

std::string string_to_sign(std::string_view canonical_request_text, const SigningScope& scope) {
  check_scope(scope);
  std::string out(algorithm);
  out.push_back('\n');
  out += scope.amz_date;
  out.push_back('\n');
  out += credential_scope(scope);
  out.push_back('\n');
  out += to_hex(sha256(canonical_request_text));
  return out;
}

SigningKey::SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service) {
  std::string seed = "AWS4";
  seed += secret_access_key;
  Sha256 k = hmac_sha256(bytes_of(seed), date);
  OPENSSL_cleanse(seed.data(), seed.size());
  k = hmac_sha256(k, region);
  k = hmac_sha256(k, service);
  key_ = hmac_sha256(k, terminator);
  OPENSSL_cleanse(k.data(), k.size());
}

SigningKey::~SigningKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string SigningKey::sign(std::string_view string_to_sign) const {
  return to_hex(hmac_sha256(key_, string_to_sign));
}

SigningKey signing_key(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service) {
  return {secret_access_key, date, region, service};
}

std::vector<Header> sign(const HttpRequestToSign& request, const SigningScope& scope,
                         const Credentials& credentials, const SigningOptions& options) {
  check_scope(scope);
  check_credentials(credentials);
  check_no_signer_headers(request, options);
  const SigningKey key(credentials.secret_access_key, scope.amz_date.substr(0, 8), scope.region,
                       scope.service);
  return sign_with(request, scope, credentials, options, key);
}

Signer::Signer(Credentials credentials) : credentials_(std::move(credentials)) {}

void Signer::set_credentials(Credentials credentials) {
  credentials_ = std::move(credentials);
  cached_.reset();
}

std::vector<Header> Signer::sign(const HttpRequestToSign& request, const SigningScope& scope,
                                 const SigningOptions& options) {
  check_scope(scope);
  check_credentials(credentials_);
  check_no_signer_headers(request, options);
  const std::string_view date = scope.amz_date.substr(0, 8);
  if (!cached_ || cached_->date != date || cached_->region != scope.region ||
      cached_->service != scope.service) {
    cached_.reset();
    cached_.emplace(
        CachedKey{std::string(date), std::string(scope.region), std::string(scope.service),
                  SigningKey(credentials_.secret_access_key, date, scope.region, scope.service)});
    ++keys_derived_;
  }
  return sign_with(request, scope, credentials_, options, cached_->key);
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char out[17];
  const std::size_t n = std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &utc);
  return {out, n};
}

}  // namespace postwire::sqs
