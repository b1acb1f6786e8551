#include "transport/kafka/kafka_errors.hpp"

#include <string>

#include "protocol/kafka/error_codes.hpp"

namespace postwire::kafka {
namespace {

ErrorCode postwire_code(std::int16_t code, bool retriable) {
  switch (code) {
    case kafka_errc::unknown_topic_or_partition:
    case kafka_errc::unknown_topic_id:
      return ErrorCode::not_found;
    case kafka_errc::message_too_large:
    case kafka_errc::record_list_too_large:
      return ErrorCode::message_too_large;
    case kafka_errc::invalid_topic_exception:
    case kafka_errc::invalid_partitions:
    case kafka_errc::invalid_replication_factor:
    case kafka_errc::invalid_config:
    case kafka_errc::invalid_required_acks:
    case kafka_errc::invalid_timestamp:
    case kafka_errc::policy_violation:
      return ErrorCode::invalid_argument;
    case kafka_errc::topic_authorization_failed:
    case kafka_errc::cluster_authorization_failed:
      return ErrorCode::access_denied;
    case kafka_errc::sasl_authentication_failed:
    case kafka_errc::unsupported_sasl_mechanism:
    case kafka_errc::illegal_sasl_state:
      return ErrorCode::authentication_failed;
    case kafka_errc::topic_already_exists:
      return ErrorCode::precondition_failed;
    case kafka_errc::unsupported_version:
      return ErrorCode::not_supported;
    case kafka_errc::request_timed_out:
      return ErrorCode::timed_out;
    case kafka_errc::corrupt_message:
      return ErrorCode::protocol_error;
    default:
      return retriable ? ErrorCode::broker_error : ErrorCode::broker_nacked;
  }
}

}  // namespace

Error kafka_failure(std::int16_t code, std::string_view context, std::string_view detail) {
  const auto& info = kafka_error(code);
  std::string message = std::string(context) + ": " + std::string(info.name) + " (Kafka error " +
                        std::to_string(code) + ")";
  if (!detail.empty()) {
    message += ": " + std::string(detail);
  }
  return {postwire_code(code, info.retriable), std::move(message), info.retriable, false};
}

bool needs_metadata_refresh(std::int16_t code) noexcept {
  switch (code) {
    case kafka_errc::unknown_topic_or_partition:
    case kafka_errc::leader_not_available:
    case kafka_errc::not_leader_or_follower:
    case kafka_errc::fenced_leader_epoch:
    case kafka_errc::unknown_leader_epoch:
    case kafka_errc::unknown_topic_id:
    case kafka_errc::inconsistent_topic_id:
    case kafka_errc::kafka_storage_error:
    case kafka_errc::network_exception:
      return true;
    default:
      return false;
  }
}

}  // namespace postwire::kafka
