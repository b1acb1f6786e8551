#pragma once

// DeleteRecords (key 21, versions 0-2; flexible from 2): moves partitions' log start offsets
// forward, deleting the records before them.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct DeleteRecordsRequest {
  static constexpr ApiKey api_key = ApiKey::delete_records;

  struct Partition {
    std::int32_t partition_index = 0;
    std::int64_t offset = 0;  // records before it go; -1 for the high watermark
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
  };

  std::vector<Topic> topics;
  std::int32_t timeout_ms = 60000;

  void encode(Writer& w, std::int16_t version) const;
};

struct DeleteRecordsResponse {
  struct Partition {
    std::int32_t partition_index = 0;
    std::int64_t low_watermark = -1;
    std::int16_t error_code = 0;
    bool operator==(const Partition&) const = default;
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };

  std::int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;

  static DeleteRecordsResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const DeleteRecordsResponse&) const = default;
};

}  // namespace postwire::kafka
