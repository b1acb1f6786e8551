#pragma once

// SaslAuthenticate (key 36, versions 0-2; flexible from 2): one round of a SASL exchange.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct SaslAuthenticateRequest {
  static constexpr ApiKey api_key = ApiKey::sasl_authenticate;

  // The mechanism's message; the caller keeps the bytes alive until encode returns.
  std::span<const std::uint8_t> auth_bytes;

  void encode(Writer& w, std::int16_t version) const;
};

struct SaslAuthenticateResponse {
  std::int16_t error_code = 0;
  std::optional<std::string> error_message;
  std::vector<std::uint8_t> auth_bytes;  // a copy: the mechanism outlives the frame
  // v1+: how long the broker keeps the session before the client must authenticate again
  // (KIP-368); 0 for no limit.
  std::int64_t session_lifetime_ms = 0;

  static SaslAuthenticateResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const SaslAuthenticateResponse&) const = default;
};

}  // namespace postwire::kafka
