#pragma once

// ApiVersions (key 18, versions 0-4; flexible from 3): the first request on every
// connection, asking which versions of each API the broker speaks.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct ApiVersionsRequest {
  static constexpr ApiKey api_key = ApiKey::api_versions;
  // Sent from v3 on (KIP-511). A broker rejects names and versions outside
  // [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?, so neither may be empty.
  std::string client_software_name = "postwire";
  std::string client_software_version = "unknown";

  void encode(Writer& w, std::int16_t version) const;
};

struct ApiVersionsResponse {
  struct ApiVersion {
    std::int16_t api_key = 0;
    std::int16_t min_version = 0;
    std::int16_t max_version = 0;
    bool operator==(const ApiVersion&) const = default;
  };

  std::int16_t error_code = 0;
  std::vector<ApiVersion> api_keys;
  std::int32_t throttle_time_ms = 0;
  // The version the body was read as: the one asked for, or 0 when the broker did not know
  // that version and answered UNSUPPORTED_VERSION in a v0 body listing its own range (from
  // Kafka 2.4, KIP-511); the caller then asks again at a version in that range.
  std::int16_t body_version = 0;

  // The broker's range for `key`, if it listed the key.
  [[nodiscard]] std::optional<VersionRange> versions(ApiKey key) const;

  static ApiVersionsResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const ApiVersionsResponse&) const = default;
};

}  // namespace postwire::kafka
