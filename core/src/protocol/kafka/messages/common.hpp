#pragma once

// Structures and arrays that several Kafka messages share (the schemas' LeaderIdAndEpoch and
// NodeEndpoint, arrays of int32 and of strings), with their readers and writers.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

// The leader a broker knows of when it refuses a request for not being it (KIP-951).
struct LeaderIdAndEpoch {
  std::int32_t leader_id = -1;
  std::int32_t leader_epoch = -1;
  bool operator==(const LeaderIdAndEpoch&) const = default;
};

// A broker's address as Produce and Fetch responses report it alongside a new leader.
struct NodeEndpoint {
  std::int32_t node_id = 0;
  std::string host;
  std::int32_t port = 0;
  std::optional<std::string> rack;
  bool operator==(const NodeEndpoint&) const = default;
};

// Both only ever appear as tagged fields, so always in their flexible form.
LeaderIdAndEpoch read_leader_id_and_epoch(Reader& in, std::string_view what);
std::vector<NodeEndpoint> read_node_endpoints(Reader& in, std::string_view what);

std::vector<std::int32_t> read_int32_array(Reader& in, std::string_view what, bool flexible);
void write_int32_array(Writer& w, std::span<const std::int32_t> values, bool flexible);
std::vector<std::string> read_string_array(Reader& in, std::string_view what, bool flexible);
void write_string_array(Writer& w, std::span<const std::string> values, bool flexible);

}  // namespace postwire::kafka
