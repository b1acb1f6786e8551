// SQS error responses: the JSON body and x-amzn-query-error header from the SQS Developer
// Guide's example ("Interpreting Amazon SQS JSON API responses"), and the mapping onto
// postwire's error codes.

#include <gtest/gtest.h>

#include <string>

#include "protocol/sqs/errors.hpp"

namespace postwire::sqs {
namespace {

TEST(SqsErrors, ParsesTheDocumentedErrorResponse) {
  const SqsError e = parse_error(400,
                                 R"({"__type": "com.amazonaws.sqs#QueueDoesNotExist",)"
                                 R"( "message": "The specified queue does not exist."})",
                                 "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_EQ(e.type, "QueueDoesNotExist");
  EXPECT_EQ(e.query_error, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(e.message, "The specified queue does not exist.");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_TRUE(e.sender_fault);
  EXPECT_EQ(map_error(e), ErrorCode::not_found);
  const Error error = to_error(e, "SendMessage");
  EXPECT_EQ(error.code(), ErrorCode::not_found);
  EXPECT_EQ(error.message(),
            "SQS SendMessage failed: QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue), "
            "HTTP 400, sender fault: The specified queue does not exist.");
  EXPECT_FALSE(error.retriable());
  EXPECT_FALSE(error.fatal());
}

TEST(SqsErrors, PlainTypesAndCapitalisedMessage) {
  const SqsError e = parse_error(400, R"({"__type":"QueueDoesNotExist","Message":"gone"})", "");
  EXPECT_EQ(e.type, "QueueDoesNotExist");
  EXPECT_EQ(e.query_error, "");
  EXPECT_EQ(e.message, "gone");
  EXPECT_TRUE(e.sender_fault) << "a 4xx without the header is the sender's fault";
  EXPECT_EQ(map_error(e), ErrorCode::not_found);
}

TEST(SqsErrors, StripsNamespaceAndSuffixFromType) {
  EXPECT_EQ(parse_error(
                400, R"({"__type":"aws.protocoltests#FooError:http://internal.amazon.com/x"})", "")
                .type,
            "FooError");
}

TEST(SqsErrors, TheQueryNameAloneIsEnough) {
  const SqsError e = parse_error(400, "", "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_EQ(e.type, "");
  EXPECT_EQ(map_error(e), ErrorCode::not_found);
  EXPECT_EQ(to_error(e, "GetQueueUrl").message(),
            "SQS GetQueueUrl failed: AWS.SimpleQueueService.NonExistentQueue, HTTP 400, sender "
            "fault: HTTP 400 with an empty body");
}

TEST(SqsErrors, ReceiverFaultFromTheHeader) {
  const SqsError e =
      parse_error(500, R"({"__type":"com.amazonaws.sqs#InternalError"})", "InternalError;Receiver");
  EXPECT_FALSE(e.sender_fault);
  EXPECT_EQ(map_error(e), ErrorCode::broker_error);
  EXPECT_TRUE(retriable(e));
  EXPECT_FALSE(throttling(e));
}

TEST(SqsErrors, UnparseableBodiesStillYieldAnError) {
  const SqsError html = parse_error(502, "<html>Bad Gateway</html>", "");
  EXPECT_EQ(html.type, "");
  EXPECT_EQ(html.message, "HTTP 502 with a body of 24 bytes that is not a JSON error object");
  EXPECT_FALSE(html.sender_fault);
  EXPECT_EQ(map_error(html), ErrorCode::broker_error);
  EXPECT_TRUE(retriable(html));
  const SqsError big = parse_error(400, std::string(100, '{'), "", 99);
  EXPECT_EQ(big.message, "HTTP 400 with an error body of 100 bytes, over the 99 read");
  EXPECT_EQ(map_error(big), ErrorCode::broker_error);
  EXPECT_FALSE(retriable(big)) << "an unknown 4xx is not retried";
}

struct Mapping {
  std::string_view type;
  std::string_view query_error;
  int status;
  ErrorCode code;
  bool throttle;
  bool retry;
};

TEST(SqsErrors, MapsEveryFamily) {
  const Mapping cases[] = {
      {"QueueDoesNotExist", "", 400, ErrorCode::not_found, false, false},
      {"", "AWS.SimpleQueueService.NonExistentQueue", 400, ErrorCode::not_found, false, false},
      {"InvalidClientTokenId", "", 403, ErrorCode::authentication_failed, false, false},
      {"SignatureDoesNotMatch", "", 403, ErrorCode::authentication_failed, false, false},
      {"ExpiredToken", "", 403, ErrorCode::authentication_failed, false, false},
      {"RequestExpired", "", 400, ErrorCode::authentication_failed, false, true},
      {"AccessDenied", "", 403, ErrorCode::access_denied, false, false},
      {"AccessDeniedException", "", 400, ErrorCode::access_denied, false, false},
      {"KmsAccessDenied", "KMS.AccessDeniedException", 400, ErrorCode::access_denied, false, false},
      {"InvalidParameterValue", "", 400, ErrorCode::invalid_argument, false, false},
      {"InvalidAttributeName", "", 400, ErrorCode::invalid_argument, false, false},
      {"InvalidMessageContents", "", 400, ErrorCode::invalid_argument, false, false},
      {"", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400, ErrorCode::invalid_argument,
       false, false},
      {"BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400,
       ErrorCode::message_too_large, false, false},
      {"MessageTooLong", "", 400, ErrorCode::message_too_large, false, false},
      {"QueueNameExists", "QueueAlreadyExists", 400, ErrorCode::precondition_failed, false, false},
      {"QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400,
       ErrorCode::precondition_failed, false, true},
      {"PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403,
       ErrorCode::precondition_failed, false, true},
      {"ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404, ErrorCode::precondition_failed,
       false, false},
      {"KmsDisabled", "KMS.DisabledException", 400, ErrorCode::precondition_failed, false, false},
      {"UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400,
       ErrorCode::not_supported, false, false},
      {"ThrottlingException", "", 400, ErrorCode::broker_error, true, true},
      {"RequestThrottled", "RequestThrottled", 403, ErrorCode::broker_error, true, true},
      {"KmsThrottled", "KMS.ThrottlingException", 400, ErrorCode::broker_error, true, true},
      {"OverLimit", "OverLimit", 403, ErrorCode::broker_error, true, true},
      {"", "", 429, ErrorCode::broker_error, true, true},
      {"ServiceUnavailable", "", 503, ErrorCode::broker_error, false, true},
      {"InternalFailure", "", 500, ErrorCode::broker_error, false, true},
      {"", "", 504, ErrorCode::broker_error, false, true},
      {"SomethingNew", "", 400, ErrorCode::broker_error, false, false},
  };
  for (const Mapping& m : cases) {
    const SqsError e{.type = std::string(m.type),
                     .query_error = std::string(m.query_error),
                     .http_status = m.status,
                     .sender_fault = m.status < 500};
    const std::string name =
        std::string(m.type) + "/" + std::string(m.query_error) + "/" + std::to_string(m.status);
    EXPECT_EQ(map_error(e), m.code) << name;
    EXPECT_EQ(throttling(e), m.throttle) << name;
    EXPECT_EQ(retriable(e), m.retry) << name;
    EXPECT_EQ(to_error(e, "X").retriable(), m.retry) << name;
  }
}

TEST(SqsErrors, InvalidParameterValueForAnOversizedMessageIsTooLarge) {
  const SqsError e = parse_error(
      400,
      R"({"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"One or more parameters )"
      R"(are invalid. Reason: Message must be shorter than 262144 bytes."})",
      "InvalidParameterValue;Sender");
  EXPECT_EQ(map_error(e), ErrorCode::message_too_large);
}

}  // namespace
}  // namespace postwire::sqs
