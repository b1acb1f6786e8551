#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "postwire/export.hpp"

namespace postwire {

// Error codes. The numbers are stable: the C ABI exposes the same values, so a code is never
// renumbered or reused, and new codes are only added. Grouped by hundreds:
//   1xx the caller's input    2xx network and TLS    3xx the broker refused
//   4xx local limits/state    5xx protocol           9xx postwire's own faults
enum class ErrorCode : std::int32_t {
  ok = 0,

  invalid_argument = 100,
  config_unknown_key = 101,
  config_invalid_value = 102,
  invalid_url = 103,

  connection_refused = 200,
  timed_out = 201,
  name_resolution_failed = 202,
  connection_closed = 203,
  network_error = 204,
  tls_handshake_failed = 210,
  tls_certificate_rejected = 211,
  tls_setup_failed = 212,

  authentication_failed = 300,
  access_denied = 301,
  not_found = 302,
  unroutable = 303,
  precondition_failed = 304,
  resource_locked = 305,
  broker_nacked = 306,
  broker_error = 307,

  queue_full = 400,
  shutting_down = 401,
  closed = 402,
  forked_process = 403,
  retry_budget_exhausted = 404,
  delivery_timeout = 405,
  not_supported = 406,

  protocol_error = 500,
  message_too_large = 501,

  internal = 900,
};

// What postwire documents about a code: its name and whether it is retriable or fatal unless
// the site that raises it says otherwise.
struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;
  bool retriable;  // trying the same operation again may succeed
  bool fatal;      // the client cannot continue and must be closed
  std::string_view description;
};

// Every code, in numeric order. The documentation in docs/errors.md is generated from it.
POSTWIRE_API std::span<const ErrorCodeInfo> error_codes() noexcept;
// The entry for `code`; an unknown value yields the entry for `internal`.
POSTWIRE_API const ErrorCodeInfo& error_code_info(ErrorCode code) noexcept;
POSTWIRE_API std::string_view error_code_name(ErrorCode code) noexcept;

// An error as every layer reports it: a code, a message for people, and the two flags a
// caller needs to decide what to do next. A default-constructed Error means success.
class POSTWIRE_API Error {
 public:
  Error() = default;
  // Flags default to the code's documented ones.
  Error(ErrorCode code, std::string message);
  Error(ErrorCode code, std::string message, bool retriable, bool fatal);

  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] bool retriable() const noexcept { return retriable_; }
  [[nodiscard]] bool fatal() const noexcept { return fatal_; }
  [[nodiscard]] bool is_ok() const noexcept { return code_ == ErrorCode::ok; }
  // True when this holds an error.
  explicit operator bool() const noexcept { return !is_ok(); }

  // "name: message", e.g. "timed_out: connecting to 127.0.0.1:5672 timed out after 10000 ms".
  [[nodiscard]] std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
  bool retriable_ = false;
  bool fatal_ = false;
};

// The C++ API reports failures by throwing this; the C ABI catches it and returns the Error.
class POSTWIRE_API Exception : public std::runtime_error {
 public:
  explicit Exception(Error error);
  Exception(ErrorCode code, std::string message);

  [[nodiscard]] const Error& error() const noexcept { return error_; }
  [[nodiscard]] ErrorCode code() const noexcept { return error_.code(); }

 private:
  Error error_;
};

}  // namespace postwire
