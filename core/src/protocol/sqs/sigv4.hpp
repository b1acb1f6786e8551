#pragma once

// AWS Signature Version 4 for requests signed in the Authorization header, sans-IO: the
// transport describes a request, the signer returns the headers to add. The rules follow
// AWS's "Create a signed AWS API request" and "Elements of an AWS API request signature"
// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html) and
// are checked against AWS's SigV4 test suite (tests/unit/sqs_sigv4_test.cpp).
//
// Secrets never appear in an error message, and derived keys are wiped when dropped.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postwire::sqs {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term credentials
};

using Header = std::pair<std::string, std::string>;

struct HttpRequestToSign {
  std::string_view method;  // "GET", "POST"
  // The path as the application means it, not yet percent-encoded: the signer encodes it
  // (uri_encode_path), and the transport must send that same encoding.
  std::string_view path;
  // The query string without '?', raw and unsorted: "b=2&a=1". %XX sequences are decoded
  // and everything re-encoded canonically, so both "%E1%88%B4" and the raw UTF-8 sign alike.
  // '+' is a literal plus, not a space.
  std::string_view query;
  // Every header listed is signed, so leave out any a proxy may rewrite. Host is required;
  // names are matched case-insensitively; repeated names are joined in order with ','.
  // Authorization, X-Amz-Date and X-Amz-Security-Token are the signer's to add.
  std::vector<Header> headers;
  std::string_view body;
};

struct SigningScope {
  std::string_view region;    // "us-east-1"
  std::string_view service;   // "sqs"
  std::string_view amz_date;  // the request time, YYYYMMDDTHHMMSSZ in UTC
};

struct SigningOptions {
  // Remove "." and ".." segments and merge repeated slashes before encoding the path.
  // Every service but S3 expects this.
  bool normalize_path = true;
  // Add (and sign) x-amz-content-sha256 with the body's hash; S3 needs it, SQS does not.
  bool add_content_sha256 = false;
  // Sign X-Amz-Security-Token (SQS and most services). A few services want it added after
  // signing instead, outside SignedHeaders.
  bool sign_session_token = true;
};

// What goes into the signature, exposed so that each step can be checked on its own.
struct CanonicalRequest {
  std::string text;            // the canonical request, lines joined with '\n'
  std::string signed_headers;  // "host;x-amz-date"
};

// The canonical request of `request` exactly as given (the caller has already added
// X-Amz-Date and the other signer headers). Throws Exception(invalid_argument) for a
// request that cannot be signed: no Host header, an empty or malformed header name.
[[nodiscard]] CanonicalRequest canonical_request(const HttpRequestToSign& request,
                                                 const SigningOptions& options = {});

// "AWS4-HMAC-SHA256\n<amz_date>\n<date>/<region>/<service>/aws4_request\n<hex sha256>".
[[nodiscard]] std::string string_to_sign(std::string_view canonical_request_text,
                                         const SigningScope& scope);

// The key derived from the secret for one day, region and service (the HMAC chain
// "AWS4"+secret -> date -> region -> service -> "aws4_request"). It is valid for every
// request of that day, so Signer caches it. Wiped from memory when destroyed.
class SigningKey {
 public:
  SigningKey(std::string_view secret_access_key, std::string_view date, std::string_view region,
             std::string_view service);
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();

  // The hex signature of `string_to_sign`.
  [[nodiscard]] std::string sign(std::string_view string_to_sign) const;

 private:
  std::array<std::uint8_t, 32> key_{};
};

[[nodiscard]] SigningKey signing_key(std::string_view secret_access_key, std::string_view date,
                                     std::string_view region, std::string_view service);

// Signs `request` and returns the headers to add to it, in this order: X-Amz-Security-Token
// (with a session token), X-Amz-Date, x-amz-content-sha256 (if asked for), Authorization.
// Throws Exception(invalid_argument) naming what is wrong with the request, the scope or
// the credentials (never their secret part). Derives the signing key on every call; a
// transport signing many requests uses Signer.
[[nodiscard]] std::vector<Header> sign(const HttpRequestToSign& request, const SigningScope& scope,
                                       const Credentials& credentials,
                                       const SigningOptions& options = {});

// sign() with the signing key cached for the current day, region and service. One Signer
// serves one thread (a transport's IO thread); it is not safe to share without a lock.
class Signer {
 public:
  explicit Signer(Credentials credentials);

  // New credentials (e.g. refreshed temporary ones); the cached key is dropped.
  void set_credentials(Credentials credentials);
  [[nodiscard]] const std::string& access_key_id() const noexcept {
    return credentials_.access_key_id;
  }

  [[nodiscard]] std::vector<Header> sign(const HttpRequestToSign& request,
                                         const SigningScope& scope,
                                         const SigningOptions& options = {});

  // How many times a key was derived; tests use it to see the cache work.
  [[nodiscard]] std::size_t keys_derived() const noexcept { return keys_derived_; }

 private:
  struct CachedKey {
    std::string date;
    std::string region;
    std::string service;
    SigningKey key;
  };

  Credentials credentials_;
  std::optional<CachedKey> cached_;
  std::size_t keys_derived_ = 0;
};

// The X-Amz-Date form of `time`: YYYYMMDDTHHMMSSZ in UTC.
[[nodiscard]] std::string amz_date(std::chrono::system_clock::time_point time);

// Percent-encoding as SigV4 defines it: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX
// (uppercase hex); uri_encode_path keeps '/' as well.
[[nodiscard]] std::string uri_encode(std::string_view text);
[[nodiscard]] std::string uri_encode_path(std::string_view path);

}  // namespace postwire::sqs
