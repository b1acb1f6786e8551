#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "postwire/export.hpp"

namespace postwire {

enum class BrokerKind { amqp, kafka, sqs };

// Not an aggregate on purpose: GCC 12 destroys aggregate temporaries twice when they are
// written inside a co_await expression (`co_await connect({"h", 1}, ...)`); a constructor
// makes that call safe.
struct HostPort {
  HostPort() = default;
  HostPort(std::string host_name, std::uint16_t port_number)
      : host(std::move(host_name)), port(port_number) {}

  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  std::uint16_t port = 0;

  // "host:port", with an IPv6 address in brackets: "[::1]:9092".
  [[nodiscard]] std::string to_string() const;

  bool operator==(const HostPort&) const = default;
};

// A parsed broker URL, in one of the schemes documented in docs/urls.md:
//   amqp://user:pass@h1:5672,h2/vhost      amqps://...
//   kafka://h1:9092,h2:9092                kafka+tls://...
//   sqs://us-east-1                        sqs+http://127.0.0.1:9324?region=us-east-1
// User names, passwords, paths and query values are percent-decoded. The password is never
// part of any text this class produces: redacted() replaces it, and it is the only way the URL
// is printed or logged.
class POSTWIRE_API BrokerUrl {
 public:
  // Throws Exception(invalid_url) naming what is wrong. The message never contains the
  // password.
  static BrokerUrl parse(std::string_view url);

  [[nodiscard]] BrokerKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& scheme() const noexcept { return scheme_; }
  [[nodiscard]] bool tls() const noexcept { return tls_; }
  [[nodiscard]] const std::vector<HostPort>& hosts() const noexcept { return hosts_; }
  [[nodiscard]] const std::optional<std::string>& username() const noexcept { return username_; }
  [[nodiscard]] const std::optional<std::string>& password() const noexcept { return password_; }

  // AMQP: the virtual host ("/" when the URL has no path; "amqp://h/" names the vhost "").
  [[nodiscard]] const std::string& vhost() const noexcept { return path_; }
  // SQS: the AWS region (the host of sqs://, the `region` option of sqs+http://).
  [[nodiscard]] const std::string& region() const noexcept { return region_; }

  // Query options in the order given, e.g. {"region", "us-east-1"}.
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& options() const noexcept {
    return options_;
  }
  [[nodiscard]] std::optional<std::string_view> option(std::string_view name) const;

  // The URL with the password replaced by "***" and secret-looking query values likewise.
  [[nodiscard]] std::string redacted() const;

 private:
  BrokerKind kind_ = BrokerKind::amqp;
  std::string scheme_;
  bool tls_ = false;
  std::vector<HostPort> hosts_;
  std::optional<std::string> username_;
  std::optional<std::string> password_;
  std::string path_;
  std::string region_;
  std::vector<std::pair<std::string, std::string>> options_;
};

}  // namespace postwire
