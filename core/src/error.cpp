#include "postwire/error.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace postwire {
namespace {

constexpr std::array kCodes{
    ErrorCodeInfo{ErrorCode::ok, "ok", false, false, "Success."},
    ErrorCodeInfo{ErrorCode::invalid_argument, "invalid_argument", false, false,
                  "An argument was missing, empty or out of range."},
    ErrorCodeInfo{ErrorCode::config_unknown_key, "config_unknown_key", false, false,
                  "A configuration key that postwire does not know."},
    ErrorCodeInfo{ErrorCode::config_invalid_value, "config_invalid_value", false, false,
                  "A configuration value of the wrong type or outside the allowed range."},
    ErrorCodeInfo{ErrorCode::invalid_url, "invalid_url", false, false,
                  "A broker URL that cannot be parsed or names an unknown scheme."},
    ErrorCodeInfo{ErrorCode::connection_refused, "connection_refused", true, false,
                  "The broker's host refused the TCP connection."},
    ErrorCodeInfo{ErrorCode::timed_out, "timed_out", true, false,
                  "An operation did not finish within its configured time limit."},
    ErrorCodeInfo{ErrorCode::name_resolution_failed, "name_resolution_failed", true, false,
                  "The broker's host name could not be resolved."},
    ErrorCodeInfo{ErrorCode::connection_closed, "connection_closed", true, false,
                  "The connection was closed by the peer or the network."},
    ErrorCodeInfo{ErrorCode::network_error, "network_error", true, false,
                  "Another socket-level failure."},
    ErrorCodeInfo{ErrorCode::tls_handshake_failed, "tls_handshake_failed", true, false,
                  "The TLS handshake failed for a reason other than the peer's certificate."},
    ErrorCodeInfo{ErrorCode::tls_certificate_rejected, "tls_certificate_rejected", false, false,
                  "The peer's certificate failed verification (untrusted CA, expired, or "
                  "issued for another host name)."},
    ErrorCodeInfo{ErrorCode::tls_setup_failed, "tls_setup_failed", false, false,
                  "The local TLS settings could not be applied (unreadable CA file, "
                  "certificate or key)."},
    ErrorCodeInfo{ErrorCode::authentication_failed, "authentication_failed", false, true,
                  "The broker rejected the credentials."},
    ErrorCodeInfo{ErrorCode::access_denied, "access_denied", false, false,
                  "The broker refused an operation for lack of permission."},
    ErrorCodeInfo{ErrorCode::not_found, "not_found", false, false,
                  "The named queue, exchange, topic or virtual host does not exist."},
    ErrorCodeInfo{ErrorCode::unroutable, "unroutable", false, false,
                  "The broker accepted a message but no queue was bound to receive it."},
    ErrorCodeInfo{ErrorCode::precondition_failed, "precondition_failed", false, false,
                  "The broker refused an operation that conflicts with existing state, e.g. "
                  "re-declaring a queue with different arguments."},
    ErrorCodeInfo{ErrorCode::resource_locked, "resource_locked", true, false,
                  "The resource is held exclusively by another connection or consumer."},
    ErrorCodeInfo{ErrorCode::broker_nacked, "broker_nacked", true, false,
                  "The broker could not take responsibility for a message (publisher nack)."},
    ErrorCodeInfo{ErrorCode::broker_error, "broker_error", true, false,
                  "The broker reported an internal error or closed the channel or connection "
                  "for a reason not covered by a more specific code."},
    ErrorCodeInfo{ErrorCode::queue_full, "queue_full", true, false,
                  "A bounded local queue stayed full for longer than the caller would wait."},
    ErrorCodeInfo{ErrorCode::shutting_down, "shutting_down", false, false,
                  "The object is shutting down and accepts no new work."},
    ErrorCodeInfo{ErrorCode::closed, "closed", false, true,
                  "The object was closed and can no longer be used."},
    ErrorCodeInfo{ErrorCode::forked_process, "forked_process", false, true,
                  "The object was created in a parent process and used after fork()."},
    ErrorCodeInfo{ErrorCode::retry_budget_exhausted, "retry_budget_exhausted", false, false,
                  "Retries were refused because too many recent attempts failed."},
    ErrorCodeInfo{ErrorCode::delivery_timeout, "delivery_timeout", false, false,
                  "A message could not be confirmed by the broker within delivery.timeout.ms."},
    ErrorCodeInfo{ErrorCode::not_supported, "not_supported", false, false,
                  "The broker or transport cannot do what was asked (see the capability "
                  "query)."},
    ErrorCodeInfo{ErrorCode::protocol_error, "protocol_error", false, true,
                  "The peer sent bytes that violate the protocol (malformed frame, bad "
                  "length)."},
    ErrorCodeInfo{ErrorCode::message_too_large, "message_too_large", false, false,
                  "A message exceeds the size the broker or configuration allows."},
    ErrorCodeInfo{ErrorCode::internal, "internal", false, true,
                  "A fault inside postwire; please report it."},
};

static_assert(std::ranges::is_sorted(kCodes, {}, &ErrorCodeInfo::code),
              "kCodes must stay in numeric order");

}  // namespace

std::span<const ErrorCodeInfo> error_codes() noexcept { return kCodes; }

const ErrorCodeInfo& error_code_info(ErrorCode code) noexcept {
  const auto* it = std::ranges::lower_bound(kCodes, code, {}, &ErrorCodeInfo::code);
  if (it != kCodes.end() && it->code == code) {
    return *it;
  }
  return kCodes.back();
}

std::string_view error_code_name(ErrorCode code) noexcept { return error_code_info(code).name; }

Error::Error(ErrorCode code, std::string message)
    : Error(code, std::move(message), error_code_info(code).retriable,
            error_code_info(code).fatal) {}

Error::Error(ErrorCode code, std::string message, bool retriable, bool fatal)
    : code_(code), message_(std::move(message)), retriable_(retriable), fatal_(fatal) {}

std::string Error::to_string() const {
  std::string out(error_code_name(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

Exception::Exception(Error error)
    : std::runtime_error(error.to_string()), error_(std::move(error)) {}

Exception::Exception(ErrorCode code, std::string message)
    : Exception(Error(code, std::move(message))) {}

}  // namespace postwire
