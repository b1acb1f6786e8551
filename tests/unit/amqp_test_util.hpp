#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "postwire/error.hpp"

namespace postwire::amqp::test {

using Bytes = std::vector<std::uint8_t>;

// Bytes from a list of ints, so that golden bytes read like a hex dump.
inline Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  out.reserve(values.size());
  for (const int v : values) {
    out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

inline void append(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

inline Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

// Runs `fn`, which must throw Exception(protocol_error) whose message contains `needle`.
template <typename Fn>
void expect_protocol_error(Fn&& fn, std::string_view needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::protocol_error) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos)
        << "message \"" << e.what() << "\" does not mention \"" << needle << "\"";
  }
}

}  // namespace postwire::amqp::test
