#include "protocol/amqp/wire.hpp"

#include <string>

#include "postwire/error.hpp"

namespace postwire::amqp::wire {

void fail(std::string message) { throw Exception(ErrorCode::protocol_error, std::move(message)); }

void invalid(std::string message) {
  throw Exception(ErrorCode::invalid_argument, std::move(message));
}

void put_shortstr(std::vector<std::uint8_t>& out, std::string_view s, std::string_view what) {
  if (s.size() > 255) {
    invalid(std::string(what) + " is " + std::to_string(s.size()) +
            " bytes; an AMQP short string holds at most 255");
  }
  put_u8(out, static_cast<std::uint8_t>(s.size()));
  put_bytes(out, s);
}

void put_longstr(std::vector<std::uint8_t>& out, std::string_view s, std::string_view what) {
  if (s.size() > 0xFFFF'FFFFU) {
    invalid(std::string(what) + " is " + std::to_string(s.size()) +
            " bytes; an AMQP long string holds at most 4 GiB");
  }
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  put_bytes(out, s);
}

namespace {

std::string where(std::string_view context, std::string_view what) {
  std::string text(context);
  if (!what.empty()) {
    text += text.empty() ? "" : ": ";
    text += what;
  }
  return text;
}

}  // namespace

void Reader::expect_end() const {
  if (remaining() != 0) {
    fail(where(context_, "") + ": " + std::to_string(remaining()) +
         " unexpected bytes after the last field (at offset " + std::to_string(pos_) + " of " +
         std::to_string(bytes_.size()) + ")");
  }
}

void Reader::truncated(std::size_t n, std::string_view what) const {
  fail(where(context_, what) + ": truncated: needs " + std::to_string(n) + " bytes at offset " +
       std::to_string(pos_) + " but only " + std::to_string(remaining()) + " remain");
}

void Reader::overrun(std::size_t n, std::string_view kind, std::string_view what) const {
  fail(where(context_, what) + ": " + std::string(kind) + " length " + std::to_string(n) +
       " overruns the data (" + std::to_string(remaining()) + " bytes remain at offset " +
       std::to_string(pos_) + ")");
}

}  // namespace postwire::amqp::wire
