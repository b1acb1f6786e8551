#include "protocol/sqs/digest.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "postwire/error.hpp"

namespace postwire::sqs {
namespace {

// A digest that OpenSSL cannot compute means the library is broken or misconfigured (e.g.
// MD5 disabled by a FIPS-only provider): nothing a caller can fix by retrying.
[[noreturn]] void digest_failed(std::string_view what) {
  throw Exception(ErrorCode::internal,
                  "OpenSSL could not compute " + std::string(what) +
                      " (is the algorithm available in the loaded providers?)");
}

struct MacFree {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};

template <std::size_t N>
std::array<std::uint8_t, N> one_shot(const EVP_MD* md, std::string_view data,
                                     std::string_view what) {
  std::array<std::uint8_t, N> out{};
  unsigned int size = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) != 1 ||
      size != N) {
    digest_failed(what);
  }
  return out;
}

}  // namespace

Sha256 sha256(std::string_view data) { return one_shot<32>(EVP_sha256(), data, "SHA-256"); }

Md5 md5(std::string_view data) { return one_shot<16>(EVP_md5(), data, "MD5"); }

Sha256 hmac_sha256(std::span<const std::uint8_t> key, std::string_view data) {
  // Fetching the MAC per call keeps this free of global state; SigV4 computes five HMACs per
  // request at most (one once the signing key is cached).
  const std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) {
    digest_failed("HMAC-SHA-256");
  }
  const std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(mac.get()));
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  Sha256 out{};
  std::size_t size = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1 ||
      EVP_MAC_final(ctx.get(), out.data(), &size, out.size()) != 1 || size != out.size()) {
    digest_failed("HMAC-SHA-256");
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4U]);
    out.push_back(digits[b & 0x0FU]);
  }
  return out;
}

void Md5Builder::CtxFree::operator()(evp_md_ctx_st* ctx) const noexcept { EVP_MD_CTX_free(ctx); }

Md5Builder::Md5Builder() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_md5(), nullptr) != 1) {
    digest_failed("MD5");
  }
}

void Md5Builder::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    digest_failed("MD5");
  }
}

void Md5Builder::update(std::span<const std::uint8_t> data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    digest_failed("MD5");
  }
}

Md5 Md5Builder::finish() {
  Md5 out{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &size) != 1 || size != out.size()) {
    digest_failed("MD5");
  }
  return out;
}

}  // namespace postwire::sqs
