// postwire_producer_* and postwire_outgoing_*: building and sending messages.
#include "handles.hpp"

using namespace postwire;
using namespace postwire::c_api;

namespace {

Message& message_of(postwire_outgoing* message) { return checked(message, "message").message; }

// Whether a send blocks its caller for room (send) or waits in the client's line (send_nowait).
enum class Wait : std::uint8_t { for_room, in_line };

void send_with(Producer& producer, std::string_view destination, Message&& message,
               std::uint64_t token, Wait wait) {
  if (wait == Wait::for_room) {
    producer.send(destination, std::move(message), token);
  } else {
    producer.send_nowait(destination, std::move(message), token);
  }
}

postwire_code send_outgoing(postwire_producer* producer, const char* destination,
                            postwire_outgoing* message, std::uint64_t token, Wait wait,
                            postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(producer, "producer");
    const auto d = text(destination, "destination");
    auto& m = message_of(message);
    // Moved from only when accepted; then emptied for the next message.
    send_with(self.producer, d, std::move(m), token, wait);
    m = Message{};
  });
}

struct Bytes {
  const void* data;
  std::size_t size;
};

postwire_code send_bytes(postwire_producer* producer, const char* destination, Bytes body,
                         Bytes key, std::uint64_t token, Wait wait, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(producer, "producer");
    const auto d = text(destination, "destination");
    Message m;
    m.body.assign(bytes(body.data, body.size, "body"));
    m.key.assign(bytes(key.data, key.size, "key"));
    send_with(self.producer, d, std::move(m), token, wait);
  });
}

}  // namespace

extern "C" {

void postwire_producer_destroy(postwire_producer* producer) { reclaim(producer); }

postwire_code postwire_outgoing_new(postwire_outgoing** message, postwire_error** error) {
  return guarded(error, [&] {
    auto& result = out(message, "message");  // checked before anything is allocated
    result = hand_out_new<postwire_outgoing>();
  });
}

void postwire_outgoing_destroy(postwire_outgoing* message) { reclaim(message); }

postwire_code postwire_outgoing_clear(postwire_outgoing* message, postwire_error** error) {
  return guarded(error, [&] { message_of(message) = Message{}; });
}

postwire_code postwire_outgoing_set_body(postwire_outgoing* message, const void* data,
                                         std::size_t size, postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    m.body.assign(bytes(data, size, "data"));
  });
}

postwire_code postwire_outgoing_set_key(postwire_outgoing* message, const void* data,
                                        std::size_t size, postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    m.key.assign(bytes(data, size, "data"));
  });
}

postwire_code postwire_outgoing_set_id(postwire_outgoing* message, const char* id,
                                       postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    m.id.assign(text(id, "id"));
  });
}

postwire_code postwire_outgoing_add_header(postwire_outgoing* message, const char* name,
                                           const void* value, std::size_t size,
                                           postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    const auto n = text(name, "name");
    if (n.empty()) {
      throw_invalid("add_header: the header name is empty");
    }
    m.headers.push_back(Header{std::string(n), std::string(bytes(value, size, "value"))});
  });
}

postwire_code postwire_outgoing_set_content_type(postwire_outgoing* message,
                                                 const char* content_type, postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    m.content_type.assign(text(content_type, "content_type"));
  });
}

postwire_code postwire_outgoing_set_priority(postwire_outgoing* message, std::int32_t priority,
                                             postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    if (priority == -1) {
      m.priority.reset();
    } else if (priority < 0 || priority > 255) {
      throw_invalid("set_priority: " + std::to_string(priority) +
                    " is outside 0..255 (-1 clears the priority)");
    } else {
      m.priority = static_cast<std::uint8_t>(priority);
    }
  });
}

postwire_code postwire_outgoing_set_ttl(postwire_outgoing* message, std::int64_t ttl_ms,
                                        postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    if (ttl_ms == -1) {
      m.ttl.reset();
    } else if (ttl_ms < 0) {
      throw_invalid("set_ttl: " + std::to_string(ttl_ms) + " ms is negative (-1 clears the ttl)");
    } else {
      m.ttl = std::chrono::milliseconds(ttl_ms);
    }
  });
}

postwire_code postwire_outgoing_set_timestamp(postwire_outgoing* message, std::int64_t unix_ms,
                                              postwire_error** error) {
  return guarded(error, [&] {
    auto& m = message_of(message);
    if (unix_ms == -1) {
      m.timestamp.reset();
    } else if (unix_ms < 0) {
      throw_invalid("set_timestamp: " + std::to_string(unix_ms) +
                    " is before 1970 (-1: the time of send)");
    } else {
      m.timestamp = std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms));
    }
  });
}

postwire_code postwire_outgoing_set_persistent(postwire_outgoing* message, int persistent,
                                               postwire_error** error) {
  return guarded(error, [&] { message_of(message).persistent = persistent != 0; });
}

postwire_code postwire_producer_send(postwire_producer* producer, const char* destination,
                                     postwire_outgoing* message, std::uint64_t token,
                                     postwire_error** error) {
  return send_outgoing(producer, destination, message, token, Wait::for_room, error);
}

postwire_code postwire_producer_send_nowait(postwire_producer* producer, const char* destination,
                                            postwire_outgoing* message, std::uint64_t token,
                                            postwire_error** error) {
  return send_outgoing(producer, destination, message, token, Wait::in_line, error);
}

postwire_code postwire_producer_send_bytes(postwire_producer* producer, const char* destination,
                                           const void* body, std::size_t body_size, const void* key,
                                           std::size_t key_size, std::uint64_t token,
                                           postwire_error** error) {
  return send_bytes(producer, destination, {body, body_size}, {key, key_size}, token,
                    Wait::for_room, error);
}

postwire_code postwire_producer_send_bytes_nowait(postwire_producer* producer,
                                                  const char* destination, const void* body,
                                                  std::size_t body_size, const void* key,
                                                  std::size_t key_size, std::uint64_t token,
                                                  postwire_error** error) {
  return send_bytes(producer, destination, {body, body_size}, {key, key_size}, token, Wait::in_line,
                    error);
}

postwire_code postwire_producer_flush(postwire_producer* producer, std::int64_t timeout_ms,
                                      postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(producer, "producer");
    // "No limit" as ten years: long enough, and far from overflowing the clock arithmetic.
    constexpr auto kNoLimit = std::chrono::hours(24 * 365 * 10);
    self.producer.flush(timeout_ms < 0 ? std::chrono::milliseconds(kNoLimit)
                                       : std::chrono::milliseconds(timeout_ms));
  });
}

postwire_code postwire_producer_in_flight(postwire_producer* producer, std::size_t* count,
                                          postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(producer, "producer");
    out(count, "count") = self.producer.in_flight();
  });
}

}  // extern "C"
