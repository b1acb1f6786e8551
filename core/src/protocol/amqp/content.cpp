#include "protocol/amqp/content.hpp"

#include <string>

#include "protocol/amqp/wire.hpp"

namespace postwire::amqp {

namespace {

std::string on_channel(const FrameView& frame) {
  return " on channel " + std::to_string(frame.channel);
}

}  // namespace

ContentAssembler::ContentAssembler(std::uint64_t max_body_size) : max_body_size_(max_body_size) {}

std::optional<Incoming> ContentAssembler::feed(const FrameView& frame) {
  switch (frame.type) {
    case FrameType::method: {
      Method method = decode_method(frame.payload);
      if (state_ != State::idle) {
        wire::fail(std::string(method_name(method)) + " arrived" + on_channel(frame) +
                   " before the content of " + std::string(method_name(current_.method)) +
                   " was complete (" +
                   (state_ == State::header
                        ? std::string("no content header yet")
                        : std::to_string(current_.body.size()) + " of " +
                              std::to_string(body_size_) + " body bytes received") +
                   ")");
      }
      if (!has_content(method)) {
        return Incoming{std::move(method), std::nullopt, {}};
      }
      current_.method = std::move(method);
      state_ = State::header;
      return std::nullopt;
    }
    case FrameType::header: {
      if (state_ != State::header) {
        wire::fail(state_ == State::idle ? "content header frame" + on_channel(frame) +
                                               " without a preceding content method"
                                         : "second content header frame" + on_channel(frame) +
                                               " for " + std::string(method_name(current_.method)));
      }
      const auto& info = method_info(current_.method);
      if (frame.payload.size() >= 2) {
        const std::uint16_t class_id = wire::load_u16(frame.payload.data());
        if (class_id != info.class_id) {
          wire::fail("content header for class " + std::to_string(class_id) + on_channel(frame) +
                     " does not match " + std::string(info.name) + " (class " +
                     std::to_string(info.class_id) + ")");
        }
      }
      ContentHeader header = decode_content_header(frame.payload);
      if (header.body_size > max_body_size_) {
        wire::fail(std::string(info.name) + on_channel(frame) + " announces a body of " +
                   std::to_string(header.body_size) + " bytes, over the maximum of " +
                   std::to_string(max_body_size_) + " bytes");
      }
      body_size_ = header.body_size;
      current_.header = std::move(header);
      if (body_size_ == 0) {
        break;
      }
      current_.body.reserve(static_cast<std::size_t>(body_size_));
      state_ = State::body;
      return std::nullopt;
    }
    case FrameType::body: {
      if (state_ != State::body) {
        wire::fail(state_ == State::idle ? "content body frame" + on_channel(frame) +
                                               " without a preceding content method and header"
                                         : "content body frame" + on_channel(frame) +
                                               " before the content header of " +
                                               std::string(method_name(current_.method)));
      }
      if (frame.payload.size() > body_size_ - current_.body.size()) {
        wire::fail("content body of " + std::string(method_name(current_.method)) +
                   on_channel(frame) + " overruns its body size of " + std::to_string(body_size_) +
                   " bytes (" + std::to_string(current_.body.size() + frame.payload.size()) +
                   " bytes received)");
      }
      current_.body.append(reinterpret_cast<const char*>(frame.payload.data()),
                           frame.payload.size());
      if (current_.body.size() < body_size_) {
        return std::nullopt;
      }
      break;
    }
    case FrameType::heartbeat:
    default:
      // Heartbeats belong to the connection (channel 0), not to a channel's content.
      wire::fail("frame of type " + std::to_string(static_cast<unsigned>(frame.type)) +
                 on_channel(frame) + " given to a channel's content assembler");
  }
  // The content is complete.
  Incoming done = std::move(current_);
  current_ = Incoming{};
  state_ = State::idle;
  body_size_ = 0;
  return done;
}

}  // namespace postwire::amqp
