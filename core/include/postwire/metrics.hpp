#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "postwire/export.hpp"

namespace postwire {

// A latency distribution at one moment. Percentiles come from log-linear buckets and are
// accurate to about 3% (values below 32 us to 0.5 us); `max` is exact. All zero when
// nothing was recorded.
struct LatencySnapshot {
  std::uint64_t count = 0;
  std::chrono::nanoseconds p50{};
  std::chrono::nanoseconds p90{};
  std::chrono::nanoseconds p99{};
  std::chrono::nanoseconds p999{};
  std::chrono::nanoseconds max{};
  double mean_us = 0.0;
};

// A client's counters at one moment. Counters only grow over the client's life; gauges
// (in_flight, buffered_*, consumer_buffered) go up and down. Counters are read one by one
// without a common lock, so a snapshot taken under load may be off by the operations that
// happened while it was taken.
struct MetricsSnapshot {
  // Producer.
  std::uint64_t sent = 0;       // messages handed to the broker (each attempt counts)
  std::uint64_t confirmed = 0;  // messages the broker confirmed
  std::uint64_t failed = 0;     // messages reported to the application as failed
  std::uint64_t retried = 0;    // send attempts after the first
  std::uint64_t returned = 0;   // messages the broker returned as unroutable
  // Consumer.
  std::uint64_t received = 0;       // deliveries received (redeliveries included)
  std::uint64_t acked = 0;          // deliveries acknowledged
  std::uint64_t nacked = 0;         // deliveries rejected or requeued
  std::uint64_t redelivered = 0;    // deliveries with a delivery count above 1
  std::uint64_t dead_lettered = 0;  // messages sent to a dead-letter destination
  std::uint64_t deduplicated = 0;   // deliveries dropped as duplicates of a recent id
  // Bytes of message bodies as they travel (after compression when sending, before
  // decompression when receiving).
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t compressed = 0;  // messages sent with a compressed body
  // Events (logs, state changes) left out because the event queue was full: poll more often
  // or raise event.queue.max.events. Delivery reports are never dropped.
  std::uint64_t events_dropped = 0;
  // Gauges.
  std::int64_t in_flight = 0;          // sent and not yet confirmed or failed
  std::int64_t buffered_messages = 0;  // accepted by send() and not yet sent
  std::int64_t buffered_bytes = 0;     // their body bytes
  std::int64_t consumer_buffered = 0;  // received and not yet handed to the application
  std::int64_t waiting_sends = 0;      // send_nowait() calls waiting in line for buffer room
  // From the call to send() to the broker's confirmation, for confirmed messages.
  LatencySnapshot send_to_confirm;

  // One flat JSON object: every field above under its own name, and send_to_confirm as
  // send_to_confirm_count, send_to_confirm_{p50,p90,p99,p999,max}_us and
  // send_to_confirm_mean_us, latencies in microseconds. Holds counts only: no names,
  // addresses or credentials.
  [[nodiscard]] POSTWIRE_API std::string to_json() const;
};

}  // namespace postwire
