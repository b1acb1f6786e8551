#include "transport/amqp/reply_codes.hpp"

#include <string>

namespace postwire::amqp {
namespace {

// Reply codes from the AMQP 0-9-1 spec's constants (amqp0-9-1 XML, "constant" elements).
enum ReplyCode : std::uint16_t {
  content_too_large = 311,
  no_route = 312,
  no_consumers = 313,
  connection_forced = 320,
  invalid_path = 402,
  access_refused = 403,
  not_found = 404,
  resource_locked = 405,
  precondition_failed = 406,
  frame_error = 501,
  syntax_error = 502,
  command_invalid = 503,
  channel_error = 504,
  unexpected_frame = 505,
  resource_error = 506,
  not_allowed = 530,
  not_implemented = 540,
  internal_error = 541,
};

ErrorCode code_for(std::uint16_t reply_code, std::string_view text, bool during_handshake) {
  switch (reply_code) {
    case content_too_large:
      return ErrorCode::message_too_large;
    case no_route:
    case no_consumers:
      return ErrorCode::unroutable;
    case connection_forced:
      return ErrorCode::connection_closed;
    case invalid_path:
    case not_found:
      return ErrorCode::not_found;
    case access_refused:
      return during_handshake ? ErrorCode::authentication_failed : ErrorCode::access_denied;
    case resource_locked:
      return ErrorCode::resource_locked;
    case precondition_failed:
      // RabbitMQ reports a message over its max_message_size as PRECONDITION_FAILED.
      return text.find("message size") != std::string_view::npos ? ErrorCode::message_too_large
                                                                 : ErrorCode::precondition_failed;
    case frame_error:
    case syntax_error:
    case command_invalid:
    case channel_error:
    case unexpected_frame:
      return ErrorCode::protocol_error;
    case not_allowed:
      // RabbitMQ: "vhost x not found" or "access to vhost 'x' refused for user 'y'".
      return text.find("not found") != std::string_view::npos ? ErrorCode::not_found
                                                              : ErrorCode::access_denied;
    case not_implemented:
      return ErrorCode::not_supported;
    case resource_error:
    case internal_error:
    default:
      return ErrorCode::broker_error;
  }
}

}  // namespace

Error error_from_close(CloseScope scope, std::uint16_t reply_code, std::string_view reply_text,
                       std::uint16_t class_id, std::uint16_t method_id, bool during_handshake) {
  const ErrorCode code = code_for(reply_code, reply_text, during_handshake);
  std::string message = scope == CloseScope::connection ? "the broker closed the connection: "
                                                        : "the broker closed the channel: ";
  message += std::to_string(reply_code);
  message += ' ';
  message += reply_text;
  if (class_id != 0) {
    message += " (in reply to class " + std::to_string(class_id) + " method " +
               std::to_string(method_id) + ")";
  }
  // Refused credentials or a missing vhost do not get better by reconnecting.
  const bool fatal =
      during_handshake && (code == ErrorCode::authentication_failed ||
                           code == ErrorCode::access_denied || code == ErrorCode::not_found);
  const auto& info = error_code_info(code);
  return {code, std::move(message), fatal ? false : info.retriable, fatal || info.fatal};
}

}  // namespace postwire::amqp
