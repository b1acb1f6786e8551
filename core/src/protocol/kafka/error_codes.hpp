#pragma once

// Kafka's error codes as data: the number a response carries, Kafka's name for it, and
// whether Kafka's own client treats it as retriable (the same request may succeed later).
// Named constants for the codes a client branches on.

#include <cstdint>
#include <span>
#include <string_view>

namespace postwire::kafka {

struct KafkaErrorInfo {
  std::int16_t code;
  std::string_view name;
  bool retriable;
};

// Every code Kafka defines, in numeric order.
[[nodiscard]] std::span<const KafkaErrorInfo> kafka_errors() noexcept;
// The entry for `code`. A code this table does not know yields the UNKNOWN_SERVER_ERROR
// entry (-1), as Kafka's own client does; the caller keeps the number it received.
[[nodiscard]] const KafkaErrorInfo& kafka_error(std::int16_t code) noexcept;
[[nodiscard]] bool is_known_kafka_error(std::int16_t code) noexcept;

// The codes a client branches on (numbers from Kafka's Errors.java).
namespace kafka_errc {
inline constexpr std::int16_t unknown_server_error = -1;
inline constexpr std::int16_t none = 0;
inline constexpr std::int16_t offset_out_of_range = 1;
inline constexpr std::int16_t corrupt_message = 2;
inline constexpr std::int16_t unknown_topic_or_partition = 3;
inline constexpr std::int16_t leader_not_available = 5;
inline constexpr std::int16_t not_leader_or_follower = 6;
inline constexpr std::int16_t request_timed_out = 7;
inline constexpr std::int16_t message_too_large = 10;
inline constexpr std::int16_t network_exception = 13;
inline constexpr std::int16_t coordinator_load_in_progress = 14;
inline constexpr std::int16_t coordinator_not_available = 15;
inline constexpr std::int16_t not_coordinator = 16;
inline constexpr std::int16_t invalid_topic_exception = 17;
inline constexpr std::int16_t record_list_too_large = 18;
inline constexpr std::int16_t not_enough_replicas = 19;
inline constexpr std::int16_t not_enough_replicas_after_append = 20;
inline constexpr std::int16_t invalid_required_acks = 21;
inline constexpr std::int16_t topic_authorization_failed = 29;
inline constexpr std::int16_t cluster_authorization_failed = 31;
inline constexpr std::int16_t invalid_timestamp = 32;
inline constexpr std::int16_t unsupported_sasl_mechanism = 33;
inline constexpr std::int16_t illegal_sasl_state = 34;
inline constexpr std::int16_t unsupported_version = 35;
inline constexpr std::int16_t topic_already_exists = 36;
inline constexpr std::int16_t invalid_partitions = 37;
inline constexpr std::int16_t invalid_replication_factor = 38;
inline constexpr std::int16_t invalid_config = 40;
inline constexpr std::int16_t policy_violation = 44;
inline constexpr std::int16_t out_of_order_sequence_number = 45;
inline constexpr std::int16_t duplicate_sequence_number = 46;
inline constexpr std::int16_t invalid_producer_epoch = 47;
inline constexpr std::int16_t kafka_storage_error = 56;
inline constexpr std::int16_t sasl_authentication_failed = 58;
inline constexpr std::int16_t unknown_producer_id = 59;
inline constexpr std::int16_t fenced_leader_epoch = 74;
inline constexpr std::int16_t unknown_leader_epoch = 75;
inline constexpr std::int16_t offset_not_available = 78;
inline constexpr std::int16_t throttling_quota_exceeded = 89;
inline constexpr std::int16_t producer_fenced = 90;
inline constexpr std::int16_t unknown_topic_id = 100;
inline constexpr std::int16_t inconsistent_topic_id = 103;
inline constexpr std::int16_t fenced_member_epoch = 110;
inline constexpr std::int16_t unreleased_instance_id = 111;
inline constexpr std::int16_t unsupported_assignor = 112;
inline constexpr std::int16_t stale_member_epoch = 113;
}  // namespace kafka_errc

}  // namespace postwire::kafka
