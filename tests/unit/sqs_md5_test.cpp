// MD5OfMessageBody and MD5OfMessageAttributes. The attribute vectors are the worked examples
// published with the npm package aws-md5-of-message-attributes (its README: one String, one
// Number.float, one Binary attribute and all three together); they were recomputed with
// Python's hashlib following the SQS Developer Guide's algorithm, which also gave the vectors
// marked "hashlib" below.

#include <gtest/gtest.h>

#include <string>

#include "protocol/sqs/md5.hpp"

namespace postwire::sqs {
namespace {

MessageAttributes string_attribute() {
  return {{"attribName1", {.data_type = "String", .string_value = "attribValue 1"}}};
}
MessageAttributes number_attribute() {
  return {{"customNumberTypeAttrib",
           {.data_type = "Number.float", .string_value = "4563442423554324324264524243.32543234"}}};
}
MessageAttributes binary_attribute() {
  return {{"binaryAttribute", {.data_type = "Binary", .binary_value = "Hello binary world!"}}};
}

TEST(SqsMd5, BodyIsTheHexMd5OfItsBytes) {
  EXPECT_EQ(md5_of_body(""), "d41d8cd98f00b204e9800998ecf8427e");  // RFC 1321
  EXPECT_EQ(md5_of_body("hello"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(md5_of_body("\xc3\xbcn\xc3\xaf"
                        "code \xe2\x9c\x93"),
            "81765a8a276e5cd419df6228b56f0bea");  // hashlib
}

TEST(SqsMd5, PublishedAttributeVectors) {
  EXPECT_EQ(md5_of_message_attributes(string_attribute()), "19e27d4e946b072f3f58da80d94fd778");
  EXPECT_EQ(md5_of_message_attributes(number_attribute()), "9fe1b90bbd9965bdf77bac517c7d2495");
  EXPECT_EQ(md5_of_message_attributes(binary_attribute()), "31a92b15d92f8db860eda32aceb656c3");
  MessageAttributes all = string_attribute();
  all.merge(number_attribute());
  all.merge(binary_attribute());
  EXPECT_EQ(md5_of_message_attributes(all), "c932db14a896c663f83c260297d594ff");
}

TEST(SqsMd5, CustomBinaryTypesAndUnicodeNames) {
  std::string every_byte;
  for (int i = 0; i < 256; ++i) {
    every_byte.push_back(static_cast<char>(i));
  }
  const MessageAttributes attributes = {
      {"\xc3\xbcn\xc3\xaf", {.data_type = "String", .string_value = "v\xc3\xa4lue \xe2\x9c\x93"}},
      {"gif", {.data_type = "Binary.gif", .binary_value = every_byte}}};
  EXPECT_EQ(md5_of_message_attributes(attributes), "dc0c4e46d11a0d3979da9c71f7b83992");  // hashlib
}

TEST(SqsMd5, NoAttributesHaveNoDigest) { EXPECT_EQ(md5_of_message_attributes({}), ""); }

TEST(SqsMd5, VerifiesASentMessage) {
  MessageToSend sent{.body = "hello", .attributes = string_attribute()};
  sent.system_attributes["AWSTraceHeader"] = {
      .data_type = "String",
      .string_value = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"};
  SentMessage reported{.message_id = "m-1",
                       .md5_of_message_body = "5D41402ABC4B2A76B9719D911017C592",
                       .md5_of_message_attributes = "19e27d4e946b072f3f58da80d94fd778",
                       .md5_of_message_system_attributes = "5ae4d5d7636402d80f4eb6d213245a88"};
  EXPECT_FALSE(verify_sent(sent, reported)) << "digests compare without regard to case";

  reported.md5_of_message_system_attributes.clear();
  EXPECT_FALSE(verify_sent(sent, reported)) << "an unreported system digest is not checked";

  reported.md5_of_message_attributes = "00000000000000000000000000000000";
  const Error e = verify_sent(sent, reported);
  EXPECT_EQ(e.code(), ErrorCode::protocol_error);
  EXPECT_FALSE(e.fatal());
  EXPECT_FALSE(e.retriable());
  EXPECT_NE(e.message().find("m-1"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("MD5OfMessageAttributes"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("19e27d4e946b072f3f58da80d94fd778"), std::string::npos);

  reported.md5_of_message_body = "d41d8cd98f00b204e9800998ecf8427e";
  EXPECT_NE(verify_sent(sent, reported).message().find("body"), std::string::npos);
}

TEST(SqsMd5, VerifiesAReceivedMessage) {
  ReceivedMessage m{.message_id = "m-2",
                    .md5_of_body = "5d41402abc4b2a76b9719d911017c592",
                    .body = "hello",
                    .md5_of_message_attributes = "31a92b15d92f8db860eda32aceb656c3",
                    .message_attributes = binary_attribute()};
  EXPECT_FALSE(verify_received(m));
  m.body = "hellO";
  const Error e = verify_received(m);
  EXPECT_EQ(e.code(), ErrorCode::protocol_error);
  EXPECT_NE(e.message().find("SQS message m-2"), std::string::npos) << e.message();
}

TEST(SqsMd5, AttributesReportedButNotSentIsAMismatch) {
  const Error e = verify_attributes_md5("m-3", {}, "19e27d4e946b072f3f58da80d94fd778");
  EXPECT_EQ(e.code(), ErrorCode::protocol_error);
  EXPECT_NE(e.message().find("(no attributes)"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace postwire::sqs
