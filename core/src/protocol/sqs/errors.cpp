#include "protocol/sqs/errors.hpp"

#include <array>
#include <boost/json.hpp>
#include <string>
#include <utility>

namespace postwire::sqs {
namespace {

enum class Kind {
  unknown,
  not_found,
  authentication,
  access,
  invalid,
  too_large,
  precondition,
  unsupported,
  throttle,
  server,
};

struct Name {
  std::string_view name;
  Kind kind;
};

// Error names from the SQS API reference (each action's "Errors" and "Common Errors") in both
// forms: the JSON protocol's __type and the Query protocol's code (with the
// "AWS.SimpleQueueService." prefix removed before lookup).
constexpr std::array names = {
    Name{"QueueDoesNotExist", Kind::not_found},
    Name{"NonExistentQueue", Kind::not_found},
    Name{"ResourceNotFoundException", Kind::not_found},

    Name{"InvalidClientTokenId", Kind::authentication},
    Name{"SignatureDoesNotMatch", Kind::authentication},
    Name{"IncompleteSignature", Kind::authentication},
    Name{"MissingAuthenticationToken", Kind::authentication},
    Name{"MissingAuthenticationTokenException", Kind::authentication},
    Name{"ExpiredToken", Kind::authentication},
    Name{"ExpiredTokenException", Kind::authentication},
    Name{"RequestExpired", Kind::authentication},
    Name{"UnrecognizedClientException", Kind::authentication},
    Name{"InvalidSecurity", Kind::authentication},
    Name{"InvalidAccessKeyId", Kind::authentication},

    Name{"AccessDenied", Kind::access},
    Name{"AccessDeniedException", Kind::access},
    Name{"NotAuthorized", Kind::access},
    Name{"OptInRequired", Kind::access},
    Name{"KmsAccessDenied", Kind::access},
    Name{"KMS.AccessDeniedException", Kind::access},

    Name{"InvalidParameterValue", Kind::invalid},
    Name{"InvalidParameterCombination", Kind::invalid},
    Name{"InvalidAttributeName", Kind::invalid},
    Name{"InvalidAttributeValue", Kind::invalid},
    Name{"MissingParameter", Kind::invalid},
    Name{"InvalidMessageContents", Kind::invalid},
    Name{"InvalidIdFormat", Kind::invalid},
    Name{"InvalidAddress", Kind::invalid},
    Name{"InvalidAction", Kind::invalid},
    Name{"InvalidQueryParameter", Kind::invalid},
    Name{"MalformedQueryString", Kind::invalid},
    Name{"MissingAction", Kind::invalid},
    Name{"ValidationError", Kind::invalid},
    Name{"ValidationException", Kind::invalid},
    Name{"SerializationException", Kind::invalid},
    Name{"EmptyBatchRequest", Kind::invalid},
    Name{"BatchEntryIdsNotDistinct", Kind::invalid},
    Name{"InvalidBatchEntryId", Kind::invalid},
    Name{"TooManyEntriesInBatchRequest", Kind::invalid},

    Name{"MessageTooLong", Kind::too_large},
    Name{"BatchRequestTooLong", Kind::too_large},

    Name{"QueueNameExists", Kind::precondition},
    Name{"QueueAlreadyExists", Kind::precondition},
    Name{"QueueDeletedRecently", Kind::precondition},
    Name{"PurgeQueueInProgress", Kind::precondition},
    Name{"ReceiptHandleIsInvalid", Kind::precondition},
    Name{"MessageNotInflight", Kind::precondition},
    Name{"KmsDisabled", Kind::precondition},
    Name{"KMS.DisabledException", Kind::precondition},
    Name{"KmsInvalidState", Kind::precondition},
    Name{"KMS.InvalidStateException", Kind::precondition},
    Name{"KmsInvalidKeyUsage", Kind::precondition},
    Name{"KMS.InvalidKeyUsageException", Kind::precondition},
    Name{"KmsNotFound", Kind::precondition},
    Name{"KMS.NotFoundException", Kind::precondition},
    Name{"KmsOptInRequired", Kind::precondition},
    Name{"KMS.OptInRequired", Kind::precondition},

    Name{"UnsupportedOperation", Kind::unsupported},

    Name{"ThrottlingException", Kind::throttle},
    Name{"Throttling", Kind::throttle},
    Name{"RequestThrottled", Kind::throttle},
    Name{"KmsThrottled", Kind::throttle},
    Name{"KMS.ThrottlingException", Kind::throttle},
    Name{"TooManyRequestsException", Kind::throttle},
    Name{"RequestLimitExceeded", Kind::throttle},
    Name{"OverLimit", Kind::throttle},

    Name{"ServiceUnavailable", Kind::server},
    Name{"ServiceUnavailableException", Kind::server},
    Name{"InternalError", Kind::server},
    Name{"InternalFailure", Kind::server},
    Name{"InternalServerError", Kind::server},
};

constexpr std::string_view query_prefix = "AWS.SimpleQueueService.";

std::string_view bare(std::string_view name) {
  if (name.starts_with(query_prefix)) {
    name.remove_prefix(query_prefix.size());
  }
  return name;
}

Kind kind_of_name(std::string_view name) {
  name = bare(name);
  for (const Name& entry : names) {
    if (entry.name == name) {
      return entry.kind;
    }
  }
  return Kind::unknown;
}

// A message too long for the queue comes back from SQS as InvalidParameterValue, "One or more
// parameters are invalid. Reason: Message must be shorter than 262144 bytes."
bool says_too_long(const SqsError& error) {
  return error.message.find("must be shorter than") != std::string::npos;
}

Kind kind_of(const SqsError& error) {
  Kind kind = kind_of_name(error.type);
  if (kind == Kind::unknown) {
    kind = kind_of_name(error.query_error);
  }
  if (kind == Kind::invalid && says_too_long(error)) {
    return Kind::too_large;
  }
  if (kind == Kind::unknown && error.http_status == 429) {
    return Kind::throttle;
  }
  if (kind == Kind::unknown && error.http_status >= 500) {
    return Kind::server;
  }
  return kind;
}

// AWS's rule for JSON protocol error types: drop anything from the first ':' on, then
// anything up to and including a '#'.
std::string strip_type(std::string_view type) {
  type = type.substr(0, type.find(':'));
  const std::size_t hash = type.find('#');
  if (hash != std::string_view::npos) {
    type.remove_prefix(hash + 1);
  }
  return std::string(type);
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

const boost::json::string* string_member(const boost::json::object& object, std::string_view key) {
  const auto it = object.find(key);
  return it != object.end() ? it->value().if_string() : nullptr;
}

}  // namespace

SqsError parse_error(int http_status, std::string_view body, std::string_view query_error_header,
                     std::size_t max_body_bytes) {
  SqsError error;
  error.http_status = http_status;

  const std::size_t semicolon = query_error_header.find(';');
  error.query_error = trimmed(query_error_header.substr(0, semicolon));
  const std::string fault = semicolon == std::string_view::npos
                                ? std::string()
                                : trimmed(query_error_header.substr(semicolon + 1));
  error.sender_fault =
      fault.empty() ? (http_status >= 400 && http_status < 500) : fault == "Sender";

  if (body.size() > max_body_bytes) {
    error.message = "HTTP " + std::to_string(http_status) + " with an error body of " +
                    std::to_string(body.size()) + " bytes, over the " +
                    std::to_string(max_body_bytes) + " read";
    return error;
  }
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  const boost::json::object* object = ec ? nullptr : parsed.if_object();
  if (object == nullptr) {
    error.message = body.empty() ? "HTTP " + std::to_string(http_status) + " with an empty body"
                                 : "HTTP " + std::to_string(http_status) + " with a body of " +
                                       std::to_string(body.size()) +
                                       " bytes that is not a JSON error object";
    return error;
  }
  if (const auto* type = string_member(*object, "__type")) {
    error.type = strip_type(*type);
  }
  const auto* message = string_member(*object, "message");
  if (message == nullptr) {
    message = string_member(*object, "Message");
  }
  if (message != nullptr) {
    error.message = std::string(*message);
  }
  return error;
}

ErrorCode map_error(const SqsError& error) {
  switch (kind_of(error)) {
    case Kind::not_found:
      return ErrorCode::not_found;
    case Kind::authentication:
      return ErrorCode::authentication_failed;
    case Kind::access:
      return ErrorCode::access_denied;
    case Kind::invalid:
      return ErrorCode::invalid_argument;
    case Kind::too_large:
      return ErrorCode::message_too_large;
    case Kind::precondition:
      return ErrorCode::precondition_failed;
    case Kind::unsupported:
      return ErrorCode::not_supported;
    case Kind::throttle:
    case Kind::server:
    case Kind::unknown:
      break;
  }
  return ErrorCode::broker_error;
}

bool throttling(const SqsError& error) { return kind_of(error) == Kind::throttle; }

bool retriable(const SqsError& error) {
  const Kind kind = kind_of(error);
  if (kind == Kind::throttle || kind == Kind::server) {
    return true;
  }
  for (const std::string_view name :
       {"QueueDeletedRecently", "PurgeQueueInProgress", "RequestExpired"}) {
    if (bare(error.type) == name || bare(error.query_error) == name) {
      return true;
    }
  }
  return false;
}

Error to_error(const SqsError& error, std::string_view operation) {
  std::string message = "SQS ";
  message += operation;
  message += " failed: ";
  if (!error.type.empty()) {
    message += error.type;
    if (!error.query_error.empty() && error.query_error != error.type) {
      message += " (" + error.query_error + ")";
    }
  } else if (!error.query_error.empty()) {
    message += error.query_error;
  } else {
    message += "an unnamed error";
  }
  message += ", HTTP " + std::to_string(error.http_status);
  message += error.sender_fault ? ", sender fault" : ", server fault";
  if (!error.message.empty()) {
    message += ": " + error.message;
  }
  return {map_error(error), std::move(message), retriable(error), false};
}

}  // namespace postwire::sqs
