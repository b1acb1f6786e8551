#pragma once

// Fetch (key 1, versions 4-17; flexible from 12): record batches from the partitions this
// broker leads (or replicates, KIP-392). Topics go by name up to v12 and by topic id from
// v13. The records are opaque bytes here (RecordBatch v2, decoded elsewhere).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/messages/common.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct FetchRequest {
  static constexpr ApiKey api_key = ApiKey::fetch;

  struct Partition {
    std::int32_t partition = 0;
    std::int32_t current_leader_epoch = -1;  // v9+
    std::int64_t fetch_offset = 0;
    std::int32_t last_fetched_epoch = -1;  // v12+
    std::int64_t log_start_offset = -1;    // a follower's; -1 for a consumer
    std::int32_t partition_max_bytes = 1 << 20;
  };
  struct Topic {
    std::string topic;  // up to v12
    Uuid topic_id{};    // v13+
    std::vector<Partition> partitions;
  };
  // Partitions to drop from an incremental fetch session (KIP-227), v7+.
  struct ForgottenTopic {
    std::string topic;  // up to v12
    Uuid topic_id{};    // v13+
    std::vector<std::int32_t> partitions;
  };

  // -1 for a consumer. A plain field up to v14; from v15 the ReplicaState tagged field,
  // sent only when either value differs from -1.
  std::int32_t replica_id = -1;
  std::int64_t replica_epoch = -1;  // v15+
  std::int32_t max_wait_ms = 500;
  std::int32_t min_bytes = 1;
  std::int32_t max_bytes = 0x7fffffff;
  std::int8_t isolation_level = 0;  // 0 read_uncommitted, 1 read_committed
  std::int32_t session_id = 0;      // v7+; 0 with epoch -1: no session
  std::int32_t session_epoch = -1;  // v7+
  std::vector<Topic> topics;
  std::vector<ForgottenTopic> forgotten_topics_data;  // v7+
  std::string rack_id;                                // v11+, for KIP-392

  void encode(Writer& w, std::int16_t version) const;
};

struct FetchResponse {
  struct AbortedTransaction {
    std::int64_t producer_id = 0;
    std::int64_t first_offset = 0;
    bool operator==(const AbortedTransaction&) const = default;
  };
  // Where the log diverged from the one the fetcher had (KIP-320), v12+ tagged.
  struct EpochEndOffset {
    std::int32_t epoch = -1;
    std::int64_t end_offset = -1;
    bool operator==(const EpochEndOffset&) const = default;
  };
  struct Partition {
    std::int32_t partition_index = 0;
    std::int16_t error_code = 0;
    std::int64_t high_watermark = -1;
    std::int64_t last_stable_offset = -1;
    std::int64_t log_start_offset = -1;
    std::optional<std::vector<AbortedTransaction>> aborted_transactions;
    std::int32_t preferred_read_replica = -1;  // v11+
    // A view into the body given to decode (not a copy): valid as long as that is. Empty
    // when the broker sent null.
    std::span<const std::uint8_t> records;
    std::optional<EpochEndOffset> diverging_epoch;   // tagged 0, v12+
    std::optional<LeaderIdAndEpoch> current_leader;  // tagged 1, v12+
  };
  struct Topic {
    std::string topic;  // up to v12
    Uuid topic_id{};    // v13+
    std::vector<Partition> partitions;
  };

  std::int32_t throttle_time_ms = 0;
  std::int16_t error_code = 0;  // v7+
  std::int32_t session_id = 0;  // v7+
  std::vector<Topic> responses;
  std::vector<NodeEndpoint> node_endpoints;  // tagged 0, v16+

  static FetchResponse decode(std::span<const std::uint8_t> body, std::int16_t version);
};

}  // namespace postwire::kafka
