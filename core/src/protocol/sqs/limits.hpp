#pragma once

// What SQS accepts, checked before a request is sent so that the caller learns exactly what
// is wrong instead of a rejected batch. Figures from the SQS API reference
// (SendMessage, SendMessageBatch, ReceiveMessage, ChangeMessageVisibility) and the SQS
// Developer Guide ("Amazon SQS message quotas", "Amazon SQS message attributes").
//
// Each check throws Exception(message_too_large) for a size over a limit and
// Exception(invalid_argument) for anything else, naming the entry, attribute or member.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/sqs/json_protocol.hpp"
#include "protocol/sqs/messages.hpp"

namespace postwire::sqs {

// A queue's MaximumMessageSize when it was created without one (and the limit of local
// servers such as ElasticMQ); AWS allows queues up to 1 MiB since 2025.
inline constexpr std::size_t default_max_message_bytes = 262'144;
inline constexpr std::size_t aws_max_message_bytes = 1'048'576;
// SendMessageBatch: "The maximum allowed individual message size and the maximum total
// payload size (the sum of the individual lengths of all of the batched messages) are both
// 1 MiB 1,048,576 bytes" (API reference, SendMessageBatch).
inline constexpr std::size_t max_batch_payload_bytes = 1'048'576;
inline constexpr std::size_t max_batch_entries = 10;
inline constexpr std::size_t max_batch_entry_id_length = 80;  // A-Z a-z 0-9 - _
inline constexpr std::size_t max_message_attributes = 10;
inline constexpr std::size_t max_attribute_name_length = 256;
inline constexpr std::size_t max_attribute_type_length = 256;
inline constexpr std::int32_t max_delay_seconds = 900;
// MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: up to 128 of
// A-Z a-z 0-9 and !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ (printable ASCII but space).
inline constexpr std::size_t max_fifo_id_length = 128;
inline constexpr std::int32_t max_receive_messages = 10;
inline constexpr std::int32_t max_wait_time_seconds = 20;
inline constexpr std::int32_t max_visibility_timeout_seconds = 43'200;  // 12 hours

// The size SQS counts against MaximumMessageSize: the body's bytes plus, for each message
// attribute, its name, data type and value (a Binary value's raw bytes). System attributes
// do not count.
[[nodiscard]] std::size_t message_size(const MessageToSend& message);

// The offset of the first byte of `text` that is not part of a character SQS allows in a
// body or string value (valid UTF-8 of #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
// #x10000-#x10FFFF), or npos. Bodies with other bytes must be sent base64-encoded.
[[nodiscard]] std::size_t find_invalid_character(std::string_view text) noexcept;

// A message's body characters, size (against the queue's max_message_bytes), delay,
// attributes (count, names, data types, values) and FIFO ids. `what` names the message in
// errors ("SendMessage", "SendMessageBatch entry 3").
void check_message(const MessageToSend& message, std::size_t max_message_bytes,
                   std::string_view what);
// A message attribute name: A-Z a-z 0-9 _ - ., at most 256 characters, not starting with
// "AWS." or "Amazon." in any case, not starting or ending with '.', and no "..".
void check_attribute_name(std::string_view name, std::string_view what);
// MessageGroupId, MessageDeduplicationId or ReceiveRequestAttemptId.
void check_fifo_id(std::string_view id, std::string_view what);

void check_request(const SendMessageRequest& request, std::size_t max_message_bytes);
// Also: 1..10 entries, valid and distinct entry ids, total payload within 1 MiB.
void check_request(const SendMessageBatchRequest& request, std::size_t max_message_bytes);
void check_request(const ReceiveMessageRequest& request);
void check_request(const ChangeMessageVisibilityRequest& request);
void check_request(const ChangeMessageVisibilityBatchRequest& request);
void check_request(const DeleteMessageBatchRequest& request);

}  // namespace postwire::sqs
