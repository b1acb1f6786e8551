#include "client/metrics.hpp"

namespace postwire::client {

MetricsSnapshot Metrics::snapshot() const {
  MetricsSnapshot out;
  out.sent = sent.value();
  out.confirmed = confirmed.value();
  out.failed = failed.value();
  out.retried = retried.value();
  out.returned = returned.value();
  out.received = received.value();
  out.acked = acked.value();
  out.nacked = nacked.value();
  out.redelivered = redelivered.value();
  out.dead_lettered = dead_lettered.value();
  out.deduplicated = deduplicated.value();
  out.bytes_sent = bytes_sent.value();
  out.bytes_received = bytes_received.value();
  out.compressed = compressed.value();
  out.in_flight = in_flight.value();
  out.buffered_messages = buffered_messages.value();
  out.buffered_bytes = buffered_bytes.value();
  out.consumer_buffered = consumer_buffered.value();
  out.events_dropped = events_dropped.value();
  out.send_to_confirm = send_to_confirm.snapshot();
  return out;
}

}  // namespace postwire::client
