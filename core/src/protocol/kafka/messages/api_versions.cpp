#include "protocol/kafka/messages/api_versions.hpp"

#include <exception>

#include "postwire/error.hpp"
#include "protocol/kafka/error_codes.hpp"

namespace postwire::kafka {

void ApiVersionsRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  if (version >= 3) {
    w.compact_string(client_software_name);
    w.compact_string(client_software_version);
    w.empty_tagged_fields();
  }
  // v0-v2 have an empty body.
}

std::optional<VersionRange> ApiVersionsResponse::versions(ApiKey key) const {
  for (const auto& api : api_keys) {
    if (api.api_key == static_cast<std::int16_t>(key)) {
      return VersionRange{api.min_version, api.max_version};
    }
  }
  return std::nullopt;
}

namespace {

ApiVersionsResponse decode_at(std::span<const std::uint8_t> body, std::int16_t version) {
  const bool flex = flexible(ApiKey::api_versions, version);
  Reader in(body, "ApiVersions response", version);
  ApiVersionsResponse r;
  r.body_version = version;
  r.error_code = in.i16("error_code");
  const std::size_t n = in.array_length("api_keys", flex, 6);
  r.api_keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& api = r.api_keys.emplace_back();
    api.api_key = in.i16("api_keys.api_key");
    api.min_version = in.i16("api_keys.min_version");
    api.max_version = in.i16("api_keys.max_version");
    in.tagged_fields_end(flex, "api_keys.tagged fields");
  }
  if (version >= 1) r.throttle_time_ms = in.i32("throttle_time_ms");
  // SupportedFeatures, FinalizedFeaturesEpoch, FinalizedFeatures and ZkMigrationReady are
  // tagged fields a client has no use for.
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace

ApiVersionsResponse ApiVersionsResponse::decode(std::span<const std::uint8_t> body,
                                                std::int16_t version) {
  require_version(ApiKey::api_versions, version, "response");
  std::exception_ptr original;
  try {
    return decode_at(body, version);
  } catch (const Exception& e) {
    if (version == 0 || e.code() != ErrorCode::protocol_error) throw;
    original = std::current_exception();
  }
  // A broker that does not know `version` answers in v0 form (ApiVersionsResponse.json),
  // which does not parse as a newer version: read it as v0 before giving up.
  try {
    ApiVersionsResponse fallback = decode_at(body, 0);
    if (fallback.error_code == kafka_errc::unsupported_version) return fallback;
  } catch (const Exception&) {
    // Not a v0 fallback either: the error worth reporting is the one at `version`.
  }
  std::rethrow_exception(original);
}

}  // namespace postwire::kafka
