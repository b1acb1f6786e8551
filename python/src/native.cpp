// postwire._native: the C ABI (postwire.h) as Python objects.
//
// Thin on purpose: each method is one C call, or one batch of them. Futures, iteration,
// asyncio and the exception hierarchy live in the Python package (python/postwire). What this
// file adds is what only native code can do well: releasing the GIL around every call that
// may block, waiting in slices so that Ctrl+C interrupts a long wait, and turning a batch of
// events or messages into Python objects in one crossing.

#include <postwire.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace {

// --- errors -------------------------------------------------------------------------------

// postwire.errors registers the callable that builds an exception from an error's fields, so
// the hierarchy is defined once, in Python. Kept for the life of the process (never released:
// the interpreter may be finalising when the last error is raised).
PyObject* error_factory = nullptr;

void set_error_factory(py::object factory) { error_factory = factory.release().ptr(); }

py::object exception_from(const postwire_error* error) {
  const postwire_code code = postwire_error_code(error);
  if (error_factory == nullptr) {
    return py::reinterpret_steal<py::object>(
        PyObject_CallFunction(PyExc_RuntimeError, "s", postwire_error_message(error)));
  }
  return py::reinterpret_borrow<py::object>(error_factory)(
      code, postwire_code_name(code), postwire_error_message(error),
      postwire_error_retriable(error) != 0, postwire_error_fatal(error) != 0);
}

// Raises `error` (which this takes and frees) as the matching postwire exception.
[[noreturn]] void raise(postwire_error* error) {
  py::object exception;
  try {
    exception = exception_from(error);
  } catch (...) {
    postwire_error_destroy(error);
    throw;
  }
  postwire_error_destroy(error);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
  throw py::error_already_set();
}

// Runs a C call that cannot block, raising its error.
template <typename Call>
void check(Call&& call) {
  postwire_error* error = nullptr;
  if (call(&error) != POSTWIRE_OK) raise(error);
}

// Runs a C call that may block with the GIL released, raising its error.
template <typename Call>
void check_released(Call&& call) {
  postwire_error* error = nullptr;
  postwire_code code = POSTWIRE_OK;
  {
    py::gil_scoped_release released;
    code = call(&error);
  }
  if (code != POSTWIRE_OK) raise(error);
}

// --- positions ----------------------------------------------------------------------------

// postwire._events registers its Position dataclass here, so that the type is defined once, in
// Python. Kept for the life of the process, as error_factory is. Most brokers' messages (all of
// RabbitMQ's) have no position at all: they share one empty Position, made once.
PyObject* position_class = nullptr;
PyObject* no_position = nullptr;

void set_position_class(py::object cls) {
  py::object empty = cls();
  position_class = cls.release().ptr();
  no_position = empty.release().ptr();
}

// A Position from the C ABI's out-parameters (-1 and "" for what the broker does not give),
// each absent field as None.
py::object position_of(int32_t partition, int64_t offset, int64_t broker_timestamp_ms,
                       const char* broker_message_id, const char* sequence_number) {
  if (position_class == nullptr) throw std::runtime_error("postwire._events is not imported");
  if (partition < 0 && offset < 0 && broker_timestamp_ms < 0 && *broker_message_id == '\0' &&
      *sequence_number == '\0') {
    return py::reinterpret_borrow<py::object>(no_position);
  }
  const auto number = [](int64_t value) -> py::object {
    return value < 0 ? py::none() : py::object(py::int_(value));
  };
  const auto text = [](const char* value) -> py::object {
    return *value == '\0' ? py::none() : py::object(py::str(value));
  };
  return py::reinterpret_borrow<py::object>(position_class)(
      number(partition), number(offset), number(broker_timestamp_ms), text(broker_message_id),
      text(sequence_number));
}

// --- waiting ------------------------------------------------------------------------------

// A wait longer than this is cut into slices of this length, with a look at pending signals
// between them: Python runs signal handlers (KeyboardInterrupt) only when native code returns.
constexpr int64_t signal_check_ms = 100;

using clock = std::chrono::steady_clock;

// The part of a wait of `timeout_ms` (negative: unlimited) still to go after `started`.
int64_t remaining_ms(int64_t timeout_ms, clock::time_point started) {
  if (timeout_ms < 0) return -1;
  const auto spent =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count();
  return std::max<int64_t>(0, timeout_ms - spent);
}

int64_t slice_of(int64_t remaining) {
  return remaining < 0 ? signal_check_ms : std::min(remaining, signal_check_ms);
}

