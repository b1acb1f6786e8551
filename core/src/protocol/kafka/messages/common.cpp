#include "protocol/kafka/messages/common.hpp"

namespace postwire::kafka {

LeaderIdAndEpoch read_leader_id_and_epoch(Reader& in, std::string_view what) {
  LeaderIdAndEpoch leader;
  leader.leader_id = in.i32(what);
  leader.leader_epoch = in.i32(what);
  in.skip_tagged_fields(what);
  return leader;
}

std::vector<NodeEndpoint> read_node_endpoints(Reader& in, std::string_view what) {
  std::vector<NodeEndpoint> endpoints;
  const std::size_t n = in.array_length(what, true, 10);
  for (std::size_t i = 0; i < n; ++i) {
    auto& e = endpoints.emplace_back();
    e.node_id = in.i32(what);
    e.host = in.compact_string(what);
    e.port = in.i32(what);
    e.rack = in.compact_nullable_string(what);
    in.skip_tagged_fields(what);
  }
  return endpoints;
}

std::vector<std::int32_t> read_int32_array(Reader& in, std::string_view what, bool flexible) {
  const std::size_t n = in.array_length(what, flexible, 4);
  std::vector<std::int32_t> values;
  values.reserve(n);  // array_length checked that n int32s fit in what remains
  for (std::size_t i = 0; i < n; ++i) {
    values.push_back(in.i32(what));
  }
  return values;
}

void write_int32_array(Writer& w, std::span<const std::int32_t> values, bool flexible) {
  w.array_length(values.size(), flexible);
  for (const std::int32_t v : values) {
    w.i32(v);
  }
}

std::vector<std::string> read_string_array(Reader& in, std::string_view what, bool flexible) {
  const std::size_t n = in.array_length(what, flexible, flexible ? 1 : 2);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < n; ++i) {
    values.push_back(in.str(what, flexible));
  }
  return values;
}

void write_string_array(Writer& w, std::span<const std::string> values, bool flexible) {
  w.array_length(values.size(), flexible);
  for (const auto& v : values) {
    w.str(v, flexible);
  }
}

}  // namespace postwire::kafka
