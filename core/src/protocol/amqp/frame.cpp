#include "protocol/amqp/frame.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "protocol/amqp/wire.hpp"

namespace postwire::amqp {

namespace {

// Protocol id 0, major 0, minor 9, revision 1 (spec section 4.2.2).
constexpr std::array<std::uint8_t, 8> amqp_0_9_1_header{'A', 'M', 'Q', 'P', 0, 0, 9, 1};

// The smallest payloads each frame type can carry: a method's class and method ids; a content
// header's class id, weight, body size and one property flag word.
constexpr std::size_t min_method_payload = 4;
constexpr std::size_t min_header_payload = 14;

std::uint32_t effective_frame_max(std::uint32_t frame_max) {
  return frame_max == 0 ? frame_max_unlimited : frame_max;
}

std::string_view type_name(std::uint8_t type) {
  switch (type) {
    case 1:
      return "method";
    case 2:
      return "content header";
    case 3:
      return "content body";
    case 8:
      return "heartbeat";
    default:
      return "unknown";
  }
}

void put_frame_header(std::vector<std::uint8_t>& out, FrameType type, std::uint16_t channel,
                      std::uint32_t size) {
  wire::put_u8(out, static_cast<std::uint8_t>(type));
  wire::put_u16(out, channel);
  wire::put_u32(out, size);
}

// Patches the size of the frame whose header starts at `at` and appends its end byte.
void close_frame(std::vector<std::uint8_t>& out, std::size_t at) {
  const std::size_t size = out.size() - at - frame_header_size;
  if (size > 0xFFFF'FFFFU) {
    wire::invalid("frame payload of " + std::to_string(size) + " bytes does not fit a frame");
  }
  wire::store_u32(out.data() + at + 3, static_cast<std::uint32_t>(size));
  out.push_back(frame_end);
}

}  // namespace

std::span<const std::uint8_t, 8> protocol_header() { return amqp_0_9_1_header; }

FrameReader::FrameReader(std::uint32_t frame_max) : frame_max_(frame_min_size) {
  set_frame_max(frame_max);
}

void FrameReader::set_frame_max(std::uint32_t frame_max) {
  frame_max = effective_frame_max(frame_max);
  if (frame_max < frame_min_size) {
    wire::fail("frame_max of " + std::to_string(frame_max) +
               " bytes is below the protocol minimum of " + std::to_string(frame_min_size));
  }
  frame_max_ = frame_max;
}

std::span<std::uint8_t> FrameReader::prepare(std::size_t at_least) {
  at_least = std::clamp<std::size_t>(at_least, 1, frame_max_);
  if (begin_ == end_) {
    begin_ = end_ = 0;
  }
  if (buffer_.size() - end_ < at_least) {
    if (begin_ != 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() - end_ < at_least) {
      buffer_.resize(end_ + at_least);
    }
  }
  return std::span<std::uint8_t>(buffer_).subspan(end_);
}

void FrameReader::commit(std::size_t n) {
  if (n > buffer_.size() - end_) {
    wire::invalid("FrameReader::commit(" + std::to_string(n) + ") is more than the " +
                  std::to_string(buffer_.size() - end_) + " bytes prepare() made room for");
  }
  end_ += n;
}

void FrameReader::feed(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const auto space = prepare(bytes.size());
    const std::size_t n = std::min(space.size(), bytes.size());
    std::memcpy(space.data(), bytes.data(), n);
    commit(n);
    bytes = bytes.subspan(n);
  }
}

void FrameReader::check_header(std::span<const std::uint8_t> header) const {
  const std::uint8_t type = header[0];
  const std::uint16_t channel = wire::load_u16(header.data() + 1);
  const std::uint32_t size = wire::load_u32(header.data() + 3);
  if (size > frame_max_ - frame_overhead) {
    wire::fail(std::string(type_name(type)) + " frame payload of " + std::to_string(size) +
               " bytes exceeds frame_max " + std::to_string(frame_max_) + " (at most " +
               std::to_string(frame_max_ - frame_overhead) + " bytes of payload)");
  }
  switch (static_cast<FrameType>(type)) {
    case FrameType::method:
      if (size < min_method_payload) {
        wire::fail("method frame payload of " + std::to_string(size) +
                   " bytes is shorter than its 4-byte class and method ids");
      }
      break;
    case FrameType::header:
      if (size < min_header_payload) {
        wire::fail("content header frame payload of " + std::to_string(size) +
                   " bytes is shorter than the 14-byte minimum");
      }
      break;
    case FrameType::heartbeat:
      if (channel != 0) {
        wire::fail("heartbeat frame on channel " + std::to_string(channel) +
                   "; heartbeats belong to channel 0");
      }
      if (size != 0) {
        wire::fail("heartbeat frame with a " + std::to_string(size) +
                   "-byte payload; heartbeats are empty");
      }
      break;
    case FrameType::body:
      break;
  }
}

