#pragma once

// DeleteTopics (key 20, versions 1-6; flexible from 4): by name up to v5, by name or topic id
// from v6.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct DeleteTopicsRequest {
  static constexpr ApiKey api_key = ApiKey::delete_topics;

  struct Topic {
    // Up to v5 every topic needs a name; from v6 either a name or a topic id.
    std::optional<std::string> name;
    Uuid topic_id{};  // v6+; all zero when deleting by name
  };

  std::vector<Topic> topics;
  std::int32_t timeout_ms = 60000;

  void encode(Writer& w, std::int16_t version) const;
};

struct DeleteTopicsResponse {
  struct Result {
    // Empty when the broker sent null (v6+: a topic deleted by id).
    std::string name;
    Uuid topic_id{};  // v6+
    std::int16_t error_code = 0;
    std::optional<std::string> error_message;  // v5+
    bool operator==(const Result&) const = default;
  };

  std::int32_t throttle_time_ms = 0;
  std::vector<Result> responses;

  static DeleteTopicsResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const DeleteTopicsResponse&) const = default;
};

}  // namespace postwire::kafka
