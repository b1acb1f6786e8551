#include "faults/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace postwire::testing {
namespace {

std::string env_or_throw(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(name +
                             " is not set: start the brokers with ci/brokers up and "
                             "export what `ci/brokers env` prints");
  }
  return value;
}

std::string upper(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// Closes a socket descriptor when it goes out of scope.
struct Socket {
  int fd = -1;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  explicit Socket(int descriptor) : fd(descriptor) {}
  ~Socket() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

}  // namespace

FaultProxy::FaultProxy(std::string broker) : broker_(std::move(broker)) {
  url_ = env_or_throw("POSTWIRE_TEST_" + upper(broker_) + "_PROXY_URL");
  // http://127.0.0.1:48474
  const std::string api = env_or_throw("POSTWIRE_TEST_PROXY_API");
  const std::size_t host_start = api.find("://");
  const std::size_t colon = api.rfind(':');
  if (host_start == std::string::npos || colon == std::string::npos || colon < host_start + 3) {
    throw std::runtime_error("POSTWIRE_TEST_PROXY_API is not http://HOST:PORT: " + api);
  }
  api_host_ = api.substr(host_start + 3, colon - host_start - 3);
  api_port_ = std::stoi(api.substr(colon + 1));
  request("GET", "/proxies/" + broker_, {});
}

void FaultProxy::disable() { request("POST", "/proxies/" + broker_, R"({"enabled": false})"); }

void FaultProxy::enable() { request("POST", "/proxies/" + broker_, R"({"enabled": true})"); }

void FaultProxy::add_toxic(std::string_view name, std::string_view type, std::string_view stream,
                           std::string_view attributes) {
  request("POST", "/proxies/" + broker_ + "/toxics",
          "{\"name\": \"" + std::string(name) + "\", \"type\": \"" + std::string(type) +
              "\", \"stream\": \"" + std::string(stream) + "\", \"toxicity\": 1.0, " +
              "\"attributes\": {" + std::string(attributes) + "}}");
  toxics_.emplace_back(name);
}

void FaultProxy::remove_toxic(std::string_view name) {
  request("DELETE", "/proxies/" + broker_ + "/toxics/" + std::string(name), {});
  std::erase(toxics_, name);
}

void FaultProxy::reset() {
  // Only this proxy's: the other brokers' proxies may be in use by their own fault suites.
  for (const auto& name : std::vector<std::string>(toxics_)) {
    try {
      remove_toxic(name);
    } catch (const std::runtime_error&) {  // NOLINT(bugprone-empty-catch): gone already
    }
  }
  toxics_.clear();
  enable();
}

std::string FaultProxy::request(std::string_view method, const std::string& path,
                                std::string_view body) {
  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (socket.fd < 0) {
    throw std::runtime_error("toxiproxy API: cannot make a socket");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(api_port_));
  if (::inet_pton(AF_INET, api_host_.c_str(), &address.sin_addr) != 1 ||
      ::connect(socket.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("toxiproxy API at " + api_host_ + ":" + std::to_string(api_port_) +
                             " does not answer");
  }
  std::string out = std::string(method) + " " + path + " HTTP/1.1\r\nHost: " + api_host_ +
                    "\r\nConnection: close\r\nContent-Type: application/json\r\n" +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                    std::string(body);
  for (std::size_t written = 0; written < out.size();) {
    const ssize_t n = ::send(socket.fd, out.data() + written, out.size() - written, MSG_NOSIGNAL);
    if (n <= 0) {
      throw std::runtime_error("toxiproxy API: the request could not be sent");
    }
    written += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n = 0; (n = ::recv(socket.fd, buffer, sizeof buffer, 0)) > 0;) {
    response.append(buffer, static_cast<std::size_t>(n));
  }
  // "HTTP/1.1 200 OK"
  const int status = response.size() > 12 ? std::atoi(response.c_str() + 9) : 0;
  const std::size_t body_start = response.find("\r\n\r\n");
  std::string payload = body_start == std::string::npos ? "" : response.substr(body_start + 4);
  if (status < 200 || status >= 300) {
    throw std::runtime_error("toxiproxy API: " + std::string(method) + " " + path + " answered " +
                             std::to_string(status) + ": " + payload);
  }
  return payload;
}

}  // namespace postwire::testing