std::optional<FrameView> FrameReader::next() {
  const std::size_t available = end_ - begin_;
  if (available == 0) {
    return std::nullopt;
  }
  const std::uint8_t* p = buffer_.data() + begin_;
  const std::uint8_t type = p[0];
  if (type == 'A' &&
      std::equal(p, p + std::min<std::size_t>(available, 4), amqp_0_9_1_header.begin())) {
    // A server that does not speak our version answers with the header of one it does, then
    // closes (spec section 4.2.2).
    if (available < amqp_0_9_1_header.size()) {
      return std::nullopt;
    }
    wire::fail("the server does not support AMQP 0-9-1 and offered protocol id " +
               std::to_string(p[4]) + " version " + std::to_string(p[5]) + "-" +
               std::to_string(p[6]) + "-" + std::to_string(p[7]));
  }
  if (type != 1 && type != 2 && type != 3 && type != 8) {
    wire::fail("unknown frame type " + std::to_string(type) + " at the start of a frame");
  }
  if (available < frame_header_size) {
    return std::nullopt;
  }
  check_header({p, frame_header_size});
  const std::size_t size = wire::load_u32(p + 3);
  if (available < size + frame_overhead) {
    return std::nullopt;
  }
  const std::uint8_t end = p[frame_header_size + size];
  if (end != frame_end) {
    wire::fail(std::string(type_name(type)) + " frame of " + std::to_string(size) +
               " payload bytes ends with byte " + std::to_string(end) + " instead of 206 (0xCE)");
  }
  begin_ += size + frame_overhead;
  return FrameView{static_cast<FrameType>(type), wire::load_u16(p + 1),
                   std::span<const std::uint8_t>(p + frame_header_size, size)};
}

void append_method_frame(std::vector<std::uint8_t>& out, std::uint16_t channel, const Method& m) {
  const std::size_t at = out.size();
  put_frame_header(out, FrameType::method, channel, 0);
  append_method(out, m);
  close_frame(out, at);
}

void append_content_frames(std::vector<std::uint8_t>& out, std::uint16_t channel,
                           const ContentHeader& header, std::span<const std::uint8_t> body,
                           std::uint32_t frame_max) {
  frame_max = effective_frame_max(frame_max);
  if (frame_max < frame_min_size) {
    wire::invalid("frame_max of " + std::to_string(frame_max) +
                  " bytes is below the protocol minimum of " + std::to_string(frame_min_size));
  }
  const std::size_t max_payload = frame_max - frame_overhead;
  const std::size_t body_frames = (body.size() + max_payload - 1) / max_payload;
  // One growth for the whole message; the header's own size is a guess.
  out.reserve(out.size() + frame_overhead + 64 + body.size() + body_frames * frame_overhead);

  const std::size_t at = out.size();
  put_frame_header(out, FrameType::header, channel, 0);
  append_content_header(out, header, body.size());
  const std::size_t header_size = out.size() - at - frame_header_size;
  if (header_size > max_payload) {
    out.resize(at);
    wire::invalid("content header of " + std::to_string(header_size) + " bytes exceeds frame_max " +
                  std::to_string(frame_max) + "; the properties (headers) are too large");
  }
  close_frame(out, at);

  while (!body.empty()) {
    const std::size_t n = std::min(body.size(), max_payload);
    put_frame_header(out, FrameType::body, channel, static_cast<std::uint32_t>(n));
    out.insert(out.end(), body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    out.push_back(frame_end);
    body = body.subspan(n);
  }
}

void append_heartbeat_frame(std::vector<std::uint8_t>& out) {
  put_frame_header(out, FrameType::heartbeat, 0, 0);
  out.push_back(frame_end);
}

}  // namespace postwire::amqp
