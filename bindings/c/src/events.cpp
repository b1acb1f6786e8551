// postwire_event_*: reading what postwire_client_poll() returned.
#include "handles.hpp"

using namespace postwire;
using namespace postwire::c_api;

namespace {

const EventHandle& event_of(const postwire_event* event) { return checked(event, "event"); }

std::string_view kind_of_event(const Event& event) {
  static constexpr std::string_view kNames[] = {
      "a delivery report", "a connection event", "a flow event", "a consumer event",
      "an error event",    "a log record",       "a message",    "an assignment event"};
  static_assert(std::size(kNames) == std::variant_size_v<Event>);
  return kNames[event.index()];
}

// The event's payload as `T`, or invalid_argument naming both kinds.
template <typename T>
const T& payload(const postwire_event* event, std::string_view wanted) {
  const auto& self = event_of(event);
  const T* value = std::get_if<T>(&self.event);
  if (value == nullptr) {
    throw_invalid("the event is " + std::string(kind_of_event(self.event)) + ", not " +
                  std::string(wanted));
  }
  return *value;
}

template <typename T>
void set_if(T* target, T value) {
  if (target != nullptr) {
    *target = value;
  }
}

postwire_event_type type_of(const Event& event) {
  // The variant's order is the core's; the C values are the ABI's.
  static constexpr postwire_event_type kTypes[] = {
      POSTWIRE_EVENT_DELIVERY_REPORT, POSTWIRE_EVENT_CONNECTION,      POSTWIRE_EVENT_FLOW,
      POSTWIRE_EVENT_CONSUMER,        POSTWIRE_EVENT_ERROR,           POSTWIRE_EVENT_LOG,
      POSTWIRE_EVENT_MESSAGE,         POSTWIRE_EVENT_SOURCES_ASSIGNED};
  static_assert(std::size(kTypes) == std::variant_size_v<Event>);
  if (const auto* assignment = std::get_if<AssignmentEvent>(&event);
      assignment != nullptr && !assignment->assigned) {
    return POSTWIRE_EVENT_SOURCES_REVOKED;
  }
  return kTypes[event.index()];
}

}  // namespace

// The C constants are the core's enum values, checked here rather than trusted.
static_assert(POSTWIRE_LOG_TRACE == static_cast<int>(LogLevel::trace));
static_assert(POSTWIRE_LOG_ERROR == static_cast<int>(LogLevel::error));
static_assert(POSTWIRE_CONNECTION_CONNECTED == static_cast<int>(ConnectionState::connected));
static_assert(POSTWIRE_CONNECTION_RECOVERING == static_cast<int>(ConnectionState::recovering));
static_assert(POSTWIRE_CONNECTION_FAILED == static_cast<int>(ConnectionState::failed));
static_assert(POSTWIRE_CONNECTION_CLOSED == static_cast<int>(ConnectionState::closed));
static_assert(POSTWIRE_CONSUMER_ACTIVE == static_cast<int>(ConsumerState::active));
static_assert(POSTWIRE_CONSUMER_CANCELLED == static_cast<int>(ConsumerState::cancelled));
static_assert(POSTWIRE_CONSUMER_FAILED == static_cast<int>(ConsumerState::failed));

