#pragma once

// Produce (key 0, versions 7-11; flexible from 9): record batches for partitions this broker
// leads. The records are opaque bytes here (RecordBatch v2, encoded elsewhere).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/messages/common.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct ProduceRequest {
  static constexpr ApiKey api_key = ApiKey::produce;

  struct PartitionData {
    std::int32_t index = 0;
    // One or more record batches; the caller keeps the bytes alive until encode returns.
    std::span<const std::uint8_t> records;
  };
  struct TopicData {
    std::string name;
    std::vector<PartitionData> partition_data;
  };

  std::optional<std::string> transactional_id;
  // 0: no response at all; 1: the leader's write; -1: every in-sync replica's.
  std::int16_t acks = -1;
  std::int32_t timeout_ms = 30000;
  std::vector<TopicData> topic_data;

  void encode(Writer& w, std::int16_t version) const;
};

struct ProduceResponse {
  struct RecordError {
    std::int32_t batch_index = 0;
    std::optional<std::string> batch_index_error_message;
    bool operator==(const RecordError&) const = default;
  };
  struct PartitionResponse {
    std::int32_t index = 0;
    std::int16_t error_code = 0;
    std::int64_t base_offset = -1;
    std::int64_t log_append_time_ms = -1;
    std::int64_t log_start_offset = -1;
    std::vector<RecordError> record_errors;          // v8+
    std::optional<std::string> error_message;        // v8+
    std::optional<LeaderIdAndEpoch> current_leader;  // tagged, v10+
    bool operator==(const PartitionResponse&) const = default;
  };
  struct TopicResponse {
    std::string name;
    std::vector<PartitionResponse> partition_responses;
    bool operator==(const TopicResponse&) const = default;
  };

  std::vector<TopicResponse> responses;
  std::int32_t throttle_time_ms = 0;
  std::vector<NodeEndpoint> node_endpoints;  // tagged, v10+

  static ProduceResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const ProduceResponse&) const = default;
};

}  // namespace postwire::kafka
