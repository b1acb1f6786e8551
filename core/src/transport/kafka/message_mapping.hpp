#pragma once

// How a postwire Message travels as a Kafka record (docs/envelope.md): the key as the record
// key, the body as its value, the application headers as record headers, and the fields Kafka
// has no place for — the id, the content type, the delivery attempt — as pw- headers.

#include <string>
#include <string_view>
#include <vector>

#include "client/inbound_message.hpp"
#include "client/outgoing.hpp"
#include "protocol/kafka/record_batch.hpp"

namespace postwire::kafka {

// Storage the record's views point into, reused from one record to the next.
struct RecordScratch {
  std::vector<HeaderView> headers;
  std::string attempt;
};

// A view of `message` as a record; valid while `message` and `scratch` are unchanged.
RecordView record_view(const client::Outgoing& message, RecordScratch& scratch);

// A fetched record as a received message: `out` gets its message, position and delivery count.
void to_inbound(const DecodedRecord& record, const std::string& topic, std::int32_t partition,
                bool log_append_time, client::InboundMessage& out);

}  // namespace postwire::kafka
