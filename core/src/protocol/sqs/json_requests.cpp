// Request bodies of the AWS JSON 1.0 protocol for SQS. Members are written in the order of the
// API reference's request syntax, so that bodies are stable and readable in tests.

#include <array>
#include <boost/json.hpp>
#include <string>
#include <utility>

#include "postwire/error.hpp"
#include "protocol/sqs/base64.hpp"
#include "protocol/sqs/json_protocol.hpp"

namespace postwire::sqs {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 14> names = {
    "SendMessage",
    "SendMessageBatch",
    "ReceiveMessage",
    "DeleteMessage",
    "DeleteMessageBatch",
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
    "CreateQueue",
    "GetQueueUrl",
    "GetQueueAttributes",
    "SetQueueAttributes",
    "DeleteQueue",
    "PurgeQueue",
    "ListQueues",
};

void require(std::string_view value, Operation operation, std::string_view member) {
  if (value.empty()) {
    throw Exception(ErrorCode::invalid_argument, "SQS " + std::string(operation_name(operation)) +
                                                     " request: " + std::string(member) +
                                                     " is required");
  }
}

template <typename Entries>
void require_entries(const Entries& entries, Operation operation) {
  if (entries.empty()) {
    throw Exception(ErrorCode::invalid_argument,
                    "SQS " + std::string(operation_name(operation)) + " request: Entries is empty");
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    require(entries[i].id, operation, "Entries[" + std::to_string(i) + "].Id");
  }
}

EncodedRequest finish(Operation operation, const json::object& body) {
  std::string target = "AmazonSQS.";
  target += operation_name(operation);
  return {std::move(target), json::serialize(body)};
}

json::array string_array(const std::vector<std::string>& values) {
  json::array out;
  out.reserve(values.size());
  for (const auto& value : values) {
    out.emplace_back(value);
  }
  return out;
}

json::object string_map(const std::map<std::string, std::string>& values) {
  json::object out;
  out.reserve(values.size());
  for (const auto& [key, value] : values) {
    out.emplace(key, value);
  }
  return out;
}

json::object attributes_json(const MessageAttributes& attributes) {
  json::object out;
  out.reserve(attributes.size());
  for (const auto& [name, value] : attributes) {
    json::object encoded;
    encoded.emplace("DataType", value.data_type);
    if (value.is_binary()) {
      encoded.emplace("BinaryValue", base64_encode(value.binary_value));
    } else {
      encoded.emplace("StringValue", value.string_value);
    }
    out.emplace(name, std::move(encoded));
  }
  return out;
}

void put_message(json::object& out, const MessageToSend& message) {
  out.emplace("MessageBody", message.body);
  if (message.delay_seconds) {
    out.emplace("DelaySeconds", *message.delay_seconds);
  }
  if (!message.attributes.empty()) {
    out.emplace("MessageAttributes", attributes_json(message.attributes));
  }
  if (!message.system_attributes.empty()) {
    out.emplace("MessageSystemAttributes", attributes_json(message.system_attributes));
  }
  if (!message.deduplication_id.empty()) {
    out.emplace("MessageDeduplicationId", message.deduplication_id);
  }
  if (!message.group_id.empty()) {
    out.emplace("MessageGroupId", message.group_id);
  }
}

json::object with_queue_url(std::string_view queue_url, Operation operation) {
  require(queue_url, operation, "QueueUrl");
  json::object out;
  out.emplace("QueueUrl", queue_url);
  return out;
}

}  // namespace

std::string_view operation_name(Operation operation) noexcept {
  const auto index = static_cast<std::size_t>(operation);
  return index < names.size() ? names[index] : std::string_view("(unknown operation)");
}

EncodedRequest encode(const SendMessageRequest& request) {
  constexpr Operation op = Operation::send_message;
  json::object body = with_queue_url(request.queue_url, op);
  put_message(body, request.message);
  return finish(op, body);
}

EncodedRequest encode(const SendMessageBatchRequest& request) {
  constexpr Operation op = Operation::send_message_batch;
  json::object body = with_queue_url(request.queue_url, op);
  require_entries(request.entries, op);
  json::array entries;
  entries.reserve(request.entries.size());
  for (const auto& entry : request.entries) {
    json::object encoded;
    encoded.emplace("Id", entry.id);
    put_message(encoded, entry.message);
    entries.emplace_back(std::move(encoded));
  }
  body.emplace("Entries", std::move(entries));
  return finish(op, body);
}

EncodedRequest encode(const ReceiveMessageRequest& request) {
  constexpr Operation op = Operation::receive_message;
  json::object body = with_queue_url(request.queue_url, op);
  if (!request.attribute_names.empty()) {
    body.emplace("AttributeNames", string_array(request.attribute_names));
  }
  if (!request.message_system_attribute_names.empty()) {
    body.emplace("MessageSystemAttributeNames",
                 string_array(request.message_system_attribute_names));
  }
  if (!request.message_attribute_names.empty()) {
    body.emplace("MessageAttributeNames", string_array(request.message_attribute_names));
  }
  if (request.max_number_of_messages) {
    body.emplace("MaxNumberOfMessages", *request.max_number_of_messages);
  }
  if (request.visibility_timeout) {
    body.emplace("VisibilityTimeout", *request.visibility_timeout);
  }
  if (request.wait_time_seconds) {
    body.emplace("WaitTimeSeconds", *request.wait_time_seconds);
  }
  if (!request.receive_request_attempt_id.empty()) {
    body.emplace("ReceiveRequestAttemptId", request.receive_request_attempt_id);
  }
  return finish(op, body);
}

