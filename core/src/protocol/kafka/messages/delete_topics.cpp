#include "protocol/kafka/messages/delete_topics.hpp"

#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka {

void DeleteTopicsRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.array_length(topics.size(), flex);
  for (const auto& topic : topics) {
    if (version >= 6) {
      w.nstr(topic.name, flex);
      w.uuid(topic.topic_id);
      w.tagged_fields_end(flex);
    } else if (topic.name) {
      w.str(*topic.name, flex);  // TopicNames, a plain array of strings
    } else {
      throw Exception(ErrorCode::invalid_argument,
                      "kafka DeleteTopics request v" + std::to_string(version) +
                          ": topics.name: deleting by topic id needs version 6 or later");
    }
  }
  w.i32(timeout_ms);
  w.tagged_fields_end(flex);
}

DeleteTopicsResponse DeleteTopicsResponse::decode(std::span<const std::uint8_t> body,
                                                  std::int16_t version) {
  require_version(ApiKey::delete_topics, version, "response");
  const bool flex = flexible(ApiKey::delete_topics, version);
  Reader in(body, "DeleteTopics response", version);
  DeleteTopicsResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  const std::size_t n = in.array_length("responses", flex, 3);
  for (std::size_t i = 0; i < n; ++i) {
    auto& t = r.responses.emplace_back();
    if (version >= 6) {
      t.name = in.nstr("responses.name", flex).value_or(std::string());
      t.topic_id = in.uuid("responses.topic_id");
    } else {
      t.name = in.str("responses.name", flex);
    }
    t.error_code = in.i16("responses.error_code");
    if (version >= 5) t.error_message = in.nstr("responses.error_message", flex);
    in.tagged_fields_end(flex, "responses.tagged fields");
  }
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
