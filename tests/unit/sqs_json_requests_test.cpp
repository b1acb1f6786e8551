// Request bodies of the AWS JSON 1.0 protocol for SQS. The golden bodies are written by hand
// from the request syntax of each action in the SQS API reference (member names, nesting,
// numbers as JSON numbers, blobs as base64).

#include <gtest/gtest.h>

#include <string>

#include "postwire/error.hpp"
#include "protocol/sqs/json_protocol.hpp"

namespace postwire::sqs {
namespace {

constexpr std::string_view queue = "https://sqs.us-east-1.amazonaws.com/111122223333/orders";

MessageToSend full_message() {
  MessageToSend m;
  m.body = "hello \"world\"\n";
  m.delay_seconds = 5;
  m.attributes["pw-id"] = {.data_type = "String", .string_value = "0190b3c4"};
  m.attributes["pw-attempt"] = {.data_type = "Number", .string_value = "2"};
  m.attributes["blob"] = {.data_type = "Binary.gif", .binary_value = std::string("\x00\xff", 2)};
  m.system_attributes["AWSTraceHeader"] = {.data_type = "String",
                                           .string_value = "Root=1-5759e988-bd862e3fe1be46a9"};
  m.group_id = "customer-7";
  m.deduplication_id = "0190b3c4";
  return m;
}

TEST(SqsJsonRequests, SendMessageWithEveryMember) {
  const EncodedRequest r = encode(SendMessageRequest{std::string(queue), full_message()});
  EXPECT_EQ(r.target, "AmazonSQS.SendMessage");
  EXPECT_EQ(r.body, R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/orders",)"
                    R"("MessageBody":"hello \"world\"\n","DelaySeconds":5,)"
                    R"("MessageAttributes":{"blob":{"DataType":"Binary.gif","BinaryValue":"AP8="},)"
                    R"("pw-attempt":{"DataType":"Number","StringValue":"2"},)"
                    R"("pw-id":{"DataType":"String","StringValue":"0190b3c4"}},)"
                    R"("MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String",)"
                    R"("StringValue":"Root=1-5759e988-bd862e3fe1be46a9"}},)"
                    R"("MessageDeduplicationId":"0190b3c4","MessageGroupId":"customer-7"})");
}

TEST(SqsJsonRequests, SendMessageLeavesUnsetMembersOut) {
  const EncodedRequest r = encode(SendMessageRequest{std::string(queue), {.body = "x"}});
  EXPECT_EQ(r.body, R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/orders",)"
                    R"("MessageBody":"x"})");
}

TEST(SqsJsonRequests, SendMessageKeepsUnicodeAndEscapesControlCharacters) {
  const EncodedRequest r =
      encode(SendMessageRequest{"q", {.body = "caf\xc3\xa9 \xf0\x9f\x93\xa6\t\x01"}});
  EXPECT_EQ(r.body,
            "{\"QueueUrl\":\"q\",\"MessageBody\":\"caf\xc3\xa9 \xf0\x9f\x93\xa6\\t\\u0001\"}");
}

TEST(SqsJsonRequests, SendMessageBatch) {
  SendMessageBatchRequest request{std::string(queue), {}};
  request.entries.push_back({.id = "0", .message = {.body = "a"}});
  request.entries.push_back({.id = "1", .message = {.body = "b", .delay_seconds = 0}});
  const EncodedRequest r = encode(request);
  EXPECT_EQ(r.target, "AmazonSQS.SendMessageBatch");
  EXPECT_EQ(r.body, R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/orders",)"
                    R"("Entries":[{"Id":"0","MessageBody":"a"},)"
                    R"({"Id":"1","MessageBody":"b","DelaySeconds":0}]})");
}

TEST(SqsJsonRequests, ReceiveMessageWithEveryMember) {
  const EncodedRequest r = encode(ReceiveMessageRequest{
      .queue_url = "q",
      .max_number_of_messages = 10,
      .wait_time_seconds = 20,
      .visibility_timeout = 30,
      .message_attribute_names = {"All"},
      .message_system_attribute_names = {"ApproximateReceiveCount", "SentTimestamp"},
      .attribute_names = {"All"},
      .receive_request_attempt_id = "attempt-1"});
  EXPECT_EQ(r.target, "AmazonSQS.ReceiveMessage");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q","AttributeNames":["All"],)"
                    R"("MessageSystemAttributeNames":["ApproximateReceiveCount","SentTimestamp"],)"
                    R"("MessageAttributeNames":["All"],"MaxNumberOfMessages":10,)"
                    R"("VisibilityTimeout":30,"WaitTimeSeconds":20,)"
                    R"("ReceiveRequestAttemptId":"attempt-1"})");
}

TEST(SqsJsonRequests, ReceiveMessageMinimal) {
  EXPECT_EQ(encode(ReceiveMessageRequest{.queue_url = "q"}).body, R"({"QueueUrl":"q"})");
}

TEST(SqsJsonRequests, DeleteMessage) {
  const EncodedRequest r = encode(DeleteMessageRequest{"q", "AQEB+rh/=="});
  EXPECT_EQ(r.target, "AmazonSQS.DeleteMessage");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q","ReceiptHandle":"AQEB+rh/=="})");
}

TEST(SqsJsonRequests, DeleteMessageBatch) {
  const EncodedRequest r = encode(DeleteMessageBatchRequest{"q", {{"a", "h1"}, {"b", "h2"}}});
  EXPECT_EQ(r.target, "AmazonSQS.DeleteMessageBatch");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q","Entries":[{"Id":"a","ReceiptHandle":"h1"},)"
                    R"({"Id":"b","ReceiptHandle":"h2"}]})");
}

