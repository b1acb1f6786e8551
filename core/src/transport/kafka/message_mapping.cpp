#include "transport/kafka/message_mapping.hpp"

#include <charconv>

#include "client/delivery_count.hpp"
#include "client/envelope_headers.hpp"

namespace postwire::kafka {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string text_of(const std::optional<std::span<const std::uint8_t>>& bytes) {
  if (!bytes) return {};
  return {reinterpret_cast<const char*>(bytes->data()), bytes->size()};
}

}  // namespace

RecordView record_view(const client::Outgoing& outgoing, RecordScratch& scratch) {
  const Message& message = outgoing.message;
  scratch.headers.clear();
  scratch.headers.reserve(message.headers.size() + 3);
  scratch.headers.push_back(HeaderView{client::id_header, bytes_of(message.id)});
  for (const auto& header : message.headers) {
    scratch.headers.push_back(HeaderView{header.name, bytes_of(header.value)});
  }
  if (!message.content_type.empty()) {
    scratch.headers.push_back(
        HeaderView{client::content_type_header, bytes_of(message.content_type)});
  }
  if (outgoing.delivery_attempt > 1) {
    scratch.attempt = std::to_string(outgoing.delivery_attempt);
    scratch.headers.push_back(HeaderView{client::attempt_header, bytes_of(scratch.attempt)});
  }
  RecordView record;
  record.timestamp_ms = message.timestamp ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                                message.timestamp->time_since_epoch())
                                                .count()
                                          : -1;
  if (!message.key.empty()) record.key = bytes_of(message.key);
  record.value = bytes_of(message.body);
  record.headers = scratch.headers;
  return record;
}

void to_inbound(const DecodedRecord& record, const std::string& topic, std::int32_t partition,
                bool log_append_time, client::InboundMessage& out) {
  Message& message = out.message;
  message.key = text_of(record.key);
  message.body = text_of(record.value);
  client::DeliveryFacts facts;
  for (const auto& header : record.headers) {
    if (header.key == client::id_header) {
      message.id = text_of(header.value);
    } else if (header.key == client::content_type_header) {
      message.content_type = text_of(header.value);
    } else if (header.key == client::attempt_header) {
      const std::string text = text_of(header.value);
      std::int64_t attempt = 0;
      if (std::from_chars(text.data(), text.data() + text.size(), attempt).ec == std::errc{}) {
        facts.attempt_header = attempt;
      }
    } else {
      message.headers.push_back(Header{std::string(header.key), text_of(header.value)});
    }
  }
  const auto timestamp =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(record.timestamp_ms));
  if (record.timestamp_ms >= 0 && !log_append_time) message.timestamp = timestamp;
  out.source = topic;
  out.position.partition = partition;
  out.position.offset = record.offset;
  if (record.timestamp_ms >= 0) out.position.broker_timestamp = timestamp;
  out.delivery_count = client::delivery_count(facts);
  out.wire_bytes = message.body.size();
}

}  // namespace postwire::kafka