// Raises KeyboardInterrupt (or whatever a signal handler raised) if a signal arrived.
void check_signals() {
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

// --- values -------------------------------------------------------------------------------

py::bytes bytes_of(const void* data, size_t size) { return {static_cast<const char*>(data), size}; }

// Options for topology and subscribe calls: [key, value, key, value, ...] as the C ABI takes them.
class OptionArray {
 public:
  explicit OptionArray(const std::vector<std::string>& flat) : strings_(flat) {
    if (strings_.size() % 2 != 0) {
      throw py::value_error("options must be key, value pairs");
    }
    pointers_.reserve(strings_.size());
    for (const auto& s : strings_) pointers_.push_back(s.c_str());
  }
  const char* const* data() const { return pointers_.empty() ? nullptr : pointers_.data(); }
  size_t pairs() const { return pointers_.size() / 2; }

 private:
  std::vector<std::string> strings_;
  std::vector<const char*> pointers_;
};

// A read-only view of a Python buffer (bytes, bytearray, memoryview) for the length of a call.
class BufferView {
 public:
  explicit BufferView(const py::buffer& buffer) : info_(buffer.request()) {
    if (PyBuffer_IsContiguous(info_.view(), 'C') == 0) {
      throw py::value_error("a body, key or header value must be a contiguous buffer");
    }
  }
  const void* data() const { return info_.ptr; }
  size_t size() const { return static_cast<size_t>(info_.size * info_.itemsize); }

 private:
  py::buffer_info info_;
};

// --- messages -----------------------------------------------------------------------------

struct MessageDeleter {
  void operator()(postwire_message* message) const { postwire_message_destroy(message); }
};

// A received message. Accessors copy out of the borrowed C fields, so Python objects never
// point into freed memory.
class Message {
 public:
  explicit Message(postwire_message* handle) : handle_(handle) {}

  py::bytes body() const {
    const void* data = nullptr;
    size_t size = 0;
    check([&](postwire_error** e) { return postwire_message_body(get(), &data, &size, e); });
    return bytes_of(data, size);
  }
  std::optional<py::bytes> key() const {
    const void* data = nullptr;
    size_t size = 0;
    check([&](postwire_error** e) { return postwire_message_key(get(), &data, &size, e); });
    if (size == 0) return std::nullopt;
    return bytes_of(data, size);
  }
  std::string id() const {
    const char* id = nullptr;
    check([&](postwire_error** e) { return postwire_message_id(get(), &id, e); });
    return id;
  }
  std::optional<std::string> content_type() const {
    const char* type = nullptr;
    check([&](postwire_error** e) { return postwire_message_content_type(get(), &type, e); });
    if (*type == '\0') return std::nullopt;
    return std::string(type);
  }
  py::list headers() const {
    size_t count = 0;
    check([&](postwire_error** e) { return postwire_message_header_count(get(), &count, e); });
    py::list headers;
    for (size_t i = 0; i < count; ++i) {
      const char* name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      check([&](postwire_error** e) {
        return postwire_message_header_at(get(), i, &name, &value, &size, e);
      });
      headers.append(py::make_tuple(py::str(name), bytes_of(value, size)));
    }
    return headers;
  }
  std::optional<py::bytes> header(const std::string& name) const {
    int found = 0;
    const void* value = nullptr;
    size_t size = 0;
    check([&](postwire_error** e) {
      return postwire_message_header(get(), name.c_str(), &found, &value, &size, e);
    });
    if (found == 0) return std::nullopt;
    return bytes_of(value, size);
  }
  std::string source() const {
    const char* source = nullptr;
    check([&](postwire_error** e) { return postwire_message_source(get(), &source, e); });
    return source;
  }
  uint32_t delivery_count() const {
    uint32_t count = 0;
    check([&](postwire_error** e) { return postwire_message_delivery_count(get(), &count, e); });
    return count;
  }
  bool redelivered() const {
    int redelivered = 0;
    check([&](postwire_error** e) { return postwire_message_redelivered(get(), &redelivered, e); });
    return redelivered != 0;
  }
  std::optional<int32_t> priority() const {
    int32_t priority = -1;
    check([&](postwire_error** e) { return postwire_message_priority(get(), &priority, e); });
    if (priority < 0) return std::nullopt;
    return priority;
  }
  std::optional<int64_t> timestamp_ms() const {
    int64_t unix_ms = -1;
    check([&](postwire_error** e) { return postwire_message_timestamp(get(), &unix_ms, e); });
    if (unix_ms < 0) return std::nullopt;
    return unix_ms;
  }
  // Read when asked for, not when the message arrives: most brokers give no position.
  py::object position() const {
    int32_t partition = -1;
    int64_t offset = -1;
    int64_t broker_timestamp_ms = -1;
    const char* broker_message_id = nullptr;
    const char* sequence_number = nullptr;
    check([&](postwire_error** e) {
      return postwire_message_position(get(), &partition, &offset, &broker_timestamp_ms,
                                       &broker_message_id, &sequence_number, e);
    });
    return position_of(partition, offset, broker_timestamp_ms, broker_message_id, sequence_number);
  }
  uint64_t consumer_id() const {
    uint64_t id = 0;
    check([&](postwire_error** e) { return postwire_message_consumer_id(get(), &id, e); });
    return id;
  }

  // repr(): where the message came from and what it is, the body cut to a preview. Header
  // values are left out (only their number shows): they may carry tokens or credentials.
  std::string repr() const {
    constexpr size_t preview_bytes = 32;
    const void* data = nullptr;
    size_t size = 0;
    check([&](postwire_error** e) { return postwire_message_body(get(), &data, &size, e); });
    size_t header_count = 0;
    check(
        [&](postwire_error** e) { return postwire_message_header_count(get(), &header_count, e); });
    const auto show = [](const py::handle& value) { return py::repr(value).cast<std::string>(); };
    std::string text = "<Message id=" + show(py::str(id())) + " source=" + show(py::str(source()));
    if (auto k = key()) text += " key=" + show(*k);
    text += " delivery_count=" + std::to_string(delivery_count());
    if (redelivered()) text += " redelivered";
    if (auto type = content_type()) text += " content_type=" + show(py::str(*type));
    if (header_count > 0) text += " headers=" + std::to_string(header_count);
    text += " body=" + std::to_string(size) + " bytes";
    if (size > 0) {
      text += " " + show(bytes_of(data, std::min(size, preview_bytes)));
      if (size > preview_bytes) text += "...";
    }
    return text + ">";
  }

  void ack() {
    check([&](postwire_error** e) { return postwire_message_ack(get(), e); });
  }
  // `delay` in seconds, as Python measures time.
  void nack(double delay) {
    if (!(delay >= 0)) throw py::value_error("delay must be a number of seconds >= 0");
    const auto delay_ms = static_cast<int64_t>(std::llround(delay * 1000));
    check([&](postwire_error** e) { return postwire_message_nack(get(), delay_ms, e); });
  }
  void dead_letter(const std::string& reason) {
    check(
        [&](postwire_error** e) { return postwire_message_dead_letter(get(), reason.c_str(), e); });
  }

 private:
  postwire_message* get() const { return handle_.get(); }
  std::unique_ptr<postwire_message, MessageDeleter> handle_;
};

// --- events -------------------------------------------------------------------------------

py::object optional_exception(const postwire_error* error) {
  return error == nullptr ? py::none() : exception_from(error);
}

uint64_t consumer_id_of(const postwire_event* event) {
  uint64_t id = 0;
  check([&](postwire_error** e) { return postwire_event_consumer_id(event, &id, e); });
  return id;
}

// One event as a tuple whose first item is its POSTWIRE_EVENT_* kind (postwire/_native.pyi
// spells out each shape). Takes ownership of `event`.
py::tuple tuple_of(postwire_event* event) {
  std::unique_ptr<postwire_event, decltype(&postwire_event_destroy)> owned(event,
                                                                           &postwire_event_destroy);
  int32_t type = 0;
  const postwire_error* carried = nullptr;
  check([&](postwire_error** e) { return postwire_event_type_of(event, &type, e); });
  check([&](postwire_error** e) { return postwire_event_error(event, &carried, e); });
  switch (type) {
    case POSTWIRE_EVENT_DELIVERY_REPORT: {
      uint64_t token = 0;
      const char* id = nullptr;
      const char* destination = nullptr;
      uint32_t attempts = 0;
      int64_t latency_us = 0;
      int32_t partition = -1;
      int64_t offset = -1;
      int64_t broker_timestamp_ms = -1;
      const char* broker_message_id = nullptr;
      const char* sequence_number = nullptr;
      check([&](postwire_error** e) {
        return postwire_event_delivery_report(event, &token, &id, &destination, &attempts,
                                              &latency_us, e);
      });
      check([&](postwire_error** e) {
        return postwire_event_delivery_position(event, &partition, &offset, &broker_timestamp_ms,
                                                &broker_message_id, &sequence_number, e);
      });
      return py::make_tuple(
          type, token, optional_exception(carried), id, destination, attempts, latency_us,
          position_of(partition, offset, broker_timestamp_ms, broker_message_id, sequence_number));
    }
    case POSTWIRE_EVENT_MESSAGE: {
      postwire_message* message = nullptr;
      check([&](postwire_error** e) { return postwire_event_take_message(event, &message, e); });
      Message taken(message);  // owned from here, so that an error below frees it
      return py::make_tuple(type, consumer_id_of(event), std::move(taken));
    }
    case POSTWIRE_EVENT_SOURCES_ASSIGNED:
    case POSTWIRE_EVENT_SOURCES_REVOKED: {
      uint64_t consumer_id = 0;
      const char* source = nullptr;
      const int32_t* partitions = nullptr;
      size_t partition_count = 0;
      check([&](postwire_error** e) {
        return postwire_event_assignment(event, &consumer_id, &source, &partitions,
                                         &partition_count, e);
      });
      py::tuple numbers(partition_count);
      for (size_t i = 0; i < partition_count; ++i) numbers[i] = py::int_(partitions[i]);
      return py::make_tuple(type, consumer_id, source, numbers);
    }
    case POSTWIRE_EVENT_LOG: {
      int32_t level = 0;
      const char* category = nullptr;
      const char* text = nullptr;
      check([&](postwire_error** e) {
        return postwire_event_log(event, &level, &category, &text, e);
      });
      return py::make_tuple(type, level, category, text);
    }
    case POSTWIRE_EVENT_CONSUMER: {
      const char* source = nullptr;
      int32_t state = 0;
      check([&](postwire_error** e) { return postwire_event_consumer(event, &source, &state, e); });
      return py::make_tuple(type, source, state, optional_exception(carried),
                            consumer_id_of(event));
    }
    case POSTWIRE_EVENT_FLOW: {
      int blocked = 0;
      const char* reason = nullptr;
      check([&](postwire_error** e) { return postwire_event_flow(event, &blocked, &reason, e); });
      return py::make_tuple(type, blocked != 0, reason);
    }
    case POSTWIRE_EVENT_CONNECTION: {
      int32_t state = 0;
      const char* broker = nullptr;
      check(
          [&](postwire_error** e) { return postwire_event_connection(event, &state, &broker, e); });
      return py::make_tuple(type, state, broker, optional_exception(carried));
    }
    default:  // POSTWIRE_EVENT_ERROR, and kinds a newer library adds: the error they carry.
      return py::make_tuple(type, optional_exception(carried));
  }
}

// --- consumer -----------------------------------------------------------------------------

struct ConsumerDeleter {
  void operator()(postwire_consumer* consumer) const {
    py::gil_scoped_release released;  // destroying closes it, which tells the broker
    postwire_consumer_destroy(consumer);
  }
};

class Consumer {
 public:
  explicit Consumer(postwire_consumer* handle) : handle_(handle) {}

  // Up to `max` messages, waiting up to `timeout_ms` (negative: until one arrives or the
  // consumer closes) for the first, interruptible by signals.
  py::list poll_batch(size_t max, int64_t timeout_ms) {
    if (max == 0) throw py::value_error("max must be at least 1");
    std::vector<postwire_message*> received(max);
    const auto started = clock::now();
    size_t count = 0;
    for (;;) {
      const int64_t remaining = remaining_ms(timeout_ms, started);
      check_released([&](postwire_error** e) {
        return postwire_consumer_poll_batch(get(), received.data(), max, slice_of(remaining),
                                            &count, e);
      });
      if (count > 0 || remaining == 0) break;
      check_signals();
    }
    py::list messages;
    for (size_t i = 0; i < count; ++i) messages.append(Message(received[i]));
    return messages;
  }

  int wakeup_fd() {
    int fd = -1;
    check([&](postwire_error** e) { return postwire_consumer_wakeup_fd(get(), &fd, e); });
    return fd;
  }

  uint64_t id() {
    uint64_t id = 0;
    check([&](postwire_error** e) { return postwire_consumer_id(get(), &id, e); });
    return id;
  }

  void close() {
    check_released([&](postwire_error** e) { return postwire_consumer_close(get(), e); });
  }

 private:
  postwire_consumer* get() const { return handle_.get(); }
  std::unique_ptr<postwire_consumer, ConsumerDeleter> handle_;
};

// --- producer -----------------------------------------------------------------------------

struct ProducerDeleter {
  void operator()(postwire_producer* producer) const { postwire_producer_destroy(producer); }
};
struct OutgoingDeleter {
  void operator()(postwire_outgoing* message) const { postwire_outgoing_destroy(message); }
};

// The optional fields of one send; absent ones keep the C ABI's defaults.
struct SendFields {
  std::optional<py::buffer> key;
  std::optional<std::string> id;
  std::optional<std::vector<std::pair<std::string, py::buffer>>> headers;
  std::optional<std::string> content_type;
  std::optional<int32_t> priority;
  std::optional<int64_t> ttl_ms;
  std::optional<int64_t> timestamp_ms;
  bool persistent = true;

  bool only_key() const {
    return !id && !headers && !content_type && !priority && !ttl_ms && !timestamp_ms && persistent;
  }
};

class Producer {
 public:
  explicit Producer(postwire_producer* handle) : handle_(handle) {}

  // `nowait`: the asyncio client's sends, which must not block the event loop; without room
  // they wait in the core's line (postwire_producer_send_nowait).
  void send(const std::string& destination, const py::buffer& body, uint64_t token,
            const SendFields& fields, bool nowait) {
    const BufferView body_view(body);
    if (fields.only_key()) {  // the common case: one call, one copy of the body
      const std::optional<BufferView> key_view =
          fields.key ? std::optional<BufferView>(BufferView(*fields.key)) : std::nullopt;
      const auto send_bytes =
          nowait ? postwire_producer_send_bytes_nowait : postwire_producer_send_bytes;
      check_released([&](postwire_error** e) {
        return send_bytes(get(), destination.c_str(), body_view.data(), body_view.size(),
                          key_view ? key_view->data() : nullptr, key_view ? key_view->size() : 0,
                          token, e);
      });
      return;
    }
    postwire_outgoing* raw = nullptr;
    check([&](postwire_error** e) { return postwire_outgoing_new(&raw, e); });
    const std::unique_ptr<postwire_outgoing, OutgoingDeleter> message(raw);
    check([&](postwire_error** e) {
      return postwire_outgoing_set_body(raw, body_view.data(), body_view.size(), e);
    });
    if (fields.key) {
      const BufferView key_view(*fields.key);
      check([&](postwire_error** e) {
        return postwire_outgoing_set_key(raw, key_view.data(), key_view.size(), e);
      });
    }
    if (fields.id) {
      check(
          [&](postwire_error** e) { return postwire_outgoing_set_id(raw, fields.id->c_str(), e); });
    }
    if (fields.headers) {
      for (const auto& [name, value] : *fields.headers) {
        const BufferView value_view(value);
        check([&](postwire_error** e) {
          return postwire_outgoing_add_header(raw, name.c_str(), value_view.data(),
                                              value_view.size(), e);
        });
      }
    }
    if (fields.content_type) {
      check([&](postwire_error** e) {
        return postwire_outgoing_set_content_type(raw, fields.content_type->c_str(), e);
      });
    }
    if (fields.priority) {
      check([&](postwire_error** e) {
        return postwire_outgoing_set_priority(raw, *fields.priority, e);
      });
    }
    if (fields.ttl_ms) {
      check([&](postwire_error** e) { return postwire_outgoing_set_ttl(raw, *fields.ttl_ms, e); });
    }
    if (fields.timestamp_ms) {
      check([&](postwire_error** e) {
        return postwire_outgoing_set_timestamp(raw, *fields.timestamp_ms, e);
      });
    }
    if (!fields.persistent) {
      check([&](postwire_error** e) { return postwire_outgoing_set_persistent(raw, 0, e); });
    }
    const auto send_outgoing = nowait ? postwire_producer_send_nowait : postwire_producer_send;
    check_released([&](postwire_error** e) {
      return send_outgoing(get(), destination.c_str(), raw, token, e);
    });
  }

  // Waits up to `timeout_ms` (negative: no limit) for every sent message to be reported,
  // interruptible by signals.
  void flush(int64_t timeout_ms) {
    const auto started = clock::now();
    for (;;) {
      const int64_t remaining = remaining_ms(timeout_ms, started);
      postwire_error* error = nullptr;
      postwire_code code = POSTWIRE_OK;
      {
        py::gil_scoped_release released;
        code = postwire_producer_flush(get(), slice_of(remaining), &error);
      }
      if (code == POSTWIRE_OK) return;
      if (code != POSTWIRE_ERR_TIMED_OUT || remaining == 0) raise(error);
      postwire_error_destroy(error);
      check_signals();
    }
  }

  size_t in_flight() {
    size_t count = 0;
    check([&](postwire_error** e) { return postwire_producer_in_flight(get(), &count, e); });
    return count;
  }

 private:
  postwire_producer* get() const { return handle_.get(); }
  std::unique_ptr<postwire_producer, ProducerDeleter> handle_;
};

// --- client -------------------------------------------------------------------------------

struct ConfigDeleter {
  void operator()(postwire_config* config) const { postwire_config_destroy(config); }
};
struct ClientDeleter {
  void operator()(postwire_client* client) const {
    py::gil_scoped_release released;  // destroying an open client closes it, which blocks
    postwire_client_destroy(client);
  }
};

class Client {
 public:
  static Client connect(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& options) {
    postwire_config* raw_config = nullptr;
    check([&](postwire_error** e) { return postwire_config_new(&raw_config, e); });
    const std::unique_ptr<postwire_config, ConfigDeleter> config(raw_config);
    for (const auto& [key, value] : options) {
      check([&](postwire_error** e) {
        return postwire_config_set(raw_config, key.c_str(), value.c_str(), e);
      });
    }
    postwire_client* client = nullptr;
    check_released([&](postwire_error** e) {
      return postwire_client_connect(url.c_str(), raw_config, &client, e);
    });
    return Client(client);
  }

  void close(int64_t timeout_ms) {
    check_released([&](postwire_error** e) { return postwire_client_close(get(), timeout_ms, e); });
  }

  int wakeup_fd() {
    int fd = -1;
    check([&](postwire_error** e) { return postwire_client_wakeup_fd(get(), &fd, e); });
    return fd;
  }

  // Up to `max` events as tuples, waiting up to `timeout_ms` for the first. With
  // `interruptible`, the wait is sliced so that signals are seen (for the main thread); a
  // dispatcher thread passes False and sleeps in the C call until something happens.
  py::list poll(size_t max, int64_t timeout_ms, bool interruptible) {
    if (max == 0) throw py::value_error("max must be at least 1");
    std::vector<postwire_event*> events(max);
    const auto started = clock::now();
    size_t count = 0;
    for (;;) {
      const int64_t remaining = remaining_ms(timeout_ms, started);
      const int64_t wait = interruptible ? slice_of(remaining) : timeout_ms;
      check_released([&](postwire_error** e) {
        return postwire_client_poll(get(), events.data(), max, wait, &count, e);
      });
      if (count > 0 || remaining == 0 || !interruptible) break;
      check_signals();
    }
    py::list tuples;
    size_t converted = 0;
    try {
      for (; converted < count; ++converted) tuples.append(tuple_of(events[converted]));
    } catch (...) {
      for (size_t i = converted + 1; i < count; ++i) postwire_event_destroy(events[i]);
      throw;
    }
    return tuples;
  }

  std::string stats() {
    char* json = nullptr;
    check([&](postwire_error** e) { return postwire_client_stats(get(), &json, e); });
    const std::unique_ptr<char, decltype(&postwire_free)> owned(json, &postwire_free);
    return json;
  }

  uint64_t capabilities() {
    uint64_t bits = 0;
    check([&](postwire_error** e) { return postwire_client_capabilities(get(), &bits, e); });
    return bits;
  }

  Producer producer() {
    postwire_producer* producer = nullptr;
    check([&](postwire_error** e) { return postwire_client_producer(get(), &producer, e); });
    return Producer(producer);
  }

  // `options` as [key, value, ...], as the topology calls take them: the core reads them all
  // (prefetch, exclusive, deliver_as_events and the broker's own).
  Consumer subscribe(const std::string& source, const std::vector<std::string>& options) {
    const OptionArray array(options);
    postwire_consumer* consumer = nullptr;
    check_released([&](postwire_error** e) {
      return postwire_client_subscribe_with_options(get(), source.c_str(), array.data(),
                                                    array.pairs(), &consumer, e);
    });
    return Consumer(consumer);
  }

  py::tuple declare_queue(const std::string& name, const std::vector<std::string>& options) {
    const OptionArray array(options);
    char* raw_name = nullptr;
    uint64_t messages = 0;
    uint64_t consumers = 0;
    check_released([&](postwire_error** e) {
      return postwire_client_declare_queue(get(), name.c_str(), array.data(), array.pairs(),
                                           &raw_name, &messages, &consumers, e);
    });
    const std::unique_ptr<char, decltype(&postwire_free)> owned(raw_name, &postwire_free);
    return py::make_tuple(std::string(raw_name), messages, consumers);
  }

  void declare_exchange(const std::string& name, const std::vector<std::string>& options) {
    const OptionArray array(options);
    check_released([&](postwire_error** e) {
      return postwire_client_declare_exchange(get(), name.c_str(), array.data(), array.pairs(), e);
    });
  }

  void bind(const std::string& exchange, const std::string& destination,
            const std::vector<std::string>& options) {
    const OptionArray array(options);
    check_released([&](postwire_error** e) {
      return postwire_client_bind(get(), exchange.c_str(), destination.c_str(), array.data(),
                                  array.pairs(), e);
    });
  }

  void unbind(const std::string& exchange, const std::string& destination,
              const std::vector<std::string>& options) {
    const OptionArray array(options);
    check_released([&](postwire_error** e) {
      return postwire_client_unbind(get(), exchange.c_str(), destination.c_str(), array.data(),
                                    array.pairs(), e);
    });
  }

  uint64_t purge_queue(const std::string& name) {
    uint64_t removed = 0;
    check_released([&](postwire_error** e) {
      return postwire_client_purge_queue(get(), name.c_str(), &removed, e);
    });
    return removed;
  }

  uint64_t delete_queue(const std::string& name, const std::vector<std::string>& options) {
    const OptionArray array(options);
    uint64_t removed = 0;
    check_released([&](postwire_error** e) {
      return postwire_client_delete_queue(get(), name.c_str(), array.data(), array.pairs(),
                                          &removed, e);
    });
    return removed;
  }

  void delete_exchange(const std::string& name, const std::vector<std::string>& options) {
    const OptionArray array(options);
    check_released([&](postwire_error** e) {
      return postwire_client_delete_exchange(get(), name.c_str(), array.data(), array.pairs(), e);
    });
  }

 private:
  explicit Client(postwire_client* handle) : handle_(handle) {}
  postwire_client* get() const { return handle_.get(); }
  std::unique_ptr<postwire_client, ClientDeleter> handle_;
};

}  // namespace

