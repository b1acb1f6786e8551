#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "postwire/error.hpp"

namespace postwire::client {

// String key/value options: the form in which the C ABI, and every binding above it, passes
// topology and subscribe options, so that a new option needs no new function.
using OptionPairs = std::span<const std::pair<std::string_view, std::string_view>>;

// Reads one option's value for `operation` (e.g. "declare_queue"), naming key and operation
// in every complaint (invalid_argument).
class OptionReader {
 public:
  OptionReader(std::string_view operation, std::string_view key, std::string_view value)
      : operation_(operation), key_(key), value_(value) {}

  [[nodiscard]] bool boolean() const;
  [[nodiscard]] std::int64_t integer(std::int64_t min, std::int64_t max) const;
  [[nodiscard]] std::string text() const { return std::string(value_); }

  template <typename Enum, std::size_t N>
  [[nodiscard]] Enum choice(const std::pair<std::string_view, Enum> (&choices)[N]) const {
    std::string accepted;
    for (const auto& [name, value] : choices) {
      if (name == value_) {
        return value;
      }
      accepted += (accepted.empty() ? "" : ", ") + std::string(name);
    }
    fail("one of " + accepted);
  }

  [[noreturn]] void fail(const std::string& accepted) const;

 private:
  std::string_view operation_;
  std::string_view key_;
  std::string_view value_;
};

// Throws invalid_argument: `key` is not an option of `operation`; `known` lists those that are.
[[noreturn]] void unknown_option(std::string_view operation, std::string_view key,
                                 std::string_view known);

}  // namespace postwire::client
