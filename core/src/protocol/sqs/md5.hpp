#pragma once

// The checksums SQS returns so that a client can check what it sent or received:
// MD5OfMessageBody / MD5OfBody, the hex MD5 of the body's bytes, and MD5OfMessageAttributes
// (and MD5OfMessageSystemAttributes), the hex MD5 of the attributes encoded as the SQS
// Developer Guide defines ("Calculating the MD5 message digest for message attributes"):
// sorted by name, each attribute is
//   4-byte big-endian length + UTF-8 name,
//   4-byte big-endian length + UTF-8 data type (custom label included),
//   1 byte transport type: 1 for String and Number, 2 for Binary,
//   4-byte big-endian length + the value (UTF-8 string or raw bytes).

#include <string>
#include <string_view>

#include "postwire/error.hpp"
#include "protocol/sqs/messages.hpp"

namespace postwire::sqs {

// Lowercase hex.
[[nodiscard]] std::string md5_of_body(std::string_view body);
// Lowercase hex; "" for no attributes, as SQS then returns no digest.
[[nodiscard]] std::string md5_of_message_attributes(const MessageAttributes& attributes);

// The checks return Error(protocol_error) naming the message id and both digests when SQS
// reports something other than what was computed (the message was changed on the way), and
// a default (ok) Error otherwise. The error is neither fatal nor retriable: the connection
// is fine, and resending could duplicate a message SQS did take. Digests compare without
// regard to case.
[[nodiscard]] Error verify_body_md5(std::string_view message_id, std::string_view body,
                                    std::string_view reported_md5);
[[nodiscard]] Error verify_attributes_md5(std::string_view message_id,
                                          const MessageAttributes& attributes,
                                          std::string_view reported_md5,
                                          std::string_view what = "MD5OfMessageAttributes");
// Body, attributes and system attributes of a sent message against what SQS reported (the
// system attributes only when a digest for them was reported).
[[nodiscard]] Error verify_sent(const MessageToSend& sent, const SentMessage& reported);
// Body and attributes of a received message against its own digests (the attributes only
// when some were returned).
[[nodiscard]] Error verify_received(const ReceivedMessage& message);

}  // namespace postwire::sqs
