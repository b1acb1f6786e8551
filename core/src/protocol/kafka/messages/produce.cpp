#include "protocol/kafka/messages/produce.hpp"

namespace postwire::kafka {

void ProduceRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.nstr(transactional_id, flex);
  w.i16(acks);
  w.i32(timeout_ms);
  w.array_length(topic_data.size(), flex);
  for (const auto& topic : topic_data) {
    w.str(topic.name, flex);
    w.array_length(topic.partition_data.size(), flex);
    for (const auto& partition : topic.partition_data) {
      w.i32(partition.index);
      // `records` is nullable bytes; a produce always carries a batch, so never null.
      w.bytes(partition.records, flex);
      w.tagged_fields_end(flex);
    }
    w.tagged_fields_end(flex);
  }
  w.tagged_fields_end(flex);
}

ProduceResponse ProduceResponse::decode(std::span<const std::uint8_t> body, std::int16_t version) {
  require_version(ApiKey::produce, version, "response");
  const bool flex = flexible(ApiKey::produce, version);
  Reader in(body, "Produce response", version);
  ProduceResponse r;
  const std::size_t topics = in.array_length("responses", flex, 2);
  for (std::size_t i = 0; i < topics; ++i) {
    auto& t = r.responses.emplace_back();
    t.name = in.str("responses.name", flex);
    const std::size_t partitions = in.array_length("responses.partition_responses", flex, 30);
    for (std::size_t j = 0; j < partitions; ++j) {
      auto& p = t.partition_responses.emplace_back();
      p.index = in.i32("responses.partition_responses.index");
      p.error_code = in.i16("responses.partition_responses.error_code");
      p.base_offset = in.i64("responses.partition_responses.base_offset");
      p.log_append_time_ms = in.i64("responses.partition_responses.log_append_time_ms");
      p.log_start_offset = in.i64("responses.partition_responses.log_start_offset");
      if (version >= 8) {
        const std::size_t errors =
            in.array_length("responses.partition_responses.record_errors", flex, 5);
        for (std::size_t k = 0; k < errors; ++k) {
          auto& e = p.record_errors.emplace_back();
          e.batch_index = in.i32("responses.partition_responses.record_errors.batch_index");
          e.batch_index_error_message = in.nstr(
              "responses.partition_responses.record_errors.batch_index_error_message", flex);
          in.tagged_fields_end(flex, "responses.partition_responses.record_errors.tagged fields");
        }
        p.error_message = in.nstr("responses.partition_responses.error_message", flex);
      }
      if (flex) {
        in.tagged_fields(
            "responses.partition_responses.tagged fields", [&](std::uint32_t tag, Reader& field) {
              if (version < 10 || tag != 0) return false;
              p.current_leader =
                  read_leader_id_and_epoch(field, "responses.partition_responses.current_leader");
              return true;
            });
      }
    }
    in.tagged_fields_end(flex, "responses.tagged fields");
  }
  r.throttle_time_ms = in.i32("throttle_time_ms");
  if (flex) {
    in.tagged_fields("tagged fields", [&](std::uint32_t tag, Reader& field) {
      if (version < 10 || tag != 0) return false;
      r.node_endpoints = read_node_endpoints(field, "node_endpoints");
      return true;
    });
  }
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
