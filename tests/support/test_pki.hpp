#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace postwire::testing {

// A throw-away certificate authority and the certificates it signs, made with OpenSSL at
// test time (P-256 keys, SHA-256 signatures) and written as PEM files into a fresh
// temporary folder that is removed with the object.
class TestPki {
 public:
  struct Issued {
    std::filesystem::path certificate;  // PEM certificate
    std::filesystem::path key;          // PEM private key (unencrypted)
  };

  // `ca_name` becomes the CA's common name.
  explicit TestPki(const std::string& ca_name);
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  // The CA certificate, to trust (tls.ca.location).
  [[nodiscard]] const std::filesystem::path& ca_certificate() const noexcept {
    return ca_cert_path_;
  }

  // A leaf certificate for `common_name` with the given DNS and IP subject alternative
  // names, signed by this CA. `file_stem` names its files.
  Issued issue(const std::string& file_stem, const std::string& common_name,
               const std::vector<std::string>& dns_names,
               const std::vector<std::string>& ip_addresses);

  [[nodiscard]] const std::filesystem::path& directory() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path ca_cert_path_;
  void* ca_key_ = nullptr;   // EVP_PKEY*
  void* ca_cert_ = nullptr;  // X509*
};

}  // namespace postwire::testing
