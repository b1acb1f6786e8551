#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "postwire/message.hpp"

namespace postwire {

enum class QueueType : std::int32_t { classic = 0, quorum = 1 };

// What a full queue (max_length / max_length_bytes) does with one more message.
enum class Overflow : std::int32_t { drop_head = 0, reject_publish = 1, reject_publish_dlx = 2 };

// A queue (RabbitMQ queue; other brokers map it to their own destination where they can).
struct QueueSpec {
  std::string name;  // empty asks the broker to name it (returned in QueueInfo)
  bool durable = true;
  bool exclusive = false;    // only this connection may use it; deleted when it closes
  bool auto_delete = false;  // deleted when its last consumer goes
  QueueType type = QueueType::classic;
  std::optional<std::string> dead_letter_exchange;
  std::optional<std::string> dead_letter_routing_key;
  std::optional<std::chrono::milliseconds> message_ttl;
  std::optional<std::chrono::milliseconds> expires;  // delete after being unused this long
  std::optional<std::int64_t> max_length;
  std::optional<std::int64_t> max_length_bytes;
  std::optional<Overflow> overflow;
  std::optional<std::uint8_t> max_priority;
  std::optional<std::int64_t> delivery_limit;  // quorum queues
  bool single_active_consumer = false;
  // Options by name, for what only some brokers have: Kafka's partitions, replication.factor
  // and topic configs such as retention.ms (docs/transports.md lists them). A name the broker
  // does not know fails with invalid_argument naming it.
  std::vector<std::pair<std::string, std::string>> settings;
};

struct QueueInfo {
  std::string name;
  std::uint32_t message_count = 0;
  std::uint32_t consumer_count = 0;
};

enum class ExchangeType : std::int32_t { direct = 0, fanout = 1, topic = 2, headers = 3 };

struct ExchangeSpec {
  std::string name;
  ExchangeType type = ExchangeType::direct;
  bool durable = true;
  bool auto_delete = false;
  bool internal = false;
};

// Routes messages from an exchange to a queue or to another exchange.
struct BindingSpec {
  std::string exchange;     // the source
  std::string destination;  // a queue, or an exchange when destination_is_exchange
  bool destination_is_exchange = false;
  std::string routing_key;  // binding key (pattern for topic exchanges)
  Headers match_headers;    // headers exchanges: the headers to match
  bool match_all = true;    // headers exchanges: x-match all (true) or any (false)
};

struct DeleteQueueOptions {
  bool if_unused = false;  // refuse if the queue has consumers
  bool if_empty = false;   // refuse if the queue holds messages
};

}  // namespace postwire
