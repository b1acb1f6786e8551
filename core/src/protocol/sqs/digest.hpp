#pragma once

// The digests the SQS protocol needs, over OpenSSL 3's EVP interfaces: SHA-256 and
// HMAC-SHA-256 for Signature Version 4, MD5 for the checksums SQS returns for message bodies
// and attributes. Bytes in, bytes out; hex where the protocol writes digests as text.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace postwire::sqs {

using Sha256 = std::array<std::uint8_t, 32>;
using Md5 = std::array<std::uint8_t, 16>;

[[nodiscard]] Sha256 sha256(std::string_view data);
[[nodiscard]] Sha256 hmac_sha256(std::span<const std::uint8_t> key, std::string_view data);
[[nodiscard]] Md5 md5(std::string_view data);

// Lowercase hex, as SigV4 and SQS write digests.
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);

// Incremental MD5, for digests computed over many small pieces (message attributes).
class Md5Builder {
 public:
  Md5Builder();

  void update(std::string_view data);
  void update(std::span<const std::uint8_t> data);
  // The digest of everything passed to update(); the builder cannot be used afterwards.
  [[nodiscard]] Md5 finish();

 private:
  struct CtxFree {
    void operator()(evp_md_ctx_st* ctx) const noexcept;
  };
  std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
};

}  // namespace postwire::sqs
