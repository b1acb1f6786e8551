#include "protocol/kafka/api.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka {

namespace {

constexpr std::int16_t never = std::numeric_limits<std::int16_t>::max();
constexpr VersionRange none{0, -1};

struct ApiInfo {
  ApiKey key;
  std::string_view name;
  // The versions implemented here. The floor is the lowest version Kafka 4.0 still accepts
  // (KIP-896 removed the rest): the version after the schema's deprecatedVersions where the
  // schema has them, else the schema's first valid version. The ceiling is the newest
  // version in the schemas this codec follows.
  VersionRange implemented;
  // The first flexible version (the schema's flexibleVersions), `never` for none.
  std::int16_t first_flexible;
};

constexpr ApiInfo apis[] = {
    // ProduceRequest: deprecatedVersions 0-6.
    {ApiKey::produce, "Produce", {7, 11}, 9},
    // FetchRequest: deprecatedVersions 0-3.
    {ApiKey::fetch, "Fetch", {4, 17}, 12},
    // ListOffsetsRequest: deprecatedVersions 0.
    {ApiKey::list_offsets, "ListOffsets", {1, 10}, 6},
    // MetadataRequest: deprecatedVersions 0-3.
    {ApiKey::metadata, "Metadata", {4, 12}, 9},
    {ApiKey::offset_commit, "OffsetCommit", none, 8},
    {ApiKey::offset_fetch, "OffsetFetch", none, 6},
    // FindCoordinatorRequest: deprecatedVersions 0.
    {ApiKey::find_coordinator, "FindCoordinator", {1, 6}, 3},
    {ApiKey::join_group, "JoinGroup", none, 6},
    {ApiKey::heartbeat, "Heartbeat", none, 4},
    {ApiKey::leave_group, "LeaveGroup", none, 4},
    {ApiKey::sync_group, "SyncGroup", none, 4},
    // SaslHandshakeRequest: deprecatedVersions 0; never flexible.
    {ApiKey::sasl_handshake, "SaslHandshake", {1, 1}, never},
    // ApiVersionsRequest: nothing deprecated; v0 is also the fallback form of the response.
    {ApiKey::api_versions, "ApiVersions", {0, 4}, 3},
    // CreateTopicsRequest: deprecatedVersions 0-1.
    {ApiKey::create_topics, "CreateTopics", {2, 7}, 5},
    // DeleteTopicsRequest: deprecatedVersions 0.
    {ApiKey::delete_topics, "DeleteTopics", {1, 6}, 4},
    // DeleteRecordsRequest: nothing deprecated.
    {ApiKey::delete_records, "DeleteRecords", {0, 2}, 2},
    // InitProducerIdRequest: nothing deprecated.
    {ApiKey::init_producer_id, "InitProducerId", {0, 5}, 2},
    // SaslAuthenticateRequest: nothing deprecated.
    {ApiKey::sasl_authenticate, "SaslAuthenticate", {0, 2}, 2},
    {ApiKey::consumer_group_heartbeat, "ConsumerGroupHeartbeat", none, 0},
};

const ApiInfo* find(ApiKey key) noexcept {
  const auto* it = std::find_if(std::begin(apis), std::end(apis),
                                [key](const ApiInfo& api) { return api.key == key; });
  return it == std::end(apis) ? nullptr : it;
}

}  // namespace

std::string_view api_name(ApiKey key) noexcept {
  const ApiInfo* api = find(key);
  return api != nullptr ? api->name : "unknown";
}

VersionRange client_versions(ApiKey key) noexcept {
  const ApiInfo* api = find(key);
  return api != nullptr ? api->implemented : none;
}

bool flexible(ApiKey key, std::int16_t version) noexcept {
  const ApiInfo* api = find(key);
  return api != nullptr && version >= api->first_flexible;
}

bool flexible_response_header(ApiKey key, std::int16_t version) noexcept {
  return key != ApiKey::api_versions && flexible(key, version);
}

std::optional<std::int16_t> pick_version(ApiKey key, VersionRange broker) noexcept {
  const VersionRange ours = client_versions(key);
  const VersionRange both{std::max(ours.min, broker.min), std::min(ours.max, broker.max)};
  if (ours.empty() || broker.empty() || both.empty()) return std::nullopt;
  return both.max;
}

void require_version(ApiKey key, std::int16_t version, std::string_view side) {
  const VersionRange ours = client_versions(key);
  if (!ours.contains(version)) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka " + std::string(api_name(key)) + " " + std::string(side) + ": version " +
                        std::to_string(version) + " is not one this codec implements (" +
                        (ours.empty() ? std::string("none")
                                      : std::to_string(ours.min) + "-" + std::to_string(ours.max)) +
                        ")");
  }
}

}  // namespace postwire::kafka
