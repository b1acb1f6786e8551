#include <gtest/gtest.h>

#include <string>

#include "postwire/error.hpp"
#include "protocol/sqs/limits.hpp"

namespace postwire::sqs {
namespace {

template <typename Fn>
void expect_error(Fn&& fn, ErrorCode code, std::string_view needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos) << e.what();
  }
}

void expect_invalid_message(const MessageToSend& m, std::string_view needle) {
  expect_error([&] { check_message(m, default_max_message_bytes, "SendMessage"); },
               ErrorCode::invalid_argument, needle);
}

TEST(SqsLimits, AcceptsAFullyUsedMessage) {
  MessageToSend m{.body = "caf\xc3\xa9 \xf0\x9f\x93\xa6\t\r\n", .delay_seconds = 900};
  for (int i = 0; i < 10; ++i) {
    m.attributes["pw-" + std::to_string(i)] = {.data_type = "String.x", .string_value = "v"};
  }
  m.group_id = std::string(128, '~');
  m.deduplication_id = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  EXPECT_NO_THROW(check_message(m, default_max_message_bytes, "SendMessage"));
}

TEST(SqsLimits, BodyCharacters) {
  EXPECT_EQ(find_invalid_character("plain \xe2\x9c\x93 \xef\xbf\xbd \xf4\x8f\xbf\xbf"),
            std::string_view::npos);
  EXPECT_EQ(find_invalid_character(std::string_view("a\0b", 3)), 1U) << "NUL";
  EXPECT_EQ(find_invalid_character("ab\x01"), 2U) << "control character";
  EXPECT_EQ(find_invalid_character("\xef\xbf\xbe"), 0U) << "U+FFFE";
  EXPECT_EQ(find_invalid_character("x\xed\xa0\x80"), 1U) << "a UTF-16 surrogate";
  EXPECT_EQ(find_invalid_character("\xc0\xaf"), 0U) << "overlong";
  EXPECT_EQ(find_invalid_character("\xe0\x80\xaf"), 0U) << "overlong, three bytes";
  EXPECT_EQ(find_invalid_character("\xf4\x90\x80\x80"), 0U) << "beyond U+10FFFF";
  EXPECT_EQ(find_invalid_character("ok\xe2\x9c"), 2U) << "truncated";
  EXPECT_EQ(find_invalid_character("\x80"), 0U) << "a stray continuation byte";
  expect_invalid_message({.body = "bin\xff"}, "at byte 3 (binary bodies must be sent base64");
  expect_invalid_message({.body = ""}, "body must not be empty");
}

TEST(SqsLimits, SizeCountsBodyAndAttributes) {
  MessageToSend m{.body = std::string(100, 'x')};
  m.attributes["ab"] = {.data_type = "String", .string_value = "123"};                // 2 + 6 + 3
  m.attributes["c"] = {.data_type = "Binary", .binary_value = std::string(4, '\0')};  // 1 + 6 + 4
  m.system_attributes["AWSTraceHeader"] = {.data_type = "String", .string_value = "Root=1"};
  EXPECT_EQ(message_size(m), 100U + 11U + 11U);
  EXPECT_NO_THROW(check_message(m, 122, "SendMessage"));
  expect_error([&] { check_message(m, 121, "SendMessage"); }, ErrorCode::message_too_large,
               "SendMessage: the message is 122 bytes (body and attributes), over the queue's "
               "maximum of 121");
}

TEST(SqsLimits, DelaySeconds) {
  expect_invalid_message({.body = "x", .delay_seconds = 901}, "DelaySeconds 901 is outside 0..900");
  expect_invalid_message({.body = "x", .delay_seconds = -1}, "DelaySeconds -1");
}

TEST(SqsLimits, AttributeCountNamesTypesAndValues) {
  MessageToSend m{.body = "x"};
  for (int i = 0; i < 11; ++i) {
    m.attributes["a" + std::to_string(i)] = {.data_type = "String", .string_value = "v"};
  }
  expect_invalid_message(m, "MessageAttributes has 11 attributes, over the limit of 10");

  const auto with = [](std::string name, MessageAttributeValue value) {
    MessageToSend one{.body = "x"};
    one.attributes[std::move(name)] = std::move(value);
    return one;
  };
  const MessageAttributeValue s{.data_type = "String", .string_value = "v"};
  expect_invalid_message(with("AWS.trace", s), "reserves");
  expect_invalid_message(with("amazon.x", s), "reserves");
  expect_invalid_message(with(".x", s), "must not start or end with '.'");
  expect_invalid_message(with("x.", s), "must not start or end with '.'");
  expect_invalid_message(with("a..b", s), "\"..\"");
  expect_invalid_message(with("a b", s), "may hold only A-Z a-z 0-9 _ - .");
  expect_invalid_message(with(std::string(257, 'a'), s), "1 to 256 characters");
  EXPECT_NO_THROW(check_message(with(std::string(256, 'a'), s), default_max_message_bytes, "m"));
  expect_invalid_message(with("a", {.data_type = "Text", .string_value = "v"}),
                         "DataType \"Text\" is not String, Number or Binary");
  expect_invalid_message(with("a", {.data_type = "String"}), "a String value must not be empty");
  expect_invalid_message(with("a", {.data_type = "Binary"}), "a Binary value must not be empty");
  expect_invalid_message(with("a", {.data_type = "String", .string_value = "\x02"}),
                         "send such data as a Binary attribute");
  EXPECT_NO_THROW(check_message(with("a", {.data_type = "Binary", .binary_value = "\x02"}),
                                default_max_message_bytes, "m"));
}

