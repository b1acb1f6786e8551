#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "postwire/config.hpp"
#include "postwire/log.hpp"

namespace postwire::runtime {

// Where log records go. Called on whichever thread logs (usually the IO thread), so a sink
// must be quick and must not block; a sink that forwards to an event queue drops records
// rather than wait when the queue is full.
using LogSink = std::function<void(LogRecord&&)>;

// Filters records by level and hands them to one sink. Without a sink, records are
// discarded: postwire never writes to stdout or stderr on its own. Thread-safe.
class Logger {
 public:
  Logger() = default;
  Logger(std::string client_id, LogLevel threshold, LogSink sink);
  // From the client.id and log.level options.
  Logger(const Config& config, LogSink sink);

  [[nodiscard]] bool enabled(LogLevel level) const noexcept {
    return level != LogLevel::off && level >= threshold_.load(std::memory_order_relaxed);
  }
  void set_threshold(LogLevel level) noexcept {
    threshold_.store(level, std::memory_order_relaxed);
  }

  // Builds and delivers a record if `level` passes the threshold. Callers must redact
  // secrets first (BrokerUrl::redacted(), Config::describe()).
  void log(LogLevel level, std::string_view category, std::string message) const;

 private:
  std::string client_id_;
  std::atomic<LogLevel> threshold_{LogLevel::off};
  LogSink sink_;
};

}  // namespace postwire::runtime
