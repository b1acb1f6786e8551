#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "protocol/amqp/methods.hpp"
#include "protocol/amqp/properties.hpp"

namespace postwire::amqp {

// AMQP 0-9-1 framing (spec section 4.2.3; constants from amqp0-9-1.stripped.extended.xml):
// type (octet), channel (short), payload size (long), payload, frame-end 0xCE.

enum class FrameType : std::uint8_t { method = 1, header = 2, body = 3, heartbeat = 8 };

inline constexpr std::uint32_t frame_min_size = 4096;  // spec: frame-min-size
inline constexpr std::size_t frame_header_size = 7;    // type, channel, payload size
inline constexpr std::size_t frame_overhead = 8;       // 7-byte header + frame-end
inline constexpr std::uint8_t frame_end = 0xCE;
// What a negotiated frame_max of 0 ("no limit" in the spec) means here: a bound is still
// needed so that a frame's size arithmetic stays in range; memory grows only with the bytes a
// frame actually brings.
inline constexpr std::uint32_t frame_max_unlimited = 0x7FFF'FFFF;

// "AMQP" 0 0 9 1: what a client sends first.
std::span<const std::uint8_t, 8> protocol_header();

struct FrameView {
  FrameType type;
  std::uint16_t channel;
  std::span<const std::uint8_t> payload;
};

// Incremental frame decoder over one connection's byte stream. Typical use:
//   auto space = reader.prepare(16 * 1024);
//   std::size_t n = read(socket, space);
//   reader.commit(n);
//   while (auto frame = reader.next()) { ... }
// Each frame is checked as soon as its bytes are in: the type and, before its payload is
// buffered, the payload size against frame_max. Throws Exception(protocol_error) naming the
// problem; after a throw the stream is out of sync and the connection must be closed.
class FrameReader {
 public:
  explicit FrameReader(std::uint32_t frame_max = frame_min_size);

  // The negotiated frame_max (connection.tune-ok), frame overhead included as in the spec.
  // Throws Exception(protocol_error) below frame_min_size; 0 means frame_max_unlimited.
  void set_frame_max(std::uint32_t frame_max);
  [[nodiscard]] std::uint32_t frame_max() const noexcept { return frame_max_; }

  // Writable space of at least `at_least` bytes (clamped to one maximal frame) after the
  // bytes not yet consumed, which are moved to the front first. The buffer holds at most the
  // unconsumed bytes plus the space asked for, so a caller that drains next() before each
  // prepare() keeps it under two maximal frames.
  std::span<std::uint8_t> prepare(std::size_t at_least);
  // `n` bytes were written into the span prepare() returned.
  void commit(std::size_t n);
  // prepare() + copy + commit().
  void feed(std::span<const std::uint8_t> bytes);

  // The next complete frame, or nullopt when more bytes are needed. The payload stays valid
  // until the next prepare(), feed() or next() call.
  std::optional<FrameView> next();

  // Bytes committed but not yet returned as frames.
  [[nodiscard]] std::size_t buffered() const noexcept { return end_ - begin_; }

 private:
  void check_header(std::span<const std::uint8_t> header) const;

  std::uint32_t frame_max_;
  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0;  // first unconsumed byte
  std::size_t end_ = 0;    // one past the last committed byte
};

// Appends a method frame. Throws Exception(invalid_argument) if the method cannot be encoded.
void append_method_frame(std::vector<std::uint8_t>& out, std::uint16_t channel, const Method& m);
// Appends a content header frame (body_size taken from body.size()) and as many body frames as
// the body needs, each with at most frame_max - 8 bytes of payload (frame_max 0 means
// frame_max_unlimited). Throws Exception(invalid_argument) for frame_max below
// frame_min_size.
void append_content_frames(std::vector<std::uint8_t>& out, std::uint16_t channel,
                           const ContentHeader& header, std::span<const std::uint8_t> body,
                           std::uint32_t frame_max);
void append_heartbeat_frame(std::vector<std::uint8_t>& out);

}  // namespace postwire::amqp
