#pragma once

// The fault proxy of a broker: the standing toxiproxy proxy that `ci/brokers up` puts in front
// of it, driven through toxiproxy's HTTP API (POSTWIRE_TEST_PROXY_API). Toxics follow
// toxiproxy v2's API: types latency, bandwidth, timeout, reset_peer, slow_close, slicer;
// streams "downstream" (broker to client) and "upstream".

#include <string>
#include <string_view>
#include <vector>

namespace postwire::testing {

class FaultProxy {
 public:
  // The proxy named after `broker` ("amqp"); throws std::runtime_error when the API is not set
  // or does not know it.
  explicit FaultProxy(std::string broker);

  // The broker's URL through the proxy (POSTWIRE_TEST_<BROKER>_PROXY_URL).
  [[nodiscard]] const std::string& url() const noexcept { return url_; }

  // Drops every connection and refuses new ones / accepts them again.
  void disable();
  void enable();
  // Adds a toxic named `name` of `type` on `stream` with the attributes given as the body of a
  // JSON object ("\"latency\": 100, \"jitter\": 50").
  void add_toxic(std::string_view name, std::string_view type, std::string_view stream,
                 std::string_view attributes);
  void remove_toxic(std::string_view name);
  // Enabled, and without toxics: how every scenario starts and ends.
  void reset();

 private:
  // One request; returns the response body, throws std::runtime_error on a status >= 300.
  std::string request(std::string_view method, const std::string& path, std::string_view body);

  std::string broker_;
  std::vector<std::string> toxics_;  // added and not removed yet
  std::string url_;
  std::string api_host_;
  int api_port_ = 0;
};

}  // namespace postwire::testing
