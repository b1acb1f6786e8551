#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "postwire/export.hpp"

namespace postwire {

// Severity of a log record. The numbers are stable (the C ABI exposes them).
enum class LogLevel : std::int32_t { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

POSTWIRE_API std::string_view log_level_name(LogLevel level) noexcept;
// Parses "trace" ... "off" as accepted by the log.level option.
POSTWIRE_API std::optional<LogLevel> parse_log_level(std::string_view name) noexcept;

// One log record. Messages never contain passwords or other secrets: postwire redacts them
// before a record is made.
struct LogRecord {
  LogLevel level = LogLevel::info;
  std::string client_id;  // the client.id option of the client that logged it
  std::string category;   // the component, e.g. "runtime", "amqp", "kafka"
  std::string message;
  std::chrono::system_clock::time_point time;
};

}  // namespace postwire
