#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "postwire/delivery.hpp"
#include "postwire/error.hpp"
#include "postwire/log.hpp"

namespace postwire {

// The outcome of one send(): confirmed by the broker, or failed for good (after the retries
// that delivery.timeout.ms allowed). Exactly one report per accepted send.
struct DeliveryReport {
  std::uint64_t token = 0;  // the caller's token given to send()
  std::string id;           // the message id (assigned or given)
  std::string destination;
  Error error;                          // ok: confirmed
  std::uint32_t attempts = 0;           // times the message was written to the broker
  std::chrono::microseconds latency{};  // from send() to the report
  Position position;                    // where the broker stored it, where it says (confirmed)
};

enum class ConnectionState : std::int32_t {
  connected = 0,   // (re)connected, topology restored, consumers resumed
  recovering = 1,  // connection lost; reconnecting with backoff
  failed = 2,      // gave up (fatal error); the client must be closed
  closed = 3,      // closed by the application
};

struct ConnectionEvent {
  ConnectionState state = ConnectionState::connected;
  std::string broker;  // host:port, never credentials
  Error error;         // why, when recovering or failed
};

// The broker stopped (blocked = true) or resumed reading from publishers, e.g. because of a
// memory or disk alarm. Sends wait while blocked, up to their timeout.
struct FlowEvent {
  bool blocked = false;
  std::string reason;
};

enum class ConsumerState : std::int32_t {
  active = 0,     // consuming (again)
  cancelled = 1,  // the broker cancelled it (queue deleted, failover); retried with backoff
  failed = 2,     // cannot consume (e.g. access refused); will not retry
};

struct ConsumerEvent {
  std::string source;
  ConsumerState state = ConsumerState::active;
  Error error;
  std::uint64_t consumer_id = 0;  // the consumer it concerns (Consumer::id())
};

// A consumer in a group was given parts of its source, or had them taken away, because
// consumers joined or left the group (Kafka's partitions). Brokers that share a source
// between consumers message by message (RabbitMQ, SQS) never raise it.
struct AssignmentEvent {
  std::uint64_t consumer_id = 0;
  std::string source;
  bool assigned = true;  // false: revoked
  std::vector<std::int32_t> partitions;
};

// An error not tied to one send (a failed ack, a lost consumer channel).
struct ErrorEvent {
  Error error;
};

// What Client::poll() hands out. A Delivery is a message for a consumer subscribed with
// SubscribeOptions::deliver_as_events.
using Event = std::variant<DeliveryReport, ConnectionEvent, FlowEvent, ConsumerEvent, ErrorEvent,
                           LogRecord, Delivery, AssignmentEvent>;

}  // namespace postwire
