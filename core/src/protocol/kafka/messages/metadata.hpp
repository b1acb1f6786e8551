#pragma once

// Metadata (key 3, versions 4-12; flexible from 9): the brokers of the cluster, and the
// partitions, leaders and replicas of the topics asked for.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

// "Not requested" for the authorized-operations bit fields.
inline constexpr std::int32_t authorized_operations_unknown =
    std::numeric_limits<std::int32_t>::min();

struct MetadataRequest {
  static constexpr ApiKey api_key = ApiKey::metadata;

  struct Topic {
    Uuid topic_id{};  // v10+; all zero to ask by name
    // Null asks by topic_id, which brokers honour from v12 only.
    std::optional<std::string> name;
    bool operator==(const Topic&) const = default;
  };

  // Nothing asks for every topic; an empty vector for none (just the brokers).
  std::optional<std::vector<Topic>> topics;
  bool allow_auto_topic_creation = true;
  bool include_cluster_authorized_operations = false;  // v8-v10
  bool include_topic_authorized_operations = false;    // v8+

  void encode(Writer& w, std::int16_t version) const;
};

struct MetadataResponse {
  struct Broker {
    std::int32_t node_id = 0;
    std::string host;
    std::int32_t port = 0;
    std::optional<std::string> rack;
    bool operator==(const Broker&) const = default;
  };
  struct Partition {
    std::int16_t error_code = 0;
    std::int32_t partition_index = 0;
    std::int32_t leader_id = -1;
    std::int32_t leader_epoch = -1;
    std::vector<std::int32_t> replica_nodes;
    std::vector<std::int32_t> isr_nodes;
    std::vector<std::int32_t> offline_replicas;
    bool operator==(const Partition&) const = default;
  };
  struct Topic {
    std::int16_t error_code = 0;
    // Empty when the broker sent null (v12+: a topic asked for by an id it does not know).
    std::string name;
    Uuid topic_id{};  // v10+
    bool is_internal = false;
    std::vector<Partition> partitions;
    std::int32_t topic_authorized_operations = authorized_operations_unknown;
    bool operator==(const Topic&) const = default;
  };

  std::int32_t throttle_time_ms = 0;
  std::vector<Broker> brokers;
  std::optional<std::string> cluster_id;
  std::int32_t controller_id = -1;
  std::vector<Topic> topics;
  std::int32_t cluster_authorized_operations = authorized_operations_unknown;  // v8-v10

  static MetadataResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const MetadataResponse&) const = default;
};

}  // namespace postwire::kafka
