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

inline Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// Classic (int16 length) and compact (uvarint length + 1) strings, for building golden bytes.
inline Bytes str16(std::string_view s) {
  return concat(
      {bytes({static_cast<int>(s.size() >> 8U), static_cast<int>(s.size() & 0xFFU)}), text(s)});
}
inline Bytes cstr(std::string_view s) {
  // Only short strings in the tests: one length byte.
  return concat({bytes({static_cast<int>(s.size() + 1)}), text(s)});
}

// Big-endian integers, as Kafka writes them.
inline Bytes be(std::uint64_t v, unsigned width) {
  Bytes out;
  for (unsigned i = width; i-- > 0;) {
    out.push_back(static_cast<std::uint8_t>(v >> (8U * i)));
  }
  return out;
}
inline Bytes i16(std::int16_t v) { return be(static_cast<std::uint16_t>(v), 2); }
inline Bytes i32(std::int32_t v) { return be(static_cast<std::uint32_t>(v), 4); }
inline Bytes i64(std::int64_t v) { return be(static_cast<std::uint64_t>(v), 8); }

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
void expect_error(Fn&& fn, ErrorCode code, std::string_view needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos)
        << "message \"" << e.what() << "\" does not mention \"" << needle << "\"";
  }
}

// The same with the code first, which reads better where the call is long.
template <typename Fn>
void expect_error(ErrorCode code, Fn&& fn, std::string_view needle) {
  expect_error(std::forward<Fn>(fn), code, needle);
}

template <typename Fn>
void expect_protocol_error(Fn&& fn, std::string_view needle) {
  expect_error(std::forward<Fn>(fn), ErrorCode::protocol_error, needle);
}

}  // namespace postwire::kafka::test
