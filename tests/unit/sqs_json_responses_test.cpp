// Response bodies of the AWS JSON 1.0 protocol for SQS, shaped after the response syntax and
// examples of each action in the SQS API reference.

#include <gtest/gtest.h>

#include <string>

#include "postwire/error.hpp"
#include "protocol/sqs/json_protocol.hpp"

namespace postwire::sqs {
namespace {

template <typename Fn>
void expect_protocol_error(Fn&& fn, std::string_view needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::protocol_error) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos) << e.what();
  }
}

TEST(SqsJsonResponses, SendMessage) {
  const SendMessageResult r = parse_send_message(
      R"({"MD5OfMessageAttributes":"c48838208d2b4e14e3ca0093a8443f09",)"
      R"("MD5OfMessageBody":"fafb00f5732ab283681e124bf8747ed1",)"
      R"("MessageId":"219f8380-5770-4cc2-8c3e-5c715e145f5e","SequenceNumber":"18849496460467696128",)"
      R"("SomethingNew":{"x":[1,2]}})");
  EXPECT_EQ(r.message_id, "219f8380-5770-4cc2-8c3e-5c715e145f5e");
  EXPECT_EQ(r.md5_of_message_body, "fafb00f5732ab283681e124bf8747ed1");
  EXPECT_EQ(r.md5_of_message_attributes, "c48838208d2b4e14e3ca0093a8443f09");
  EXPECT_EQ(r.md5_of_message_system_attributes, "");
  EXPECT_EQ(r.sequence_number, "18849496460467696128");
}

TEST(SqsJsonResponses, SendMessageBatchWithPartialFailure) {
  const SendMessageBatchResult r = parse_send_message_batch(
      R"({"Failed":[{"Code":"InvalidMessageContents","Id":"1","Message":"Invalid binary character",)"
      R"("SenderFault":true}],"Successful":[{"Id":"0",)"
      R"("MD5OfMessageBody":"0cc175b9c0f1b6a831c399e269772661","MessageId":"m-0"},)"
      R"({"Id":"2","MD5OfMessageBody":"92eb5ffee6ae2fec3ad71c777531578f","MessageId":"m-2",)"
      R"("MD5OfMessageSystemAttributes":"5ae4d5d7636402d80f4eb6d213245a88"}]})");
  ASSERT_EQ(r.successful.size(), 2U);
  EXPECT_EQ(r.successful[0].id, "0");
  EXPECT_EQ(r.successful[0].sent.message_id, "m-0");
  EXPECT_EQ(r.successful[1].sent.md5_of_message_system_attributes,
            "5ae4d5d7636402d80f4eb6d213245a88");
  ASSERT_EQ(r.failed.size(), 1U);
  EXPECT_EQ(r.failed[0], (BatchResultError{.id = "1",
                                           .sender_fault = true,
                                           .code = "InvalidMessageContents",
                                           .message = "Invalid binary character"}));
}

TEST(SqsJsonResponses, ReceiveMessage) {
  const ReceiveMessageResult r = parse_receive_message(
      R"({"Messages":[{"Attributes":{"ApproximateReceiveCount":"3","SentTimestamp":"1700000000000",)"
      R"("MessageGroupId":"g","SequenceNumber":"18849496460467696128"},)"
      R"("Body":"caf\u00e9 \"x\"","MD5OfBody":"4b1a6c3d0e5e3a1c4e8e2b6f1f1e0d9a",)"
      R"("MD5OfMessageAttributes":"9fe1b90bbd9965bdf77bac517c7d2495",)"
      R"("MessageAttributes":{"blob":{"BinaryValue":"AP8=","DataType":"Binary",)"
      R"("BinaryListValues":[],"StringListValues":[]},)"
      R"("n":{"DataType":"Number.float","StringValue":"1.5"}},)"
      R"("MessageId":"5fea7756-0ea4-451a-a703-a558b933e274",)"
      R"("ReceiptHandle":"MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw=="}]})");
  ASSERT_EQ(r.messages.size(), 1U);
  const ReceivedMessage& m = r.messages[0];
  EXPECT_EQ(m.message_id, "5fea7756-0ea4-451a-a703-a558b933e274");
  EXPECT_EQ(m.receipt_handle,
            "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw==");
  EXPECT_EQ(m.body, "caf\xc3\xa9 \"x\"");
  EXPECT_EQ(m.md5_of_body, "4b1a6c3d0e5e3a1c4e8e2b6f1f1e0d9a");
  EXPECT_EQ(m.attributes.at("ApproximateReceiveCount"), "3");
  EXPECT_EQ(m.attributes.at("SequenceNumber"), "18849496460467696128");
  EXPECT_EQ(m.md5_of_message_attributes, "9fe1b90bbd9965bdf77bac517c7d2495");
  EXPECT_EQ(
      m.message_attributes.at("blob"),
      (MessageAttributeValue{.data_type = "Binary", .binary_value = std::string("\x00\xff", 2)}));
  EXPECT_EQ(m.message_attributes.at("n"),
            (MessageAttributeValue{.data_type = "Number.float", .string_value = "1.5"}));
}

TEST(SqsJsonResponses, ReceiveMessageWithNoMessages) {
  EXPECT_TRUE(parse_receive_message("{}").messages.empty());
  EXPECT_TRUE(parse_receive_message(R"({"Messages":[]})").messages.empty());
  EXPECT_TRUE(parse_receive_message(R"({"Messages":null})").messages.empty());
}

