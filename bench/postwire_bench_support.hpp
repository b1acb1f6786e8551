// What postwire's benchmark programs share (bench/amqp, bench/kafka): argument checks, the
// process's CPU time, percentiles, and the tally of the client's events.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "postwire/client.hpp"
#include "postwire/config.hpp"
#include "postwire/error.hpp"
#include "postwire/events.hpp"

namespace postwire_bench {

using Clock = std::chrono::steady_clock;

[[noreturn]] inline void die(const std::string& message) {
  std::fprintf(stderr, "postwire_bench: %s\n", message.c_str());
  std::exit(2);
}

inline std::int64_t parse_int(std::string_view text, std::string_view name, std::int64_t min,
                              std::int64_t max) {
  std::string copy(text);
  char* end = nullptr;
  const long long value = std::strtoll(copy.c_str(), &end, 10);
  if (copy.empty() || *end != '\0' || value < min || value > max) {
    die(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
        std::to_string(max) + ", got '" + copy + "'");
  }
  return value;
}

// The process's own CPU time (user + sys, every thread) in seconds.
inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

inline double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The nearest-rank percentile of sorted values.
inline std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

inline void set_option(postwire::Config& config, std::string_view key, std::string_view value) {
  if (const postwire::Error error = config.set(key, value)) {
    die("config " + std::string(key) + "=" + std::string(value) + ": " + error.to_string());
  }
}

// Everything the client reports on its event queue, tallied.
struct EventTally {
  std::int64_t confirmed = 0;
  std::int64_t failed = 0;
  std::int64_t errors = 0;
  std::vector<std::int64_t> latency_us;
  std::vector<postwire::Event> batch;

  // Takes the events waiting (up to `timeout` for the first); returns how many.
  std::size_t drain(postwire::Client& client, std::chrono::milliseconds timeout) {
    batch.clear();
    const std::size_t n = client.poll(batch, 4096, timeout);
    for (postwire::Event& event : batch) {
      std::visit([this](auto& e) { take(e); }, event);
    }
    return n;
  }

  // Drains until `count` sends are reported; false when none came for `idle`.
  bool await_reports(postwire::Client& client, std::int64_t count, std::chrono::seconds idle) {
    auto last_progress = Clock::now();
    while (confirmed + failed < count) {
      if (drain(client, std::chrono::milliseconds(200)) > 0) {
        last_progress = Clock::now();
      } else if (Clock::now() - last_progress > idle) {
        std::fprintf(stderr, "postwire_bench: no delivery report within %lld s\n",
                     static_cast<long long>(idle.count()));
        return false;
      }
    }
    return true;
  }

  void take(const postwire::DeliveryReport& report) {
    if (report.error) {
      if (failed++ < 5) {
        std::fprintf(stderr, "postwire_bench: send failed: %s\n", report.error.to_string().c_str());
      }
      return;
    }
    ++confirmed;
    latency_us.push_back(report.latency.count());
  }
  void take(const postwire::ConnectionEvent& event) {
    if (event.state == postwire::ConnectionState::recovering ||
        event.state == postwire::ConnectionState::failed) {
      ++errors;
      std::fprintf(stderr, "postwire_bench: connection to %s lost: %s\n", event.broker.c_str(),
                   event.error.to_string().c_str());
    }
  }
  void take(const postwire::ConsumerEvent& event) {
    if (event.state != postwire::ConsumerState::active) {
      ++errors;
      std::fprintf(stderr, "postwire_bench: consumer of %s stopped: %s\n", event.source.c_str(),
                   event.error.to_string().c_str());
    }
  }
  void take(const postwire::ErrorEvent& event) {
    ++errors;
    std::fprintf(stderr, "postwire_bench: %s\n", event.error.to_string().c_str());
  }
  void take(const postwire::FlowEvent& /*event*/) {}
  void take(const postwire::LogRecord& /*record*/) {}
  void take(const postwire::Delivery& /*message*/) {}  // its consumer polls its own
  void take(const postwire::AssignmentEvent& /*event*/) {}
};

}  // namespace postwire_bench
