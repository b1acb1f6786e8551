#include "protocol/kafka/messages/fetch.hpp"

#include <vector>

namespace postwire::kafka {

void FetchRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  if (version <= 14) w.i32(replica_id);
  w.i32(max_wait_ms);
  w.i32(min_bytes);
  w.i32(max_bytes);
  w.i8(isolation_level);
  if (version >= 7) {
    w.i32(session_id);
    w.i32(session_epoch);
  }
  w.array_length(topics.size(), flex);
  for (const auto& topic : topics) {
    if (version >= 13) {
      w.uuid(topic.topic_id);
    } else {
      w.str(topic.topic, flex);
    }
    w.array_length(topic.partitions.size(), flex);
    for (const auto& p : topic.partitions) {
      w.i32(p.partition);
      if (version >= 9) w.i32(p.current_leader_epoch);
      w.i64(p.fetch_offset);
      if (version >= 12) w.i32(p.last_fetched_epoch);
      if (version >= 5) w.i64(p.log_start_offset);
      w.i32(p.partition_max_bytes);
      w.tagged_fields_end(flex);
    }
    w.tagged_fields_end(flex);
  }
  if (version >= 7) {
    w.array_length(forgotten_topics_data.size(), flex);
    for (const auto& topic : forgotten_topics_data) {
      if (version >= 13) {
        w.uuid(topic.topic_id);
      } else {
        w.str(topic.topic, flex);
      }
      write_int32_array(w, topic.partitions, flex);
      w.tagged_fields_end(flex);
    }
  }
  if (version >= 11) w.str(rack_id, flex);
  if (!flex) return;
  // Tagged fields at their default are not sent; ClusterId (tag 0) is for controllers.
  if (version >= 15 && (replica_id != -1 || replica_epoch != -1)) {
    std::vector<std::uint8_t> state;
    Writer sw(state);
    sw.i32(replica_id);
    sw.i64(replica_epoch);
    sw.empty_tagged_fields();
    w.uvarint(1);  // one tagged field
    w.uvarint(1);  // ReplicaState
    w.uvarint(state.size());
    w.raw(state);
  } else {
    w.empty_tagged_fields();
  }
}

namespace {

void read_partition_tags(Reader& in, FetchResponse::Partition& p) {
  in.tagged_fields("responses.partitions.tagged fields", [&](std::uint32_t tag, Reader& field) {
    if (tag == 0) {
      FetchResponse::EpochEndOffset diverging;
      diverging.epoch = field.i32("responses.partitions.diverging_epoch.epoch");
      diverging.end_offset = field.i64("responses.partitions.diverging_epoch.end_offset");
      field.skip_tagged_fields("responses.partitions.diverging_epoch.tagged fields");
      p.diverging_epoch = diverging;
      return true;
    }
    if (tag == 1) {
      p.current_leader = read_leader_id_and_epoch(field, "responses.partitions.current_leader");
      return true;
    }
    return false;  // 2 is SnapshotId, for KRaft followers
  });
}

}  // namespace

FetchResponse FetchResponse::decode(std::span<const std::uint8_t> body, std::int16_t version) {
  require_version(ApiKey::fetch, version, "response");
  const bool flex = flexible(ApiKey::fetch, version);
  Reader in(body, "Fetch response", version);
  FetchResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  if (version >= 7) {
    r.error_code = in.i16("error_code");
    r.session_id = in.i32("session_id");
  }
  const std::size_t topics = in.array_length("responses", flex, 2);
  for (std::size_t i = 0; i < topics; ++i) {
    auto& t = r.responses.emplace_back();
    if (version >= 13) {
      t.topic_id = in.uuid("responses.topic_id");
    } else {
      t.topic = in.str("responses.topic", flex);
    }
    const std::size_t partitions = in.array_length("responses.partitions", flex, 32);
    for (std::size_t j = 0; j < partitions; ++j) {
      auto& p = t.partitions.emplace_back();
      p.partition_index = in.i32("responses.partitions.partition_index");
      p.error_code = in.i16("responses.partitions.error_code");
      p.high_watermark = in.i64("responses.partitions.high_watermark");
      p.last_stable_offset = in.i64("responses.partitions.last_stable_offset");
      if (version >= 5) p.log_start_offset = in.i64("responses.partitions.log_start_offset");
      if (const auto aborted =
              in.nullable_array_length("responses.partitions.aborted_transactions", flex, 16)) {
        auto& list = p.aborted_transactions.emplace();
        list.reserve(*aborted);  // each takes 16 bytes, checked against what remains
        for (std::size_t k = 0; k < *aborted; ++k) {
          auto& a = list.emplace_back();
          a.producer_id = in.i64("responses.partitions.aborted_transactions.producer_id");
          a.first_offset = in.i64("responses.partitions.aborted_transactions.first_offset");
          in.tagged_fields_end(flex, "responses.partitions.aborted_transactions.tagged fields");
        }
      }
      if (version >= 11) {
        p.preferred_read_replica = in.i32("responses.partitions.preferred_read_replica");
      }
      p.records =
          in.nbytes("responses.partitions.records", flex).value_or(std::span<const std::uint8_t>());
      if (flex) read_partition_tags(in, p);
    }
    in.tagged_fields_end(flex, "responses.tagged fields");
  }
  if (flex) {
    in.tagged_fields("tagged fields", [&](std::uint32_t tag, Reader& field) {
      if (version < 16 || tag != 0) return false;
      r.node_endpoints = read_node_endpoints(field, "node_endpoints");
      return true;
    });
  }
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
