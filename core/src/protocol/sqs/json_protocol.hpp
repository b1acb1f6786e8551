#pragma once

// The AWS JSON 1.0 protocol for SQS, sans-IO: typed requests in, the X-Amz-Target and the
// JSON body out; response bodies in, typed results out. Every request is
//   POST / with Content-Type: application/x-amz-json-1.0 and X-Amz-Target: AmazonSQS.<Action>
// (SQS Developer Guide, "Making query API requests using AWS JSON protocol"); member names
// and types follow the SQS API reference's request and response syntax for each action.
//
// Optional members are left out of a request when unset (std::optional, empty string, empty
// container). Response parsers ignore members they do not know (the API grows), treat null
// as absent, and throw Exception(protocol_error) naming the operation and the member for a
// body that is not JSON, is larger than the limit, or has a member of the wrong type or a
// required one missing. Error responses go to parse_error (errors.hpp) instead.
//
// The request builders do not check limits; limits.hpp does, before a request is built.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/sqs/errors.hpp"
#include "protocol/sqs/messages.hpp"

namespace postwire::sqs {

inline constexpr std::string_view json_content_type = "application/x-amz-json-1.0";
inline constexpr std::string_view target_header = "X-Amz-Target";
inline constexpr std::string_view query_error_header = "x-amzn-query-error";

enum class Operation {
  send_message,
  send_message_batch,
  receive_message,
  delete_message,
  delete_message_batch,
  change_message_visibility,
  change_message_visibility_batch,
  create_queue,
  get_queue_url,
  get_queue_attributes,
  set_queue_attributes,
  delete_queue,
  purge_queue,
  list_queues,
};

// The action's name, "SendMessageBatch".
[[nodiscard]] std::string_view operation_name(Operation operation) noexcept;

struct EncodedRequest {
  std::string target;  // "AmazonSQS.SendMessageBatch", the X-Amz-Target value
  std::string body;    // the JSON body
};

// Bounds on what a response parser reads. The default fits a ReceiveMessage of ten 1 MiB
// messages with every character escaped.
struct ParseLimits {
  std::size_t max_body_bytes = std::size_t{32} * 1024 * 1024;
};

// --- SendMessage -----------------------------------------------------------------------------

struct SendMessageRequest {
  std::string queue_url;
  MessageToSend message;
};
using SendMessageResult = SentMessage;

// --- SendMessageBatch ------------------------------------------------------------------------

struct SendMessageBatchEntry {
  std::string id;  // unique within the batch
  MessageToSend message;
};
struct SendMessageBatchRequest {
  std::string queue_url;
  std::vector<SendMessageBatchEntry> entries;
};

// One entry that failed in a batch (BatchResultErrorEntry).
struct BatchResultError {
  std::string id;
  bool sender_fault = false;
  std::string code;
  std::string message;

  friend bool operator==(const BatchResultError&, const BatchResultError&) = default;
};

struct SendMessageBatchResultEntry {
  std::string id;
  SentMessage sent;

