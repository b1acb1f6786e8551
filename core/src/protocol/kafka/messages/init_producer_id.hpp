#pragma once

// InitProducerId (key 22, versions 0-5; flexible from 2): a producer id and epoch for an
// idempotent or transactional producer. From v3 a producer passes its current id and epoch
// to have the epoch bumped instead of getting a new id (KIP-360).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

struct InitProducerIdRequest {
  static constexpr ApiKey api_key = ApiKey::init_producer_id;

  std::optional<std::string> transactional_id;  // null for an idempotent producer
  std::int32_t transaction_timeout_ms = 60000;
  std::int64_t producer_id = -1;     // v3+
  std::int16_t producer_epoch = -1;  // v3+

  void encode(Writer& w, std::int16_t version) const;
};

struct InitProducerIdResponse {
  std::int32_t throttle_time_ms = 0;
  std::int16_t error_code = 0;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;

  static InitProducerIdResponse decode(std::span<const std::uint8_t> body, std::int16_t version);

  bool operator==(const InitProducerIdResponse&) const = default;
};

}  // namespace postwire::kafka