EncodedRequest encode(const DeleteMessageRequest& request) {
  constexpr Operation op = Operation::delete_message;
  json::object body = with_queue_url(request.queue_url, op);
  require(request.receipt_handle, op, "ReceiptHandle");
  body.emplace("ReceiptHandle", request.receipt_handle);
  return finish(op, body);
}

EncodedRequest encode(const DeleteMessageBatchRequest& request) {
  constexpr Operation op = Operation::delete_message_batch;
  json::object body = with_queue_url(request.queue_url, op);
  require_entries(request.entries, op);
  json::array entries;
  entries.reserve(request.entries.size());
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    const auto& entry = request.entries[i];
    require(entry.receipt_handle, op, "Entries[" + std::to_string(i) + "].ReceiptHandle");
    json::object encoded;
    encoded.emplace("Id", entry.id);
    encoded.emplace("ReceiptHandle", entry.receipt_handle);
    entries.emplace_back(std::move(encoded));
  }
  body.emplace("Entries", std::move(entries));
  return finish(op, body);
}

EncodedRequest encode(const ChangeMessageVisibilityRequest& request) {
  constexpr Operation op = Operation::change_message_visibility;
  json::object body = with_queue_url(request.queue_url, op);
  require(request.receipt_handle, op, "ReceiptHandle");
  body.emplace("ReceiptHandle", request.receipt_handle);
  body.emplace("VisibilityTimeout", request.visibility_timeout);
  return finish(op, body);
}

EncodedRequest encode(const ChangeMessageVisibilityBatchRequest& request) {
  constexpr Operation op = Operation::change_message_visibility_batch;
  json::object body = with_queue_url(request.queue_url, op);
  require_entries(request.entries, op);
  json::array entries;
  entries.reserve(request.entries.size());
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    const auto& entry = request.entries[i];
    require(entry.receipt_handle, op, "Entries[" + std::to_string(i) + "].ReceiptHandle");
    json::object encoded;
    encoded.emplace("Id", entry.id);
    encoded.emplace("ReceiptHandle", entry.receipt_handle);
    encoded.emplace("VisibilityTimeout", entry.visibility_timeout);
    entries.emplace_back(std::move(encoded));
  }
  body.emplace("Entries", std::move(entries));
  return finish(op, body);
}

EncodedRequest encode(const CreateQueueRequest& request) {
  constexpr Operation op = Operation::create_queue;
  require(request.queue_name, op, "QueueName");
  json::object body;
  body.emplace("QueueName", request.queue_name);
  if (!request.attributes.empty()) {
    body.emplace("Attributes", string_map(request.attributes));
  }
  if (!request.tags.empty()) {
    body.emplace("tags", string_map(request.tags));  // lower-case in the API, unlike the rest
  }
  return finish(op, body);
}

EncodedRequest encode(const GetQueueUrlRequest& request) {
  constexpr Operation op = Operation::get_queue_url;
  require(request.queue_name, op, "QueueName");
  json::object body;
  body.emplace("QueueName", request.queue_name);
  if (!request.queue_owner_aws_account_id.empty()) {
    body.emplace("QueueOwnerAWSAccountId", request.queue_owner_aws_account_id);
  }
  return finish(op, body);
}

EncodedRequest encode(const GetQueueAttributesRequest& request) {
  constexpr Operation op = Operation::get_queue_attributes;
  json::object body = with_queue_url(request.queue_url, op);
  if (!request.attribute_names.empty()) {
    body.emplace("AttributeNames", string_array(request.attribute_names));
  }
  return finish(op, body);
}

EncodedRequest encode(const SetQueueAttributesRequest& request) {
  constexpr Operation op = Operation::set_queue_attributes;
  json::object body = with_queue_url(request.queue_url, op);
  body.emplace("Attributes", string_map(request.attributes));  // required, even if empty
  return finish(op, body);
}

EncodedRequest encode(const DeleteQueueRequest& request) {
  constexpr Operation op = Operation::delete_queue;
  return finish(op, with_queue_url(request.queue_url, op));
}

EncodedRequest encode(const PurgeQueueRequest& request) {
  constexpr Operation op = Operation::purge_queue;
  return finish(op, with_queue_url(request.queue_url, op));
}

EncodedRequest encode(const ListQueuesRequest& request) {
  constexpr Operation op = Operation::list_queues;
  json::object body;
  if (!request.queue_name_prefix.empty()) {
    body.emplace("QueueNamePrefix", request.queue_name_prefix);
  }
  if (!request.next_token.empty()) {
    body.emplace("NextToken", request.next_token);
  }
  if (request.max_results) {
    body.emplace("MaxResults", *request.max_results);
  }
  return finish(op, body);
}

}  // namespace postwire::sqs
