// Key/value string options as the C ABI takes them: const char* const*, 2 * count strings.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

namespace postwire_node {

class StringPairs {
 public:
  // From a JS array of strings [key, value, key, value, ...] (lib/ builds it).
  static StringPairs From(const Napi::Value& value);

  StringPairs() = default;
  StringPairs(StringPairs&&) = default;  // pointers_ stay valid: the strings do not move
  StringPairs(const StringPairs&) = delete;
  StringPairs& operator=(const StringPairs&) = delete;

  const char* const* data() const { return pointers_.empty() ? nullptr : pointers_.data(); }
  size_t pair_count() const { return pointers_.size() / 2; }

 private:
  std::vector<std::string> strings_;
  std::vector<const char*> pointers_;
};

}  // namespace postwire_node
