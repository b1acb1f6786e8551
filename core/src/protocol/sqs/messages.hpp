#pragma once

// The message values the SQS protocol layer shares: what is sent, what a send reports, what
// a receive returns. The JSON mapping (json_protocol.hpp), the checksums (md5.hpp) and the
// limits (limits.hpp) all work on these.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace postwire::sqs {

// A message attribute (or message system attribute) value. The data type is "String",
// "Number" or "Binary", optionally followed by a custom label ("Number.int", "Binary.gif").
// String and Number types carry string_value; Binary types carry binary_value, raw bytes
// that travel base64-encoded.
struct MessageAttributeValue {
  std::string data_type;
  std::string string_value;
  std::string binary_value;

  // Whether the data type is Binary or a custom Binary type; the value then lives in
  // binary_value.
  [[nodiscard]] bool is_binary() const noexcept;

  friend bool operator==(const MessageAttributeValue&, const MessageAttributeValue&) = default;
};

inline bool MessageAttributeValue::is_binary() const noexcept {
  const std::string_view type = data_type;
  return type == "Binary" || type.starts_with("Binary.");
}

// By name; std::map keeps them in the ascending byte order the MD5 digest needs.
using MessageAttributes = std::map<std::string, MessageAttributeValue>;

// A message as SendMessage or one SendMessageBatch entry carries it. Empty strings and
// empty maps are left out of the request.
struct MessageToSend {
  std::string body;
  std::optional<std::int32_t> delay_seconds;
  MessageAttributes attributes;
  // Only AWSTraceHeader exists today.
  MessageAttributes system_attributes;
  std::string group_id;          // MessageGroupId (FIFO queues, fair queues)
  std::string deduplication_id;  // MessageDeduplicationId (FIFO queues)

  friend bool operator==(const MessageToSend&, const MessageToSend&) = default;
};

// What SQS reports for one sent message. The MD5s let the sender check what SQS received;
// those of absent attributes are empty.
struct SentMessage {
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;
  std::string md5_of_message_system_attributes;
  std::string sequence_number;  // FIFO queues only

  friend bool operator==(const SentMessage&, const SentMessage&) = default;
};

// One message from ReceiveMessage.
struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_of_body;
  std::string body;
  // The system attributes asked for: ApproximateReceiveCount, SentTimestamp,
  // MessageGroupId, SequenceNumber, AWSTraceHeader, ...; all values are strings.
  std::map<std::string, std::string> attributes;
  std::string md5_of_message_attributes;
  MessageAttributes message_attributes;

  friend bool operator==(const ReceivedMessage&, const ReceivedMessage&) = default;
};

}  // namespace postwire::sqs
