#include "protocol/kafka/messages/find_coordinator.hpp"

#include <string>

#include "postwire/error.hpp"
#include "protocol/kafka/messages/common.hpp"

namespace postwire::kafka {

void FindCoordinatorRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  if (version <= 3) {
    if (coordinator_keys.size() != 1) {
      throw Exception(ErrorCode::invalid_argument,
                      "kafka FindCoordinator request v" + std::to_string(version) + ": " +
                          std::to_string(coordinator_keys.size()) +
                          " coordinator keys; versions before 4 take exactly one");
    }
    w.str(coordinator_keys.front(), flex);
  }
  w.i8(key_type);
  if (version >= 4) write_string_array(w, coordinator_keys, flex);
  w.tagged_fields_end(flex);
}

FindCoordinatorResponse FindCoordinatorResponse::decode(std::span<const std::uint8_t> body,
                                                        std::int16_t version) {
  require_version(ApiKey::find_coordinator, version, "response");
  const bool flex = flexible(ApiKey::find_coordinator, version);
  Reader in(body, "FindCoordinator response", version);
  FindCoordinatorResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  if (version <= 3) {
    auto& c = r.coordinators.emplace_back();
    c.error_code = in.i16("error_code");
    c.error_message = in.nstr("error_message", flex);
    c.node_id = in.i32("node_id");
    c.host = in.str("host", flex);
    c.port = in.i32("port");
  } else {
    const std::size_t n = in.array_length("coordinators", flex, 14);
    for (std::size_t i = 0; i < n; ++i) {
      auto& c = r.coordinators.emplace_back();
      c.key = in.str("coordinators.key", flex);
      c.node_id = in.i32("coordinators.node_id");
      c.host = in.str("coordinators.host", flex);
      c.port = in.i32("coordinators.port");
      c.error_code = in.i16("coordinators.error_code");
      c.error_message = in.nstr("coordinators.error_message", flex);
      in.tagged_fields_end(flex, "coordinators.tagged fields");
    }
  }
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
