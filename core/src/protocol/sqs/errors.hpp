#pragma once

// SQS error responses (AWS JSON 1.0 protocol) and what they mean to postwire. An error body is
// {"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "..."}; the
// x-amzn-query-error header carries the older Query-protocol name and the fault side,
// "AWS.SimpleQueueService.NonExistentQueue;Sender" (SQS Developer Guide, "Interpreting Amazon
// SQS JSON API responses"). Either name may be the one a server sends, so both are kept and
// both are recognised.

#include <cstddef>
#include <string>
#include <string_view>

#include "postwire/error.hpp"

namespace postwire::sqs {

struct SqsError {
  std::string type;         // from __type, namespace and any ":..." suffix stripped
  std::string query_error;  // the x-amzn-query-error code, without ";Sender"
  std::string message;      // "message" or "Message" from the body
  int http_status = 0;
  bool sender_fault = false;  // ";Sender" in the header, else a 4xx status
};

// The error in an HTTP response of status `http_status`. Never throws for what a server or
// proxy may send: a body that is not a JSON error object, or is larger than
// `max_body_bytes`, leaves type empty and says so in message, and the status still decides.
[[nodiscard]] SqsError parse_error(int http_status, std::string_view body,
                                   std::string_view query_error_header,
                                   std::size_t max_body_bytes = std::size_t{64} * 1024);

// What the error means in postwire's terms:
//   QueueDoesNotExist / NonExistentQueue / ResourceNotFoundException     -> not_found
//   InvalidClientTokenId, SignatureDoesNotMatch, IncompleteSignature, MissingAuthenticationToken,
//     ExpiredToken, RequestExpired, UnrecognizedClient, InvalidSecurity -> authentication_failed
//   AccessDenied(Exception), NotAuthorized, KmsAccessDenied               -> access_denied
//   InvalidParameterValue, InvalidAttributeName/Value, MissingParameter, InvalidMessageContents,
//     batch shape errors (EmptyBatchRequest, BatchEntryIdsNotDistinct, ...), ... ->
//     invalid_argument
//   MessageTooLong, BatchRequestTooLong, and InvalidParameterValue for a message over the
//     queue's size                                                        -> message_too_large
//   QueueNameExists / QueueAlreadyExists (same name, other attributes), QueueDeletedRecently,
//     PurgeQueueInProgress, ReceiptHandleIsInvalid, MessageNotInflight, Kms* key state
//                                                                         -> precondition_failed
//   UnsupportedOperation                                                  -> not_supported
//   throttling (see throttling()), OverLimit, ServiceUnavailable, InternalError/InternalFailure,
//     any 5xx, and anything unrecognised                                  -> broker_error
// OverLimit (too many messages in flight) is a limit on the broker's side, so it is a
// throttle rather than queue_full, which postwire keeps for its own bounded queues.
[[nodiscard]] ErrorCode map_error(const SqsError& error);

// Whether the service asks the client to slow down: ThrottlingException, RequestThrottled,
// KmsThrottled, Throttling, TooManyRequestsException, RequestLimitExceeded, OverLimit, or
// HTTP 429. These map to broker_error like other retriable faults; a transport tells them
// apart with this function to back off harder (and not count them as the server failing).
[[nodiscard]] bool throttling(const SqsError& error);

// Whether the same request may succeed if sent again: throttling, 5xx and the server's
// internal errors, QueueDeletedRecently and PurgeQueueInProgress (both clear after 60 s),
// and RequestExpired (signing again with the current time fixes it).
[[nodiscard]] bool retriable(const SqsError& error);

// The error as postwire reports it, with both names in the message:
// "SQS SendMessage failed: QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue),
// HTTP 400, sender fault: The specified queue does not exist."
// Never fatal: even authentication failures can be fixed by new credentials.
[[nodiscard]] Error to_error(const SqsError& error, std::string_view operation);

}  // namespace postwire::sqs
