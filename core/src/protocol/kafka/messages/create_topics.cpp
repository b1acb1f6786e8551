#include "protocol/kafka/messages/create_topics.hpp"

#include "protocol/kafka/messages/common.hpp"

namespace postwire::kafka {

void CreateTopicsRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.array_length(topics.size(), flex);
  for (const auto& topic : topics) {
    w.str(topic.name, flex);
    w.i32(topic.num_partitions);
    w.i16(topic.replication_factor);
    w.array_length(topic.assignments.size(), flex);
    for (const auto& a : topic.assignments) {
      w.i32(a.partition_index);
      write_int32_array(w, a.broker_ids, flex);
      w.tagged_fields_end(flex);
    }
    w.array_length(topic.configs.size(), flex);
    for (const auto& c : topic.configs) {
      w.str(c.name, flex);
      w.nstr(c.value, flex);
      w.tagged_fields_end(flex);
    }
    w.tagged_fields_end(flex);
  }
  w.i32(timeout_ms);
  w.boolean(validate_only);
  w.tagged_fields_end(flex);
}

CreateTopicsResponse CreateTopicsResponse::decode(std::span<const std::uint8_t> body,
                                                  std::int16_t version) {
  require_version(ApiKey::create_topics, version, "response");
  const bool flex = flexible(ApiKey::create_topics, version);
  Reader in(body, "CreateTopics response", version);
  CreateTopicsResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  const std::size_t topics = in.array_length("topics", flex, 5);
  for (std::size_t i = 0; i < topics; ++i) {
    auto& t = r.topics.emplace_back();
    t.name = in.str("topics.name", flex);
    if (version >= 7) t.topic_id = in.uuid("topics.topic_id");
    t.error_code = in.i16("topics.error_code");
    t.error_message = in.nstr("topics.error_message", flex);
    if (version >= 5) {
      t.num_partitions = in.i32("topics.num_partitions");
      t.replication_factor = in.i16("topics.replication_factor");
      // The topic's resulting configs (KIP-525): read to stay in step, not kept.
      if (const auto configs = in.nullable_array_length("topics.configs", flex, 6)) {
        for (std::size_t j = 0; j < *configs; ++j) {
          static_cast<void>(in.str("topics.configs.name", flex));
          static_cast<void>(in.nstr("topics.configs.value", flex));
          static_cast<void>(in.boolean("topics.configs.read_only"));
          static_cast<void>(in.i8("topics.configs.config_source"));
          static_cast<void>(in.boolean("topics.configs.is_sensitive"));
          in.tagged_fields_end(flex, "topics.configs.tagged fields");
        }
      }
    }
    // Tag 0 (TopicConfigErrorCode) is skipped with the unknown ones.
    in.tagged_fields_end(flex, "topics.tagged fields");
  }
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
