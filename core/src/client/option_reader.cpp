#include "client/option_reader.hpp"

#include <charconv>

namespace postwire::client {

bool OptionReader::boolean() const {
  if (value_ == "true" || value_ == "1") {
    return true;
  }
  if (value_ == "false" || value_ == "0") {
    return false;
  }
  fail("true or false");
}

std::int64_t OptionReader::integer(std::int64_t min, std::int64_t max) const {
  std::int64_t out = 0;
  const auto* end = value_.data() + value_.size();
  const auto [ptr, ec] = std::from_chars(value_.data(), end, out);
  if (value_.empty() || ec != std::errc() || ptr != end || out < min || out > max) {
    fail("a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return out;
}

void OptionReader::fail(const std::string& accepted) const {
  throw Exception(ErrorCode::invalid_argument, std::string(operation_) + ": option '" +
                                                   std::string(key_) + "' accepts " + accepted +
                                                   ", not '" + std::string(value_) + "'");
}

void unknown_option(std::string_view operation, std::string_view key, std::string_view known) {
  throw Exception(ErrorCode::invalid_argument, std::string(operation) + ": unknown option '" +
                                                   std::string(key) +
                                                   "' (known: " + std::string(known) + ")");
}

}  // namespace postwire::client
