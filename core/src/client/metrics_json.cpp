#include <array>
#include <charconv>
#include <string>
#include <string_view>

#include "postwire/metrics.hpp"

namespace postwire {
namespace {

// Appends `"name":` to a JSON object under construction, with the comma before every member
// but the first. Names are fixed identifiers, so they never need escaping.
void append_name(std::string& out, std::string_view name) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += name;
  out += "\":";
}

template <typename Integer>
void append_integer(std::string& out, std::string_view name, Integer value) {
  append_name(out, name);
  out += std::to_string(value);
}

// Microseconds with three decimals, from whole nanoseconds: exact, with no floating point.
void append_micros(std::string& out, std::string_view name, std::chrono::nanoseconds value) {
  append_name(out, name);
  const std::int64_t ns = value.count() < 0 ? 0 : value.count();
  std::string fraction = std::to_string(ns % 1000);
  out += std::to_string(ns / 1000);
  out += '.';
  out.append(3 - fraction.size(), '0');
  out += fraction;
}

void append_double(std::string& out, std::string_view name, double value) {
  append_name(out, name);
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::fixed, 3);
  // 64 characters hold any mean below 10^60 us; anything else is not a number JSON can carry.
  out.append(ec == std::errc{} ? std::string_view(buffer.data(), end) : std::string_view("0"));
}

}  // namespace

std::string MetricsSnapshot::to_json() const {
  std::string out = "{";
  append_integer(out, "sent", sent);
  append_integer(out, "confirmed", confirmed);
  append_integer(out, "failed", failed);
  append_integer(out, "retried", retried);
  append_integer(out, "returned", returned);
  append_integer(out, "received", received);
  append_integer(out, "acked", acked);
  append_integer(out, "nacked", nacked);
  append_integer(out, "redelivered", redelivered);
  append_integer(out, "dead_lettered", dead_lettered);
  append_integer(out, "deduplicated", deduplicated);
  append_integer(out, "bytes_sent", bytes_sent);
  append_integer(out, "bytes_received", bytes_received);
  append_integer(out, "compressed", compressed);
  append_integer(out, "events_dropped", events_dropped);
  append_integer(out, "in_flight", in_flight);
  append_integer(out, "buffered_messages", buffered_messages);
  append_integer(out, "buffered_bytes", buffered_bytes);
  append_integer(out, "consumer_buffered", consumer_buffered);
  append_integer(out, "waiting_sends", waiting_sends);
  append_integer(out, "send_to_confirm_count", send_to_confirm.count);
  append_micros(out, "send_to_confirm_p50_us", send_to_confirm.p50);
  append_micros(out, "send_to_confirm_p90_us", send_to_confirm.p90);
  append_micros(out, "send_to_confirm_p99_us", send_to_confirm.p99);
  append_micros(out, "send_to_confirm_p999_us", send_to_confirm.p999);
  append_micros(out, "send_to_confirm_max_us", send_to_confirm.max);
  append_double(out, "send_to_confirm_mean_us", send_to_confirm.mean_us);
  out += '}';
  return out;
}

}  // namespace postwire
