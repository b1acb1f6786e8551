#pragma once

// Kafka's API keys and the versions of each that this codec speaks: which versions exist in
// flexible form (KIP-482), and how to agree on a version with a broker from its ApiVersions
// answer. The numbers come from the apiKey, validVersions and flexibleVersions of Kafka's
// message schemas (clients/src/main/resources/common/message/*.json).

#include <cstdint>
#include <optional>
#include <string_view>

namespace postwire::kafka {

enum class ApiKey : std::int16_t {
  produce = 0,
  fetch = 1,
  list_offsets = 2,
  metadata = 3,
  offset_commit = 8,
  offset_fetch = 9,
  find_coordinator = 10,
  join_group = 11,
  heartbeat = 12,
  leave_group = 13,
  sync_group = 14,
  sasl_handshake = 17,
  api_versions = 18,
  create_topics = 19,
  delete_topics = 20,
  delete_records = 21,
  init_producer_id = 22,
  sasl_authenticate = 36,
  consumer_group_heartbeat = 68,
};

// Inclusive; a range with max < min is empty.
struct VersionRange {
  std::int16_t min;
  std::int16_t max;

  [[nodiscard]] constexpr bool empty() const noexcept { return max < min; }
  [[nodiscard]] constexpr bool contains(std::int16_t v) const noexcept {
    return min <= v && v <= max;
  }
  constexpr bool operator==(const VersionRange&) const = default;
};

// The schema's name, e.g. "Metadata"; "unknown" for a key this enum does not list.
[[nodiscard]] std::string_view api_name(ApiKey key) noexcept;

// The versions this codec implements for `key`; an empty range for the APIs it has no codec
// for yet.
[[nodiscard]] VersionRange client_versions(ApiKey key) noexcept;

// Whether `version` of `key` is flexible: compact strings and arrays, tagged fields, and
// request header v2.
[[nodiscard]] bool flexible(ApiKey key, std::int16_t version) noexcept;

// Whether the response to `version` of `key` carries header v1 (with tagged fields).
// ApiVersions responses always use header v0, so that a client can read the answer of a
// broker that does not know the version it asked for.
[[nodiscard]] bool flexible_response_header(ApiKey key, std::int16_t version) noexcept;

// The newest version both this codec and a broker advertising `broker` support; nothing when
// the ranges do not meet.
[[nodiscard]] std::optional<std::int16_t> pick_version(ApiKey key, VersionRange broker) noexcept;

// Throws Exception(invalid_argument) unless this codec implements `version` of `key`; `side`
// ("request" or "response") names what was asked for.
void require_version(ApiKey key, std::int16_t version, std::string_view side);

}  // namespace postwire::kafka
