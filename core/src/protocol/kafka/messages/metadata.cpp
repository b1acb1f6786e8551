#include "protocol/kafka/messages/metadata.hpp"

#include "postwire/error.hpp"
#include "protocol/kafka/messages/common.hpp"

namespace postwire::kafka {

void MetadataRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  if (!topics) {
    w.null_array(flex);
  } else {
    w.array_length(topics->size(), flex);
    for (const auto& topic : *topics) {
      if (version >= 10) {
        w.uuid(topic.topic_id);
        w.nstr(topic.name, flex);
      } else if (topic.name) {
        w.str(*topic.name, flex);
      } else {
        throw Exception(ErrorCode::invalid_argument,
                        "kafka Metadata request v" + std::to_string(version) +
                            ": topics.name: asking by topic id needs version 10 or later");
      }
      w.tagged_fields_end(flex);
    }
  }
  w.boolean(allow_auto_topic_creation);
  if (version >= 8) {
    if (version <= 10) w.boolean(include_cluster_authorized_operations);
    w.boolean(include_topic_authorized_operations);
  }
  w.tagged_fields_end(flex);
}

MetadataResponse MetadataResponse::decode(std::span<const std::uint8_t> body,
                                          std::int16_t version) {
  require_version(ApiKey::metadata, version, "response");
  const bool flex = flexible(ApiKey::metadata, version);
  Reader in(body, "Metadata response", version);
  MetadataResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  const std::size_t brokers = in.array_length("brokers", flex, 10);
  for (std::size_t i = 0; i < brokers; ++i) {
    auto& b = r.brokers.emplace_back();
    b.node_id = in.i32("brokers.node_id");
    b.host = in.str("brokers.host", flex);
    b.port = in.i32("brokers.port");
    b.rack = in.nstr("brokers.rack", flex);
    in.tagged_fields_end(flex, "brokers.tagged fields");
  }
  r.cluster_id = in.nstr("cluster_id", flex);
  r.controller_id = in.i32("controller_id");
  const std::size_t topics = in.array_length("topics", flex, 8);
  for (std::size_t i = 0; i < topics; ++i) {
    auto& t = r.topics.emplace_back();
    t.error_code = in.i16("topics.error_code");
    if (version >= 12) {
      t.name = in.nstr("topics.name", flex).value_or(std::string());
    } else {
      t.name = in.str("topics.name", flex);
    }
    if (version >= 10) t.topic_id = in.uuid("topics.topic_id");
    t.is_internal = in.boolean("topics.is_internal");
    const std::size_t partitions = in.array_length("topics.partitions", flex, 16);
    for (std::size_t j = 0; j < partitions; ++j) {
      auto& p = t.partitions.emplace_back();
      p.error_code = in.i16("topics.partitions.error_code");
      p.partition_index = in.i32("topics.partitions.partition_index");
      p.leader_id = in.i32("topics.partitions.leader_id");
      if (version >= 7) p.leader_epoch = in.i32("topics.partitions.leader_epoch");
      p.replica_nodes = read_int32_array(in, "topics.partitions.replica_nodes", flex);
      p.isr_nodes = read_int32_array(in, "topics.partitions.isr_nodes", flex);
      if (version >= 5) {
        p.offline_replicas = read_int32_array(in, "topics.partitions.offline_replicas", flex);
      }
      in.tagged_fields_end(flex, "topics.partitions.tagged fields");
    }
    if (version >= 8) t.topic_authorized_operations = in.i32("topics.topic_authorized_operations");
    in.tagged_fields_end(flex, "topics.tagged fields");
  }
  if (version >= 8 && version <= 10) {
    r.cluster_authorized_operations = in.i32("cluster_authorized_operations");
  }
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