extern "C" {

postwire_code postwire_event_type_of(const postwire_event* event, std::int32_t* type,
                                     postwire_error** error) {
  return guarded(error, [&] {
    const auto& self = event_of(event);
    out(type, "type") = type_of(self.event);
  });
}

postwire_code postwire_event_error(const postwire_event* event, const postwire_error** carried,
                                   postwire_error** error) {
  return guarded(error, [&] {
    const auto& self = event_of(event);
    // Lent out: the event owns it, and the pointer is the handle's own kind of pointer.
    out(carried, "carried") =
        self.carried.error ? reinterpret_cast<const postwire_error*>(&self.carried) : nullptr;
  });
}

postwire_code postwire_event_delivery_report(const postwire_event* event, std::uint64_t* token,
                                             const char** id, const char** destination,
                                             std::uint32_t* attempts, std::int64_t* latency_us,
                                             postwire_error** error) {
  return guarded(error, [&] {
    const auto& report = payload<DeliveryReport>(event, "a delivery report");
    set_if(token, report.token);
    set_if(id, report.id.c_str());
    set_if(destination, report.destination.c_str());
    set_if(attempts, report.attempts);
    set_if(latency_us, static_cast<std::int64_t>(report.latency.count()));
  });
}

postwire_code postwire_event_delivery_position(const postwire_event* event, std::int32_t* partition,
                                               std::int64_t* offset,
                                               std::int64_t* broker_timestamp_ms,
                                               const char** broker_message_id,
                                               const char** sequence_number,
                                               postwire_error** error) {
  return guarded(error, [&] {
    const auto& report = payload<DeliveryReport>(event, "a delivery report");
    lend_position(report.position, partition, offset, broker_timestamp_ms, broker_message_id,
                  sequence_number);
  });
}

postwire_code postwire_event_consumer_id(const postwire_event* event, std::uint64_t* id,
                                         postwire_error** error) {
  return guarded(error, [&] {
    const auto& self = event_of(event);
    auto& result = out(id, "id");
    if (const auto* e = std::get_if<ConsumerEvent>(&self.event)) {
      result = e->consumer_id;
    } else if (const auto* a = std::get_if<AssignmentEvent>(&self.event)) {
      result = a->consumer_id;
    } else if (std::holds_alternative<Delivery>(self.event)) {
      // Kept when the message is taken, so that it can still be routed by its consumer.
      result = self.message_consumer_id;
    } else {
      throw_invalid("the event is " + std::string(kind_of_event(self.event)) +
                    ", which belongs to no consumer");
    }
  });
}

postwire_code postwire_event_assignment(const postwire_event* event, std::uint64_t* consumer_id,
                                        const char** source, const std::int32_t** partitions,
                                        std::size_t* partition_count, postwire_error** error) {
  return guarded(error, [&] {
    const auto& e = payload<AssignmentEvent>(event, "an assignment event");
    set_if(consumer_id, e.consumer_id);
    set_if(source, e.source.c_str());
    set_if(partitions, e.partitions.empty() ? nullptr : e.partitions.data());
    set_if(partition_count, e.partitions.size());
  });
}

postwire_code postwire_event_take_message(postwire_event* event, postwire_message** message,
                                          postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(event, "event");
    auto& result = out(message, "message");
    auto* delivery = std::get_if<Delivery>(&self.event);
    if (delivery == nullptr) {
      throw_invalid("the event is " + std::string(kind_of_event(self.event)) + ", not a message");
    }
    if (self.message_taken) {
      throw_invalid("the message was already taken from this event");
    }
    auto handle = std::make_unique<MessageHandle>();
    handle->delivery = std::move(*delivery);
    self.message_taken = true;
    result = hand_out<postwire_message>(std::move(handle));
  });
}

postwire_code postwire_event_log(const postwire_event* event, std::int32_t* level,
                                 const char** category, const char** text, postwire_error** error) {
  return guarded(error, [&] {
    const auto& record = payload<LogRecord>(event, "a log record");
    set_if(level, static_cast<std::int32_t>(record.level));
    set_if(category, record.category.c_str());
    set_if(text, record.message.c_str());
  });
}

postwire_code postwire_event_consumer(const postwire_event* event, const char** source,
                                      std::int32_t* state, postwire_error** error) {
  return guarded(error, [&] {
    const auto& e = payload<ConsumerEvent>(event, "a consumer event");
    set_if(source, e.source.c_str());
    set_if(state, static_cast<std::int32_t>(e.state));
  });
}

postwire_code postwire_event_flow(const postwire_event* event, int* blocked, const char** reason,
                                  postwire_error** error) {
  return guarded(error, [&] {
    const auto& e = payload<FlowEvent>(event, "a flow event");
    set_if(blocked, e.blocked ? 1 : 0);
    set_if(reason, e.reason.c_str());
  });
}

postwire_code postwire_event_connection(const postwire_event* event, std::int32_t* state,
                                        const char** broker, postwire_error** error) {
  return guarded(error, [&] {
    const auto& e = payload<ConnectionEvent>(event, "a connection event");
    set_if(state, static_cast<std::int32_t>(e.state));
    set_if(broker, e.broker.c_str());
  });
}

void postwire_event_destroy(postwire_event* event) { reclaim(event); }

}  // extern "C"
