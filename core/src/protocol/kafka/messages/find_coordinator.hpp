#pragma once

// FindCoordinator (key 10, versions 1-6; flexible from 3): the broker that coordinates a
// consumer group (key type 0) or a transactional id (1). Up to v3 one key per request, from
// v4 a batch (KIP-699).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

inline constexpr std::int8_t coordinator_key_group = 0;
inline constexpr std::int8_t coordinator_key_transaction = 1;

struct FindCoordinatorRequest {
  static constexpr ApiKey api_key = ApiKey::find_coordinator;

  std::int8_t key_type = coordinator_key_group;
  // Up to v3 exactly one key, sent as Key; from v4 any number, as CoordinatorKeys.
  std::vector<std::string> coordinator_keys;

  void encode(Writer& w, std::int16_t version) const;
};

struct FindCoordinatorResponse {
  struct Coordinator {
    // Empty in answers up to v3, which do not repeat the one key asked for.
    std::string key;
    std::int32_t node_id = -1;
    std::string host;
    std::int32_t port = -1;
    std::int16_t error_code = 0;
    std::optional<std::string> error_message;
    bool operator==(const Coordinator&) const = default;
  };

  std::int32_t throttle_time_ms = 0;
  // Always one entry per key: answers up to v3 are put in the same form as from v4.
  std::vector<Coordinator> coordinators;

  static FindCoordinatorResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const FindCoordinatorResponse&) const = default;
};

}  // namespace postwire::kafka