PYBIND11_MODULE(_native, module) {
  module.doc() = "postwire's C ABI as Python objects (internal: use the postwire package)";

  module.def("version", [] { return std::string(postwire_version()); });
  module.def("version_num", [] { return postwire_version_num(); });
  module.def("code_name", [](int32_t code) { return std::string(postwire_code_name(code)); });
  // Every code 0..999 that the C ABI names, as (number, name, retriable, fatal): the package's
  // code tables are built from it (postwire/errors.py).
  module.def("codes", [] {
    py::list codes;
    for (int32_t code = 0; code <= 999; ++code) {
      std::string name = postwire_code_name(code);
      if (name != "unknown") {
        codes.append(py::make_tuple(code, name, postwire_code_retriable(code) != 0,
                                    postwire_code_fatal(code) != 0));
      }
    }
    return codes;
  });
  module.def("_set_error_factory", &set_error_factory);
  module.def("_set_position_class", &set_position_class);

  py::class_<Message>(module, "Message")
      .def_property_readonly("body", &Message::body)
      .def_property_readonly("key", &Message::key)
      .def_property_readonly("id", &Message::id)
      .def_property_readonly("content_type", &Message::content_type)
      .def_property_readonly("headers", &Message::headers)
      .def("header", &Message::header, py::arg("name"))
      .def_property_readonly("source", &Message::source)
      .def_property_readonly("delivery_count", &Message::delivery_count)
      .def_property_readonly("redelivered", &Message::redelivered)
      .def_property_readonly("priority", &Message::priority)
      .def_property_readonly("timestamp_ms", &Message::timestamp_ms)
      .def_property_readonly("position", &Message::position)
      .def_property_readonly("consumer_id", &Message::consumer_id)
      .def("__repr__", &Message::repr)
      .def("ack", &Message::ack)
      .def("nack", &Message::nack, py::arg("delay") = 0.0)
      .def("dead_letter", &Message::dead_letter, py::arg("reason"));

  py::class_<Consumer>(module, "Consumer")
      .def("poll_batch", &Consumer::poll_batch, py::arg("max"), py::arg("timeout_ms"))
      .def("wakeup_fd", &Consumer::wakeup_fd)
      .def_property_readonly("id", &Consumer::id)
      .def("close", &Consumer::close);

  py::class_<Producer>(module, "Producer")
      .def(
          "send",
          [](Producer& self, const std::string& destination, const py::buffer& body, uint64_t token,
             std::optional<py::buffer> key, std::optional<std::string> id,
             std::optional<std::vector<std::pair<std::string, py::buffer>>> headers,
             std::optional<std::string> content_type, std::optional<int32_t> priority,
             std::optional<int64_t> ttl_ms, std::optional<int64_t> timestamp_ms, bool persistent,
             bool nowait) {
            self.send(
                destination, body, token,
                SendFields{std::move(key), std::move(id), std::move(headers),
                           std::move(content_type), priority, ttl_ms, timestamp_ms, persistent},
                nowait);
          },
          py::arg("destination"), py::arg("body"), py::arg("token"), py::arg("key") = py::none(),
          py::arg("id") = py::none(), py::arg("headers") = py::none(),
          py::arg("content_type") = py::none(), py::arg("priority") = py::none(),
          py::arg("ttl_ms") = py::none(), py::arg("timestamp_ms") = py::none(),
          py::arg("persistent") = true, py::arg("nowait") = false)
      .def("flush", &Producer::flush, py::arg("timeout_ms"))
      .def("in_flight", &Producer::in_flight);

  py::class_<Client>(module, "Client")
      .def_static("connect", &Client::connect, py::arg("url"), py::arg("options"))
      .def("close", &Client::close, py::arg("timeout_ms"))
      .def("wakeup_fd", &Client::wakeup_fd)
      .def("poll", &Client::poll, py::arg("max"), py::arg("timeout_ms"), py::arg("interruptible"))
      .def("stats", &Client::stats)
      .def("capabilities", &Client::capabilities)
      .def("producer", &Client::producer)
      .def("subscribe", &Client::subscribe, py::arg("source"), py::arg("options"))
      .def("declare_queue", &Client::declare_queue, py::arg("name"), py::arg("options"))
      .def("declare_exchange", &Client::declare_exchange, py::arg("name"), py::arg("options"))
      .def("bind", &Client::bind, py::arg("exchange"), py::arg("destination"), py::arg("options"))
      .def("unbind", &Client::unbind, py::arg("exchange"), py::arg("destination"),
           py::arg("options"))
      .def("purge_queue", &Client::purge_queue, py::arg("name"))
      .def("delete_queue", &Client::delete_queue, py::arg("name"), py::arg("options"))
      .def("delete_exchange", &Client::delete_exchange, py::arg("name"), py::arg("options"));

  module.attr("EVENT_DELIVERY_REPORT") = static_cast<int>(POSTWIRE_EVENT_DELIVERY_REPORT);
  module.attr("EVENT_MESSAGE") = static_cast<int>(POSTWIRE_EVENT_MESSAGE);
  module.attr("EVENT_ERROR") = static_cast<int>(POSTWIRE_EVENT_ERROR);
  module.attr("EVENT_LOG") = static_cast<int>(POSTWIRE_EVENT_LOG);
  module.attr("EVENT_CONSUMER") = static_cast<int>(POSTWIRE_EVENT_CONSUMER);
  module.attr("EVENT_FLOW") = static_cast<int>(POSTWIRE_EVENT_FLOW);
  module.attr("EVENT_CONNECTION") = static_cast<int>(POSTWIRE_EVENT_CONNECTION);
  module.attr("EVENT_SOURCES_ASSIGNED") = static_cast<int>(POSTWIRE_EVENT_SOURCES_ASSIGNED);
  module.attr("EVENT_SOURCES_REVOKED") = static_cast<int>(POSTWIRE_EVENT_SOURCES_REVOKED);
  module.attr("SUBSCRIBE_EXCLUSIVE") = static_cast<int>(POSTWIRE_SUBSCRIBE_EXCLUSIVE);
  module.attr("SUBSCRIBE_TO_EVENTS") = static_cast<int>(POSTWIRE_SUBSCRIBE_TO_EVENTS);
  module.attr("CAP_EXCHANGES") = static_cast<int>(POSTWIRE_CAP_EXCHANGES);
  module.attr("CAP_PRIORITIES") = static_cast<int>(POSTWIRE_CAP_PRIORITIES);
  module.attr("CAP_PER_MESSAGE_TTL") = static_cast<int>(POSTWIRE_CAP_PER_MESSAGE_TTL);
  module.attr("CAP_DELAYED_NACK") = static_cast<int>(POSTWIRE_CAP_DELAYED_NACK);
  module.attr("CAP_BROKER_DEAD_LETTER") = static_cast<int>(POSTWIRE_CAP_BROKER_DEAD_LETTER);
  module.attr("CAP_EXCLUSIVE_CONSUMERS") = static_cast<int>(POSTWIRE_CAP_EXCLUSIVE_CONSUMERS);
  module.attr("CAP_SINGLE_ACTIVE_CONSUMER") = static_cast<int>(POSTWIRE_CAP_SINGLE_ACTIVE_CONSUMER);
  module.attr("CAP_QUORUM_QUEUES") = static_cast<int>(POSTWIRE_CAP_QUORUM_QUEUES);
  module.attr("CAP_PARTITIONS") = static_cast<int>(POSTWIRE_CAP_PARTITIONS);
  module.attr("CAP_SEEK") = static_cast<int>(POSTWIRE_CAP_SEEK);
  module.attr("CAP_CONSUMER_GROUPS") = static_cast<int>(POSTWIRE_CAP_CONSUMER_GROUPS);
  module.attr("CAP_FIFO") = static_cast<int>(POSTWIRE_CAP_FIFO);
  module.attr("CAP_NATIVE_DELAY") = static_cast<int>(POSTWIRE_CAP_NATIVE_DELAY);
  module.attr("CAP_VISIBILITY_EXTENSION") = static_cast<int>(POSTWIRE_CAP_VISIBILITY_EXTENSION);
  module.attr("CONNECTION_CONNECTED") = static_cast<int>(POSTWIRE_CONNECTION_CONNECTED);
  module.attr("CONNECTION_RECOVERING") = static_cast<int>(POSTWIRE_CONNECTION_RECOVERING);
  module.attr("CONNECTION_FAILED") = static_cast<int>(POSTWIRE_CONNECTION_FAILED);
  module.attr("CONNECTION_CLOSED") = static_cast<int>(POSTWIRE_CONNECTION_CLOSED);
  module.attr("CONSUMER_ACTIVE") = static_cast<int>(POSTWIRE_CONSUMER_ACTIVE);
  module.attr("CONSUMER_CANCELLED") = static_cast<int>(POSTWIRE_CONSUMER_CANCELLED);
  module.attr("CONSUMER_FAILED") = static_cast<int>(POSTWIRE_CONSUMER_FAILED);
  module.attr("LOG_TRACE") = static_cast<int>(POSTWIRE_LOG_TRACE);
  module.attr("LOG_DEBUG") = static_cast<int>(POSTWIRE_LOG_DEBUG);
  module.attr("LOG_INFO") = static_cast<int>(POSTWIRE_LOG_INFO);
  module.attr("LOG_WARN") = static_cast<int>(POSTWIRE_LOG_WARN);
  module.attr("LOG_ERROR") = static_cast<int>(POSTWIRE_LOG_ERROR);
}
