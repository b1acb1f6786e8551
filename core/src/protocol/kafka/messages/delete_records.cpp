#include "protocol/kafka/messages/delete_records.hpp"

namespace postwire::kafka {

void DeleteRecordsRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.array_length(topics.size(), flex);
  for (const auto& topic : topics) {
    w.str(topic.name, flex);
    w.array_length(topic.partitions.size(), flex);
    for (const auto& p : topic.partitions) {
      w.i32(p.partition_index);
      w.i64(p.offset);
      w.tagged_fields_end(flex);
    }
    w.tagged_fields_end(flex);
  }
  w.i32(timeout_ms);
  w.tagged_fields_end(flex);
}

DeleteRecordsResponse DeleteRecordsResponse::decode(std::span<const std::uint8_t> body,
                                                    std::int16_t version) {
  require_version(ApiKey::delete_records, version, "response");
  const bool flex = flexible(ApiKey::delete_records, version);
  Reader in(body, "DeleteRecords response", version);
  DeleteRecordsResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  const std::size_t topics = in.array_length("topics", flex, 2);
  for (std::size_t i = 0; i < topics; ++i) {
    auto& t = r.topics.emplace_back();
    t.name = in.str("topics.name", flex);
    const std::size_t partitions = in.array_length("topics.partitions", flex, 14);
    for (std::size_t j = 0; j < partitions; ++j) {
      auto& p = t.partitions.emplace_back();
      p.partition_index = in.i32("topics.partitions.partition_index");
      p.low_watermark = in.i64("topics.partitions.low_watermark");
      p.error_code = in.i16("topics.partitions.error_code");
      in.tagged_fields_end(flex, "topics.partitions.tagged fields");
    }
    in.tagged_fields_end(flex, "topics.tagged fields");
  }
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
