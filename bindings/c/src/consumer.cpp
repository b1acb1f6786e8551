// postwire_consumer_* and postwire_message_*: receiving, reading and settling messages.
#include <vector>

#include "handles.hpp"

using namespace postwire;
using namespace postwire::c_api;

namespace {

ConsumerHandle& open_consumer(postwire_consumer* consumer) {
  auto& self = checked(consumer, "consumer");
  if (self.closed.load()) {
    throw Exception(ErrorCode::closed,
                    "the consumer of '" + self.consumer.source() + "' is closed");
  }
  return self;
}

const Delivery& delivery_of(const postwire_message* message) {
  return checked(message, "message").delivery;
}

Delivery& settleable(postwire_message* message) { return checked(message, "message").delivery; }

// Lends `value` through (data, size); both are checked before either is written.
void lend(std::string_view value, const void** data, std::size_t* size) {
  auto& d = out(data, "data");
  auto& n = out(size, "size");
  d = value.data();
  n = value.size();
}

// Polls up to `max` messages into `messages`; returns how many. Handles are made before any
// is handed out, so a failure hands out none (the broker redelivers what was polled).
std::size_t poll_into(ConsumerHandle& self, postwire_message** messages, std::size_t max,
                      std::int64_t timeout_ms) {
  std::vector<Delivery> batch;
  batch.reserve(std::min<std::size_t>(max, kReserveLimit));
  self.consumer.poll(batch, max, timeout(timeout_ms));
  std::vector<std::unique_ptr<MessageHandle>> handles;
  handles.reserve(batch.size());
  for (auto& delivery : batch) {
    auto handle = std::make_unique<MessageHandle>();
    handle->delivery = std::move(delivery);
    handles.push_back(std::move(handle));
  }
  for (std::size_t i = 0; i < handles.size(); ++i) {
    messages[i] = hand_out<postwire_message>(std::move(handles[i]));
  }
  return handles.size();
}

}  // namespace

extern "C" {

postwire_code postwire_consumer_id(postwire_consumer* consumer, std::uint64_t* id,
                                   postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(consumer, "consumer");
    out(id, "id") = self.consumer.id();
  });
}

postwire_code postwire_consumer_poll(postwire_consumer* consumer, std::int64_t timeout_ms,
                                     postwire_message** message, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = open_consumer(consumer);
    auto& result = out(message, "message");
    postwire_message* received = nullptr;
    result = poll_into(self, &received, 1, timeout_ms) == 0 ? nullptr : received;
  });
}

postwire_code postwire_consumer_poll_batch(postwire_consumer* consumer, postwire_message** messages,
                                           std::size_t max, std::int64_t timeout_ms,
                                           std::size_t* count, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = open_consumer(consumer);
    auto& n = out(count, "count");
    if (messages == nullptr) {
      throw_invalid("messages is NULL");
    }
    if (max == 0) {
      throw_invalid("max is 0: there is no room for a message");
    }
    n = poll_into(self, messages, max, timeout_ms);
  });
}

postwire_code postwire_consumer_wakeup_fd(postwire_consumer* consumer, int* fd,
                                          postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(consumer, "consumer");
    out(fd, "fd") = self.consumer.wakeup_fd();
  });
}

postwire_code postwire_consumer_close(postwire_consumer* consumer, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(consumer, "consumer");
    if (self.closed.exchange(true)) {
      throw Exception(ErrorCode::closed,
                      "the consumer of '" + self.consumer.source() + "' was already closed");
    }
    self.consumer.close();
  });
}

void postwire_consumer_destroy(postwire_consumer* consumer) {
  reclaim(consumer);  // ~Consumer closes it
}

postwire_code postwire_message_body(const postwire_message* message, const void** data,
                                    std::size_t* size, postwire_error** error) {
  return guarded(error, [&] { lend(delivery_of(message).message().body, data, size); });
}

postwire_code postwire_message_key(const postwire_message* message, const void** data,
                                   std::size_t* size, postwire_error** error) {
  return guarded(error, [&] { lend(delivery_of(message).message().key, data, size); });
}

postwire_code postwire_message_id(const postwire_message* message, const char** id,
                                  postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(id, "id") = d.message().id.c_str();
  });
}

