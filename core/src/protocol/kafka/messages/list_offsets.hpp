#pragma once

// ListOffsets (key 2, versions 1-10; flexible from 6): the offset of a partition at a time,
// or its latest (-1) or earliest (-2) offset.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

inline constexpr std::int64_t list_offsets_latest = -1;
inline constexpr std::int64_t list_offsets_earliest = -2;

struct ListOffsetsRequest {
  static constexpr ApiKey api_key = ApiKey::list_offsets;

  struct Partition {
    std::int32_t partition_index = 0;
    std::int32_t current_leader_epoch = -1;  // v4+
    std::int64_t timestamp = list_offsets_latest;
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
  };

  std::int32_t replica_id = -1;     // -1 for a consumer
  std::int8_t isolation_level = 0;  // v2+: 0 read_uncommitted, 1 read_committed
  std::vector<Topic> topics;
  std::int32_t timeout_ms = 30000;  // v10+

  void encode(Writer& w, std::int16_t version) const;
};

struct ListOffsetsResponse {
  struct Partition {
    std::int32_t partition_index = 0;
    std::int16_t error_code = 0;
    std::int64_t timestamp = -1;
    std::int64_t offset = -1;
    std::int32_t leader_epoch = -1;  // v4+
    bool operator==(const Partition&) const = default;
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };

  std::int32_t throttle_time_ms = 0;  // v2+
  std::vector<Topic> topics;

  static ListOffsetsResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const ListOffsetsResponse&) const = default;
};

}  // namespace postwire::kafka
