#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "postwire/error.hpp"

namespace postwire::kafka::test {

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

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

inline Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

inline Bytes random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (auto& b : out) {
    b = static_cast<std::uint8_t>(rng());
  }
  return out;
}

// Runs `fn`, which must throw Exception(code) whose message contains `needle`.
template <typename Fn>
void expect_error(ErrorCode code, Fn&& fn, std::string_view needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos)
        << "message \"" << e.what() << "\" does not mention \"" << needle << "\"";
  }
}

template <typename Fn>
void expect_protocol_error(Fn&& fn, std::string_view needle) {
  expect_error(ErrorCode::protocol_error, std::forward<Fn>(fn), needle);
}

}  // namespace postwire::kafka::test
