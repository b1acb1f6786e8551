#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace postwire {

// Where a message sits on its broker, as far as the broker says: RabbitMQ queues have no
// positions (every field stays empty); Kafka gives partition, offset and the broker's
// timestamp; SQS gives its message id and, on FIFO queues, the sequence number. Received
// messages carry it (Delivery::position()), and so do delivery reports, for where the broker
// stored what was sent.
struct Position {
  std::optional<std::int32_t> partition;
  std::optional<std::int64_t> offset;
  // The broker's own time for the message (Kafka's log-append or create time, SQS's sent
  // timestamp): not the sender's Message::timestamp.
  std::optional<std::chrono::system_clock::time_point> broker_timestamp;
  std::string broker_message_id;  // SQS MessageId; empty where the broker assigns none
  std::string sequence_number;    // SQS FIFO SequenceNumber (a decimal string of up to 128 bits)
};

}  // namespace postwire
