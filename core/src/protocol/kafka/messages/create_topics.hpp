#pragma once

// CreateTopics (key 19, versions 2-7; flexible from 5): sent to the controller (or any broker
// with KRaft), which creates the topics.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct CreateTopicsRequest {
  static constexpr ApiKey api_key = ApiKey::create_topics;

  // A manual assignment of one partition's replicas; when given, num_partitions and
  // replication_factor must be -1.
  struct Assignment {
    std::int32_t partition_index = 0;
    std::vector<std::int32_t> broker_ids;
  };
  struct Config {
    std::string name;
    std::optional<std::string> value;
  };
  struct Topic {
    std::string name;
    std::int32_t num_partitions = -1;      // -1: the broker's default
    std::int16_t replication_factor = -1;  // -1: the broker's default
    std::vector<Assignment> assignments;
    std::vector<Config> configs;
  };

  std::vector<Topic> topics;
  std::int32_t timeout_ms = 60000;
  bool validate_only = false;

  void encode(Writer& w, std::int16_t version) const;
};

struct CreateTopicsResponse {
  struct Topic {
    std::string name;
    Uuid topic_id{};  // v7+
    std::int16_t error_code = 0;
    std::optional<std::string> error_message;
    std::int32_t num_partitions = -1;      // v5+
    std::int16_t replication_factor = -1;  // v5+
    bool operator==(const Topic&) const = default;
  };

  std::int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;

  static CreateTopicsResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const CreateTopicsResponse&) const = default;
};

}  // namespace postwire::kafka