TEST(SqsJsonResponses, DeleteAndChangeVisibilityBatches) {
  const BatchResult deleted = parse_delete_message_batch(
      R"({"Successful":[{"Id":"a"},{"Id":"b"}],"Failed":[{"Id":"c","SenderFault":true,)"
      R"("Code":"ReceiptHandleIsInvalid","Message":"The input receipt handle is invalid."}]})");
  EXPECT_EQ(deleted.successful, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(deleted.failed.size(), 1U);
  EXPECT_EQ(deleted.failed[0].code, "ReceiptHandleIsInvalid");
  const BatchResult changed = parse_change_message_visibility_batch(
      R"({"Successful":[],"Failed":[{"Id":"x","SenderFault":false,"Code":"InternalError"}]})");
  EXPECT_TRUE(changed.successful.empty());
  ASSERT_EQ(changed.failed.size(), 1U);
  EXPECT_FALSE(changed.failed[0].sender_fault);
  EXPECT_EQ(changed.failed[0].message, "");
}

TEST(SqsJsonResponses, QueueUrls) {
  EXPECT_EQ(parse_create_queue(
                R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/MyQueue"})")
                .queue_url,
            "https://sqs.us-east-1.amazonaws.com/111122223333/MyQueue");
  EXPECT_EQ(parse_get_queue_url(R"({"QueueUrl":"http://localhost:9324/000000000000/q"})").queue_url,
            "http://localhost:9324/000000000000/q");
}

TEST(SqsJsonResponses, GetQueueAttributes) {
  const GetQueueAttributesResult r = parse_get_queue_attributes(
      R"({"Attributes":{"MaximumMessageSize":"1048576","FifoQueue":"true"}})");
  EXPECT_EQ(r.attributes,
            (QueueAttributes{{"FifoQueue", "true"}, {"MaximumMessageSize", "1048576"}}));
}

TEST(SqsJsonResponses, ListQueues) {
  const ListQueuesResult r =
      parse_list_queues(R"({"QueueUrls":["https://h/1/a","https://h/1/b"],"NextToken":"n"})");
  EXPECT_EQ(r.queue_urls, (std::vector<std::string>{"https://h/1/a", "https://h/1/b"}));
  EXPECT_EQ(r.next_token, "n");
  EXPECT_TRUE(parse_list_queues("{}").queue_urls.empty());
}

TEST(SqsJsonResponses, EmptyResponses) {
  parse_empty_response(Operation::delete_message, "");
  parse_empty_response(Operation::purge_queue, "{}");
  parse_empty_response(Operation::set_queue_attributes, " \r\n");
  expect_protocol_error([] { parse_empty_response(Operation::delete_queue, "[]"); },
                        "SQS DeleteQueue response: body is not a JSON object");
}

TEST(SqsJsonResponses, RejectsMalformedBodies) {
  expect_protocol_error([] { static_cast<void>(parse_send_message("{\"MessageId\":")); },
                        "SQS SendMessage response: body is not valid JSON");
  expect_protocol_error(
      [] { static_cast<void>(parse_send_message(R"({"MD5OfMessageBody":"x"})")); },
      "SQS SendMessage response: MessageId is missing");
  expect_protocol_error(
      [] { static_cast<void>(parse_send_message(R"({"MessageId":7,"MD5OfMessageBody":"x"})")); },
      "MessageId is not a string");
  expect_protocol_error(
      [] {
        static_cast<void>(parse_receive_message(
            R"({"Messages":[{"MessageId":"m","MD5OfBody":"x","Body":"b"}]})"));
      },
      "SQS ReceiveMessage response: Messages[0].ReceiptHandle is missing");
  expect_protocol_error(
      [] {
        static_cast<void>(parse_receive_message(
            R"({"Messages":[{"MessageId":"m","ReceiptHandle":"r","MD5OfBody":"x","Body":"b",)"
            R"("MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"!!"}}}]})"));
      },
      "Messages[0].MessageAttributes.a.BinaryValue is not valid base64");
  expect_protocol_error(
      [] {
        static_cast<void>(
            parse_send_message_batch(R"({"Failed":[{"Id":"1","Code":"X","SenderFault":"yes"}]})"));
      },
      "Failed[0].SenderFault is not a boolean");
  expect_protocol_error([] { static_cast<void>(parse_receive_message(R"({"Messages":{}})")); },
                        "Messages is not an array");
  expect_protocol_error([] { static_cast<void>(parse_list_queues(R"({"QueueUrls":[1]})")); },
                        "QueueUrls[0] is not a string");
  expect_protocol_error([] { static_cast<void>(parse_get_queue_url("\"\xff\"")); },
                        "not valid JSON");
}

TEST(SqsJsonResponses, RejectsBodiesOverTheLimit) {
  const std::string body = R"({"QueueUrl":"https://example.com/123/queue"})";
  EXPECT_EQ(parse_get_queue_url(body, {.max_body_bytes = body.size()}).queue_url,
            "https://example.com/123/queue");
  expect_protocol_error(
      [&] { static_cast<void>(parse_get_queue_url(body, {.max_body_bytes = body.size() - 1})); },
      "over the limit of");
}

}  // namespace
}  // namespace postwire::sqs
