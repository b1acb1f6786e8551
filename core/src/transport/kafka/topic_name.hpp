#pragma once

#include <string>
#include <string_view>

#include "postwire/error.hpp"

namespace postwire::kafka {

// Kafka's own rule for topic names (Topic.validate): at most 249 of [a-zA-Z0-9._-], and not
// "." or "..".
inline constexpr std::size_t kMaxTopicName = 249;

inline void check_topic_name(std::string_view what, std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.size() > kMaxTopicName) {
    throw Exception(ErrorCode::invalid_argument,
                    std::string(what) + " '" + std::string(name) +
                        "' is not a Kafka topic name (1 to 249 characters, not '.' or '..')");
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      throw Exception(ErrorCode::invalid_argument,
                      std::string(what) + " '" + std::string(name) +
                          "' is not a Kafka topic name: only letters, digits, '.', '_' and '-'");
    }
  }
}

}  // namespace postwire::kafka