TEST(SqsLimits, FifoIds) {
  expect_invalid_message({.body = "x", .group_id = std::string(129, 'g')},
                         "MessageGroupId: must be 1 to 128 characters, not 129");
  expect_invalid_message({.body = "x", .deduplication_id = "has space"},
                         "MessageDeduplicationId: \"has space\" may hold only");
  expect_error([] { check_fifo_id("caf\xc3\xa9", "MessageGroupId"); }, ErrorCode::invalid_argument,
               "MessageGroupId");
}

SendMessageBatchRequest batch_of(std::size_t n, std::size_t body_size) {
  SendMessageBatchRequest r{.queue_url = "q"};
  for (std::size_t i = 0; i < n; ++i) {
    r.entries.push_back(
        {.id = "e" + std::to_string(i), .message = {.body = std::string(body_size, 'x')}});
  }
  return r;
}

TEST(SqsLimits, Batches) {
  EXPECT_NO_THROW(check_request(batch_of(10, 10), default_max_message_bytes));
  expect_error([] { check_request(batch_of(11, 10), default_max_message_bytes); },
               ErrorCode::invalid_argument, "a batch has 11 entries, over the limit of 10");
  expect_error([] { check_request(batch_of(0, 10), default_max_message_bytes); },
               ErrorCode::invalid_argument, "at least one entry");
  // Ten messages of 104,858 bytes each fit the 1 MiB queue limit but not the batch's.
  EXPECT_NO_THROW(check_request(batch_of(10, 104'857), aws_max_message_bytes));
  expect_error([] { check_request(batch_of(10, 104'858), aws_max_message_bytes); },
               ErrorCode::message_too_large,
               "the entries total 1048580 bytes, over the batch limit of 1048576");
  auto duplicate = batch_of(2, 1);
  duplicate.entries[1].id = "e0";
  expect_error([&] { check_request(duplicate, default_max_message_bytes); },
               ErrorCode::invalid_argument, "entry id \"e0\" appears twice");
  auto bad_id = batch_of(1, 1);
  bad_id.entries[0].id = "a.b";
  expect_error([&] { check_request(bad_id, default_max_message_bytes); },
               ErrorCode::invalid_argument, "may hold only A-Z a-z 0-9 - _");
  bad_id.entries[0].id = std::string(81, 'a');
  expect_error([&] { check_request(bad_id, default_max_message_bytes); },
               ErrorCode::invalid_argument, "1 to 80 characters");
  auto bad_entry = batch_of(3, 1);
  bad_entry.entries[2].message.delay_seconds = 1000;
  expect_error([&] { check_request(bad_entry, default_max_message_bytes); },
               ErrorCode::invalid_argument, "SendMessageBatch entry 2 (id e2): DelaySeconds 1000");
  expect_error(
      [] {
        check_request(DeleteMessageBatchRequest{"q", {{"a", "h"}, {"a", "h2"}}});
      },
      ErrorCode::invalid_argument, "DeleteMessageBatch: entry id \"a\" appears twice");
  expect_error(
      [] {
        check_request(ChangeMessageVisibilityBatchRequest{"q", {{"a", "h", 43201}}});
      },
      ErrorCode::invalid_argument, "VisibilityTimeout 43201 is outside 0..43200");
}

TEST(SqsLimits, ReceiveAndVisibility) {
  EXPECT_NO_THROW(check_request(ReceiveMessageRequest{.queue_url = "q",
                                                      .max_number_of_messages = 10,
                                                      .wait_time_seconds = 20,
                                                      .visibility_timeout = 43200}));
  expect_error(
      [] { check_request(ReceiveMessageRequest{.queue_url = "q", .max_number_of_messages = 0}); },
      ErrorCode::invalid_argument, "MaxNumberOfMessages 0 is outside 1..10");
  expect_error(
      [] { check_request(ReceiveMessageRequest{.queue_url = "q", .wait_time_seconds = 21}); },
      ErrorCode::invalid_argument, "WaitTimeSeconds 21 is outside 0..20");
  expect_error(
      [] {
        check_request(ReceiveMessageRequest{.queue_url = "q", .receive_request_attempt_id = "a b"});
      },
      ErrorCode::invalid_argument, "ReceiveRequestAttemptId");
  expect_error(
      [] {
        check_request(ChangeMessageVisibilityRequest{"q", "h", -1});
      },
      ErrorCode::invalid_argument, "ChangeMessageVisibility: VisibilityTimeout -1");
}

}  // namespace
}  // namespace postwire::sqs