TEST(SqsJsonRequests, ChangeMessageVisibility) {
  const EncodedRequest r = encode(ChangeMessageVisibilityRequest{"q", "h1", 0});
  EXPECT_EQ(r.target, "AmazonSQS.ChangeMessageVisibility");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q","ReceiptHandle":"h1","VisibilityTimeout":0})");
}

TEST(SqsJsonRequests, ChangeMessageVisibilityBatch) {
  const EncodedRequest r =
      encode(ChangeMessageVisibilityBatchRequest{"q", {{"a", "h1", 60}, {"b", "h2", 43200}}});
  EXPECT_EQ(r.target, "AmazonSQS.ChangeMessageVisibilityBatch");
  EXPECT_EQ(r.body,
            R"({"QueueUrl":"q","Entries":[{"Id":"a","ReceiptHandle":"h1","VisibilityTimeout":60},)"
            R"({"Id":"b","ReceiptHandle":"h2","VisibilityTimeout":43200}]})");
}

TEST(SqsJsonRequests, CreateQueue) {
  const EncodedRequest r = encode(CreateQueueRequest{
      "orders.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "40"}}, {{"team", "pay"}}});
  EXPECT_EQ(r.target, "AmazonSQS.CreateQueue");
  EXPECT_EQ(r.body, R"({"QueueName":"orders.fifo","Attributes":{"FifoQueue":"true",)"
                    R"("VisibilityTimeout":"40"},"tags":{"team":"pay"}})");
  EXPECT_EQ(encode(CreateQueueRequest{.queue_name = "q"}).body, R"({"QueueName":"q"})");
}

TEST(SqsJsonRequests, GetQueueUrl) {
  const EncodedRequest r = encode(GetQueueUrlRequest{"orders", "111122223333"});
  EXPECT_EQ(r.target, "AmazonSQS.GetQueueUrl");
  EXPECT_EQ(r.body, R"({"QueueName":"orders","QueueOwnerAWSAccountId":"111122223333"})");
  EXPECT_EQ(encode(GetQueueUrlRequest{.queue_name = "orders"}).body, R"({"QueueName":"orders"})");
}

TEST(SqsJsonRequests, GetQueueAttributes) {
  const EncodedRequest r =
      encode(GetQueueAttributesRequest{"q", {"MaximumMessageSize", "FifoQueue"}});
  EXPECT_EQ(r.target, "AmazonSQS.GetQueueAttributes");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q","AttributeNames":["MaximumMessageSize","FifoQueue"]})");
}

TEST(SqsJsonRequests, SetQueueAttributes) {
  const EncodedRequest r = encode(SetQueueAttributesRequest{"q", {{"DelaySeconds", "10"}}});
  EXPECT_EQ(r.target, "AmazonSQS.SetQueueAttributes");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q","Attributes":{"DelaySeconds":"10"}})");
}

TEST(SqsJsonRequests, DeleteAndPurgeQueue) {
  EXPECT_EQ(encode(DeleteQueueRequest{"q"}).target, "AmazonSQS.DeleteQueue");
  EXPECT_EQ(encode(DeleteQueueRequest{"q"}).body, R"({"QueueUrl":"q"})");
  EXPECT_EQ(encode(PurgeQueueRequest{"q"}).target, "AmazonSQS.PurgeQueue");
  EXPECT_EQ(encode(PurgeQueueRequest{"q"}).body, R"({"QueueUrl":"q"})");
}

TEST(SqsJsonRequests, ListQueues) {
  const EncodedRequest r = encode(ListQueuesRequest{"ord", "tok", 1000});
  EXPECT_EQ(r.target, "AmazonSQS.ListQueues");
  EXPECT_EQ(r.body, R"({"QueueNamePrefix":"ord","NextToken":"tok","MaxResults":1000})");
  EXPECT_EQ(encode(ListQueuesRequest{}).body, "{}");
}

template <typename Request>
void expect_invalid(const Request& request, std::string_view needle) {
  try {
    static_cast<void>(encode(request));
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos) << e.what();
  }
}

TEST(SqsJsonRequests, RejectsMissingRequiredMembers) {
  expect_invalid(SendMessageRequest{"", {.body = "x"}}, "SendMessage request: QueueUrl");
  expect_invalid(SendMessageBatchRequest{"q", {}}, "SendMessageBatch request: Entries is empty");
  expect_invalid(SendMessageBatchRequest{"q", {{.id = "", .message = {.body = "x"}}}},
                 "Entries[0].Id");
  expect_invalid(DeleteMessageRequest{"q", ""}, "DeleteMessage request: ReceiptHandle");
  expect_invalid(DeleteMessageBatchRequest{"q", {{"a", "h"}, {"b", ""}}},
                 "Entries[1].ReceiptHandle");
  expect_invalid(ChangeMessageVisibilityBatchRequest{"q", {{"", "h", 1}}}, "Entries[0].Id");
  expect_invalid(CreateQueueRequest{}, "CreateQueue request: QueueName");
  expect_invalid(GetQueueUrlRequest{}, "GetQueueUrl request: QueueName");
  expect_invalid(PurgeQueueRequest{}, "PurgeQueue request: QueueUrl");
}

TEST(SqsJsonRequests, OperationNames) {
  EXPECT_EQ(operation_name(Operation::change_message_visibility_batch),
            "ChangeMessageVisibilityBatch");
  EXPECT_EQ(operation_name(Operation::list_queues), "ListQueues");
}

}  // namespace
}  // namespace postwire::sqs
