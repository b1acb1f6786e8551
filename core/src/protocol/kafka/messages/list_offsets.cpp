#include "protocol/kafka/messages/list_offsets.hpp"

namespace postwire::kafka {

void ListOffsetsRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.i32(replica_id);
  if (version >= 2) w.i8(isolation_level);
  w.array_length(topics.size(), flex);
  for (const auto& topic : topics) {
    w.str(topic.name, flex);
    w.array_length(topic.partitions.size(), flex);
    for (const auto& p : topic.partitions) {
      w.i32(p.partition_index);
      if (version >= 4) w.i32(p.current_leader_epoch);
      w.i64(p.timestamp);
      w.tagged_fields_end(flex);
    }
    w.tagged_fields_end(flex);
  }
  if (version >= 10) w.i32(timeout_ms);
  w.tagged_fields_end(flex);
}

ListOffsetsResponse ListOffsetsResponse::decode(std::span<const std::uint8_t> body,
                                                std::int16_t version) {
  require_version(ApiKey::list_offsets, version, "response");
  const bool flex = flexible(ApiKey::list_offsets, version);
  Reader in(body, "ListOffsets response", version);
  ListOffsetsResponse r;
  if (version >= 2) r.throttle_time_ms = in.i32("throttle_time_ms");
  const std::size_t topics = in.array_length("topics", flex, 2);
  for (std::size_t i = 0; i < topics; ++i) {
    auto& t = r.topics.emplace_back();
    t.name = in.str("topics.name", flex);
    const std::size_t partitions = in.array_length("topics.partitions", flex, 22);
    for (std::size_t j = 0; j < partitions; ++j) {
      auto& p = t.partitions.emplace_back();
      p.partition_index = in.i32("topics.partitions.partition_index");
      p.error_code = in.i16("topics.partitions.error_code");
      p.timestamp = in.i64("topics.partitions.timestamp");
      p.offset = in.i64("topics.partitions.offset");
      if (version >= 4) p.leader_epoch = in.i32("topics.partitions.leader_epoch");
      in.tagged_fields_end(flex, "topics.partitions.tagged fields");
    }
    in.tagged_fields_end(flex, "topics.tagged fields");
  }
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
