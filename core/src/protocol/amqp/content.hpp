#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/amqp/frame.hpp"
#include "protocol/amqp/methods.hpp"
#include "protocol/amqp/properties.hpp"

namespace postwire::amqp {

// A method with its content, if it has any.
struct Incoming {
  Method method;
  std::optional<ContentHeader> header;
  std::string body;
};

// Assembles one channel's frames into methods with content (spec section 4.2.6: a content
// method, then one header frame, then body frames until body_size bytes have arrived, with
// nothing else on the channel in between).
class ContentAssembler {
 public:
  // Content with a body_size above `max_body_size` is refused at its header, before any of
  // the body is buffered.
  explicit ContentAssembler(std::uint64_t max_body_size);

  // Feeds one method, header or body frame of this channel. Returns a complete Incoming when a
  // method without content arrives or the last byte of a content body does (a body_size of 0
  // completes at the header). Throws Exception(protocol_error) for a header or body frame
  // without a content method before it, a method arriving before the content is complete, a
  // body longer than body_size, a header whose class is not the method's, a body_size over
  // max_body_size, or a heartbeat frame (those belong to channel 0, not to a channel).
  std::optional<Incoming> feed(const FrameView& frame);

  // True between a content method and the last byte of its body.
  [[nodiscard]] bool in_content() const noexcept { return state_ != State::idle; }

 private:
  enum class State { idle, header, body };

  std::uint64_t max_body_size_;
  State state_ = State::idle;
  std::uint64_t body_size_ = 0;
  Incoming current_;
};

}  // namespace postwire::amqp
