#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "postwire/broker_url.hpp"
#include "postwire/config.hpp"
#include "protocol/kafka/compression.hpp"
#include "transport/kafka/broker_connection.hpp"

namespace postwire::kafka {

inline constexpr std::uint16_t kDefaultPort = 9092;
inline constexpr std::uint16_t kDefaultTlsPort = 9093;

struct ProducerSettings {
  std::int16_t acks = -1;  // -1: all in-sync replicas; 1: the leader; 0: no answer
  bool idempotent = true;
  Codec codec = Codec::zstd;
  int compression_level = 0;
  std::size_t batch_size = std::size_t{1} << 20U;
  std::chrono::milliseconds linger{5};
  std::size_t max_requests_per_connection = 5;
  std::size_t max_in_flight = 4096;  // messages written and unconfirmed (the send window)
  std::chrono::milliseconds request_timeout{30'000};
};

struct FetchSettings {
  std::int8_t isolation_level = 1;  // 1: read_committed, 0: read_uncommitted
  std::int32_t max_bytes = 52'428'800;
  std::int32_t partition_max_bytes = 1'048'576;
  std::chrono::milliseconds max_wait{500};
  std::size_t max_message_bytes = 16U << 20U;  // message.max.bytes: a record's decoded size
};

struct KafkaSettings {
  std::vector<HostPort> bootstrap;
  ConnectionSettings connection;
  ProducerSettings producer;
  FetchSettings fetch;
  std::chrono::milliseconds metadata_max_age{300'000};
  std::string dead_letter_suffix;
};

// Reads the URL and the configuration; throws config_invalid_value for combinations Kafka
// refuses (the idempotent producer with acks other than all, or with more than 5 requests in
// flight; a mechanism RabbitMQ has and Kafka has not).
KafkaSettings kafka_settings(const BrokerUrl& url, const Config& config);

}  // namespace postwire::kafka
