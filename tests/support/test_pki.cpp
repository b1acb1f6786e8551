#include "support/test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace postwire::testing {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

void check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("test PKI: ") + what + " failed");
  }
}

EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "EC key generation");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  check(extension != nullptr, "building an X.509 extension");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// An unsigned certificate for `key`; `issuer` null makes it self-issued.
X509Ptr new_certificate(EVP_PKEY* key, const std::string& common_name, X509* issuer) {
  static std::atomic<long> serial{1};
  X509Ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  return cert;
}

void write_pem(const std::filesystem::path& path, X509* cert, EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  check(bio != nullptr, "opening a PEM file");
  if (cert != nullptr) {
    check(PEM_write_bio_X509(bio.get(), cert) == 1, "writing a certificate");
  }
  if (key != nullptr) {
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "writing a key");
  }
}

}  // namespace

TestPki::TestPki(const std::string& ca_name) {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("postwire-pki-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);

  EVP_PKEY* key = new_key();
  X509Ptr cert = new_certificate(key, ca_name, nullptr);
  add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), key, EVP_sha256()) > 0, "signing the CA certificate");
  ca_cert_path_ = dir_ / "ca.pem";
  write_pem(ca_cert_path_, cert.get(), nullptr);
  ca_key_ = key;
  ca_cert_ = cert.release();
}

TestPki::~TestPki() {
  EVP_PKEY_free(static_cast<EVP_PKEY*>(ca_key_));
  X509_free(static_cast<X509*>(ca_cert_));
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

TestPki::Issued TestPki::issue(const std::string& file_stem, const std::string& common_name,
                               const std::vector<std::string>& dns_names,
                               const std::vector<std::string>& ip_addresses) {
  auto* ca_cert = static_cast<X509*>(ca_cert_);
  auto* ca_key = static_cast<EVP_PKEY*>(ca_key_);
  EVP_PKEY* key = new_key();
  X509Ptr cert = new_certificate(key, common_name, ca_cert);
  add_extension(cert.get(), ca_cert, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ca_cert, NID_ext_key_usage, "serverAuth,clientAuth");
  add_extension(cert.get(), ca_cert, NID_authority_key_identifier, "keyid");
  std::string san;
  for (const auto& dns : dns_names) {
    san += (san.empty() ? "DNS:" : ",DNS:") + dns;
  }
  for (const auto& ip : ip_addresses) {
    san += (san.empty() ? "IP:" : ",IP:") + ip;
  }
  if (!san.empty()) {
    add_extension(cert.get(), ca_cert, NID_subject_alt_name, san);
  }
  check(X509_sign(cert.get(), ca_key, EVP_sha256()) > 0, "signing a certificate");
  Issued issued{dir_ / (file_stem + ".pem"), dir_ / (file_stem + ".key")};
  write_pem(issued.certificate, cert.get(), nullptr);
  write_pem(issued.key, nullptr, key);
  EVP_PKEY_free(key);
  return issued;
}

}  // namespace postwire::testing
