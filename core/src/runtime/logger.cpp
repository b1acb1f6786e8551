#include "runtime/logger.hpp"

#include <array>
#include <utility>

namespace postwire {

namespace {
constexpr std::array<std::string_view, 6> kLevelNames{"trace", "debug", "info",
                                                      "warn",  "error", "off"};
}  // namespace

std::string_view log_level_name(LogLevel level) noexcept {
  const auto index = static_cast<std::size_t>(level);
  return index < kLevelNames.size() ? kLevelNames[index] : "unknown";
}

std::optional<LogLevel> parse_log_level(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) {
      return static_cast<LogLevel>(i);
    }
  }
  return std::nullopt;
}

namespace runtime {

Logger::Logger(std::string client_id, LogLevel threshold, LogSink sink)
    : client_id_(std::move(client_id)),
      threshold_(sink ? threshold : LogLevel::off),
      sink_(std::move(sink)) {}

Logger::Logger(const Config& config, LogSink sink)
    : Logger(config.get_string("client.id"),
             parse_log_level(config.get_string("log.level")).value_or(LogLevel::info),
             std::move(sink)) {}

void Logger::log(LogLevel level, std::string_view category, std::string message) const {
  if (!enabled(level)) {
    return;
  }
  sink_(LogRecord{
      .level = level,
      .client_id = client_id_,
      .category = std::string(category),
      .message = std::move(message),
      .time = std::chrono::system_clock::now(),
  });
}

}  // namespace runtime
}  // namespace postwire