postwire_code postwire_message_content_type(const postwire_message* message,
                                            const char** content_type, postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(content_type, "content_type") = d.message().content_type.c_str();
  });
}

postwire_code postwire_message_header_count(const postwire_message* message, std::size_t* count,
                                            postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(count, "count") = d.message().headers.size();
  });
}

postwire_code postwire_message_header_at(const postwire_message* message, std::size_t index,
                                         const char** name, const void** value, std::size_t* size,
                                         postwire_error** error) {
  return guarded(error, [&] {
    const auto& headers = delivery_of(message).message().headers;
    auto& n = out(name, "name");
    if (index >= headers.size()) {
      throw_invalid("header index " + std::to_string(index) + " is out of range (the message has " +
                    std::to_string(headers.size()) + " headers)");
    }
    lend(headers[index].value, value, size);
    n = headers[index].name.c_str();
  });
}

postwire_code postwire_message_header(const postwire_message* message, const char* name, int* found,
                                      const void** value, std::size_t* size,
                                      postwire_error** error) {
  return guarded(error, [&] {
    const auto& m = delivery_of(message).message();
    const auto wanted = text(name, "name");
    auto& f = out(found, "found");
    out(value, "value");
    out(size, "size");
    const std::string* header = m.header(wanted);
    if (header != nullptr) {
      lend(*header, value, size);
    }
    f = header != nullptr ? 1 : 0;
  });
}

postwire_code postwire_message_source(const postwire_message* message, const char** source,
                                      postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(source, "source") = d.source().c_str();
  });
}

postwire_code postwire_message_delivery_count(const postwire_message* message, std::uint32_t* count,
                                              postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(count, "count") = d.delivery_count();
  });
}

postwire_code postwire_message_redelivered(const postwire_message* message, int* redelivered,
                                           postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(redelivered, "redelivered") = d.redelivered() ? 1 : 0;
  });
}

postwire_code postwire_message_priority(const postwire_message* message, std::int32_t* priority,
                                        postwire_error** error) {
  return guarded(error, [&] {
    const auto& m = delivery_of(message).message();
    out(priority, "priority") = m.priority ? static_cast<std::int32_t>(*m.priority) : -1;
  });
}

postwire_code postwire_message_timestamp(const postwire_message* message, std::int64_t* unix_ms,
                                         postwire_error** error) {
  return guarded(error, [&] {
    const auto& m = delivery_of(message).message();
    auto& result = out(unix_ms, "unix_ms");
    result =
        m.timestamp
            ? std::chrono::duration_cast<std::chrono::milliseconds>(m.timestamp->time_since_epoch())
                  .count()
            : -1;
  });
}

postwire_code postwire_message_position(const postwire_message* message, std::int32_t* partition,
                                        std::int64_t* offset, std::int64_t* broker_timestamp_ms,
                                        const char** broker_message_id,
                                        const char** sequence_number, postwire_error** error) {
  return guarded(error, [&] {
    lend_position(delivery_of(message).position(), partition, offset, broker_timestamp_ms,
                  broker_message_id, sequence_number);
  });
}

postwire_code postwire_message_consumer_id(const postwire_message* message, std::uint64_t* id,
                                           postwire_error** error) {
  return guarded(error, [&] {
    const auto& d = delivery_of(message);
    out(id, "id") = d.consumer_id();
  });
}

postwire_code postwire_message_ack(postwire_message* message, postwire_error** error) {
  return guarded(error, [&] { settleable(message).ack(); });
}

postwire_code postwire_message_nack(postwire_message* message, std::int64_t delay_ms,
                                    postwire_error** error) {
  return guarded(error, [&] {
    auto& d = settleable(message);
    if (delay_ms < 0) {
      throw_invalid("nack: the delay " + std::to_string(delay_ms) + " ms is negative");
    }
    d.nack(std::chrono::milliseconds(delay_ms));
  });
}

postwire_code postwire_message_dead_letter(postwire_message* message, const char* reason,
                                           postwire_error** error) {
  return guarded(error, [&] {
    auto& d = settleable(message);
    d.dead_letter(text(reason, "reason"));
  });
}

void postwire_message_destroy(postwire_message* message) { reclaim(message); }

}  // extern "C"
