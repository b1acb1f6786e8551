// libFuzzer target for the SQS response parsers: byte 0 picks the operation, the rest is the
// HTTP body given to that operation's parser and to parse_error (with a status and
// x-amzn-query-error header also taken from byte 0). postwire::Exception is the only
// acceptable failure of a parser, and parse_error must not fail at all; anything else (a
// crash, a sanitizer report, another exception) is a bug. What parses is also run through
// the MD5 checks, which must not fail either.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "postwire/error.hpp"
#include "protocol/sqs/errors.hpp"
#include "protocol/sqs/json_protocol.hpp"
#include "protocol/sqs/md5.hpp"

namespace {

using namespace postwire::sqs;

// A small limit, so that the size check is reached too.
constexpr ParseLimits limits{.max_body_bytes = 16 * 1024};

void parse(std::uint8_t choice, std::string_view body) {
  switch (choice % 14U) {
    case 0:
      static_cast<void>(parse_send_message(body, limits));
      break;
    case 1:
      static_cast<void>(parse_send_message_batch(body, limits));
      break;
    case 2:
      for (const ReceivedMessage& m : parse_receive_message(body, limits).messages) {
        static_cast<void>(verify_received(m));
      }
      break;
    case 3:
      static_cast<void>(parse_delete_message_batch(body, limits));
      break;
    case 4:
      static_cast<void>(parse_change_message_visibility_batch(body, limits));
      break;
    case 5:
      static_cast<void>(parse_create_queue(body, limits));
      break;
    case 6:
      static_cast<void>(parse_get_queue_url(body, limits));
      break;
    case 7:
      static_cast<void>(parse_get_queue_attributes(body, limits));
      break;
    case 8:
      static_cast<void>(parse_list_queues(body, limits));
      break;
    case 9:
      parse_empty_response(Operation::delete_message, body, limits);
      break;
    case 10:
      parse_empty_response(Operation::change_message_visibility, body, limits);
      break;
    case 11:
      parse_empty_response(Operation::set_queue_attributes, body, limits);
      break;
    case 12:
      parse_empty_response(Operation::delete_queue, body, limits);
      break;
    default:
      parse_empty_response(Operation::purge_queue, body, limits);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const std::uint8_t choice = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    parse(choice, body);
  } catch (const postwire::Exception&) {
    // A malformed body: a clean rejection is the expected outcome.
  }

  static constexpr std::string_view headers[] = {
      "", "AWS.SimpleQueueService.NonExistentQueue;Sender", "InternalError;Receiver", ";", "x"};
  const int status = (choice & 0x80U) != 0 ? 500 + (choice & 0x0FU) : 400 + (choice & 0x1FU);
  const SqsError error =
      parse_error(status, body, headers[(choice >> 4U) % std::size(headers)], 8 * 1024);
  static_cast<void>(to_error(error, "Fuzz"));
  static_cast<void>(throttling(error));
  return 0;
}
