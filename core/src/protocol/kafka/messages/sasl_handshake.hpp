#pragma once

// SaslHandshake (key 17, version 1; never flexible): picks the SASL mechanism. From v1 the
// SASL exchange itself travels in SaslAuthenticate requests (KIP-152).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct SaslHandshakeRequest {
  static constexpr ApiKey api_key = ApiKey::sasl_handshake;

  std::string mechanism;  // e.g. "PLAIN", "SCRAM-SHA-512"

  void encode(Writer& w, std::int16_t version) const;
};

struct SaslHandshakeResponse {
  std::int16_t error_code = 0;
  std::vector<std::string> mechanisms;  // the ones the broker has enabled

  static SaslHandshakeResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const SaslHandshakeResponse&) const = default;
};

}  // namespace postwire::kafka