  friend bool operator==(const SendMessageBatchResultEntry&,
                         const SendMessageBatchResultEntry&) = default;
};
struct SendMessageBatchResult {
  std::vector<SendMessageBatchResultEntry> successful;
  std::vector<BatchResultError> failed;
};

// --- ReceiveMessage --------------------------------------------------------------------------

struct ReceiveMessageRequest {
  std::string queue_url;
  std::optional<std::int32_t> max_number_of_messages;       // 1..10
  std::optional<std::int32_t> wait_time_seconds;            // 0..20, long polling
  std::optional<std::int32_t> visibility_timeout;           // seconds
  std::vector<std::string> message_attribute_names;         // "All", "pw-id", "pw.*"
  std::vector<std::string> message_system_attribute_names;  // "All", "ApproximateReceiveCount"
  // The older name of message_system_attribute_names, for servers that predate it.
  std::vector<std::string> attribute_names;
  std::string receive_request_attempt_id;  // FIFO queues
};
struct ReceiveMessageResult {
  std::vector<ReceivedMessage> messages;
};

// --- DeleteMessage(Batch) --------------------------------------------------------------------

struct DeleteMessageRequest {
  std::string queue_url;
  std::string receipt_handle;
};
struct DeleteMessageBatchEntry {
  std::string id;
  std::string receipt_handle;
};
struct DeleteMessageBatchRequest {
  std::string queue_url;
  std::vector<DeleteMessageBatchEntry> entries;
};

// The result of DeleteMessageBatch and ChangeMessageVisibilityBatch: ids that succeeded, and
// those that failed.
struct BatchResult {
  std::vector<std::string> successful;
  std::vector<BatchResultError> failed;
};

// --- ChangeMessageVisibility(Batch) ----------------------------------------------------------

struct ChangeMessageVisibilityRequest {
  std::string queue_url;
  std::string receipt_handle;
  std::int32_t visibility_timeout = 0;  // seconds from now; 0 makes it visible at once
};
struct ChangeMessageVisibilityBatchEntry {
  std::string id;
  std::string receipt_handle;
  std::int32_t visibility_timeout = 0;
};
struct ChangeMessageVisibilityBatchRequest {
  std::string queue_url;
  std::vector<ChangeMessageVisibilityBatchEntry> entries;
};

// --- Queues ----------------------------------------------------------------------------------

using QueueAttributes = std::map<std::string, std::string>;  // "VisibilityTimeout" -> "30"

struct CreateQueueRequest {
  std::string queue_name;
  QueueAttributes attributes;
  std::map<std::string, std::string> tags;
};
struct GetQueueUrlRequest {
  std::string queue_name;
  std::string queue_owner_aws_account_id;
};
// The result of CreateQueue and GetQueueUrl.
struct QueueUrlResult {
  std::string queue_url;
};
struct GetQueueAttributesRequest {
  std::string queue_url;
  std::vector<std::string> attribute_names;  // "All", "MaximumMessageSize", ...
};
struct GetQueueAttributesResult {
  QueueAttributes attributes;
};
struct SetQueueAttributesRequest {
  std::string queue_url;
  QueueAttributes attributes;
};
struct DeleteQueueRequest {
  std::string queue_url;
};
struct PurgeQueueRequest {
  std::string queue_url;
};
struct ListQueuesRequest {
  std::string queue_name_prefix;
  std::string next_token;
  std::optional<std::int32_t> max_results;  // 1..1000
};
struct ListQueuesResult {
  std::vector<std::string> queue_urls;
  std::string next_token;  // empty on the last page
};

// --- Request builders ------------------------------------------------------------------------
// Each throws Exception(invalid_argument) when a required member is empty (queue URL or name,
// receipt handle, batch entry id) or a batch has no entries.

[[nodiscard]] EncodedRequest encode(const SendMessageRequest& request);
[[nodiscard]] EncodedRequest encode(const SendMessageBatchRequest& request);
[[nodiscard]] EncodedRequest encode(const ReceiveMessageRequest& request);
[[nodiscard]] EncodedRequest encode(const DeleteMessageRequest& request);
[[nodiscard]] EncodedRequest encode(const DeleteMessageBatchRequest& request);
[[nodiscard]] EncodedRequest encode(const ChangeMessageVisibilityRequest& request);
[[nodiscard]] EncodedRequest encode(const ChangeMessageVisibilityBatchRequest& request);
[[nodiscard]] EncodedRequest encode(const CreateQueueRequest& request);
[[nodiscard]] EncodedRequest encode(const GetQueueUrlRequest& request);
[[nodiscard]] EncodedRequest encode(const GetQueueAttributesRequest& request);
[[nodiscard]] EncodedRequest encode(const SetQueueAttributesRequest& request);
[[nodiscard]] EncodedRequest encode(const DeleteQueueRequest& request);
[[nodiscard]] EncodedRequest encode(const PurgeQueueRequest& request);
[[nodiscard]] EncodedRequest encode(const ListQueuesRequest& request);

// --- Response parsers (bodies of 2xx responses) ----------------------------------------------

[[nodiscard]] SendMessageResult parse_send_message(std::string_view body,
                                                   const ParseLimits& limits = {});
[[nodiscard]] SendMessageBatchResult parse_send_message_batch(std::string_view body,
                                                              const ParseLimits& limits = {});
[[nodiscard]] ReceiveMessageResult parse_receive_message(std::string_view body,
                                                         const ParseLimits& limits = {});
[[nodiscard]] BatchResult parse_delete_message_batch(std::string_view body,
                                                     const ParseLimits& limits = {});
[[nodiscard]] BatchResult parse_change_message_visibility_batch(std::string_view body,
                                                                const ParseLimits& limits = {});
[[nodiscard]] QueueUrlResult parse_create_queue(std::string_view body,
                                                const ParseLimits& limits = {});
[[nodiscard]] QueueUrlResult parse_get_queue_url(std::string_view body,
                                                 const ParseLimits& limits = {});
[[nodiscard]] GetQueueAttributesResult parse_get_queue_attributes(std::string_view body,
                                                                  const ParseLimits& limits = {});
[[nodiscard]] ListQueuesResult parse_list_queues(std::string_view body,
                                                 const ParseLimits& limits = {});
// DeleteMessage, ChangeMessageVisibility, SetQueueAttributes, DeleteQueue and PurgeQueue
// return no members: an empty body or a JSON object (whose members are ignored).
void parse_empty_response(Operation operation, std::string_view body,
                          const ParseLimits& limits = {});

}  // namespace postwire::sqs
