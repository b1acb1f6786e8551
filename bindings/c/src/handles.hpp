#pragma once
// The structs behind postwire.h's opaque handles, and the two helpers every function uses:
// checked() validates a handle argument, guarded() turns exceptions into status codes.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "postwire.h"
#include "postwire/client.hpp"
#include "runtime/fork_count.hpp"

// The first member of every handle: what kind of handle it is. A pointer of the wrong kind (a
// cast gone wrong) is recognised by it, and destroy functions overwrite it so that a handle
// freed twice is more often caught (a use after destroy remains undefined, as with free()).
enum class HandleKind : std::uint32_t {
  error = 0x70774552,  // "pwER"
  config = 0x70774346,
  client = 0x7077434c,
  producer = 0x70775052,
  outgoing = 0x70774f55,
  consumer = 0x70774353,
  message = 0x70774d53,
  event = 0x70774556,
  destroyed = 0xdeaddead,
};

namespace postwire::c_api {

// The implementation of each handle. The header's struct names (postwire_client, ...) are
// never defined: a handle is one of these behind a pointer cast, so the library's debug
// information, and with it the ABI baseline, holds only the header's own types.
struct ErrorHandle {
  HandleKind kind = HandleKind::error;
  Error error;
};

struct ConfigHandle {
  HandleKind kind = HandleKind::config;
  Config config;
};

// Handles that act on a client remember the process that made them: in a forked child the
// client's IO thread does not exist, so every call there is refused.
struct ProcessBound {
  std::uint64_t fork_count = runtime::fork_count();
};

struct ClientHandle {
  HandleKind kind = HandleKind::client;
  ProcessBound process;
  std::optional<Client> client;
  std::atomic<bool> closed{false};
};

struct ProducerHandle {
  HandleKind kind = HandleKind::producer;
  ProcessBound process;
  Producer producer;
};

struct OutgoingHandle {
  HandleKind kind = HandleKind::outgoing;
  Message message;
};

struct ConsumerHandle {
  HandleKind kind = HandleKind::consumer;
  ProcessBound process;
  Consumer consumer;
  std::atomic<bool> closed{false};
};

struct MessageHandle {
  HandleKind kind = HandleKind::message;
  ProcessBound process;
  Delivery delivery;
};

struct EventHandle {
  HandleKind kind = HandleKind::event;
  Event event;
  ErrorHandle carried;  // the event's error, lent out by postwire_event_error()
  bool message_taken = false;
  std::uint64_t message_consumer_id = 0;  // a message event's consumer, kept after the take
};

// Which implementation stands behind each C handle type, and its kind.
template <typename CHandle>
struct Traits;
#define POSTWIRE_C_HANDLE(c_type, impl_type, handle_kind, label) \
  template <>                                                    \
  struct Traits<c_type> {                                        \
    using Impl = impl_type;                                      \
    static constexpr HandleKind kind = HandleKind::handle_kind;  \
    static constexpr std::string_view name = label;              \
  }
POSTWIRE_C_HANDLE(postwire_error, ErrorHandle, error, "postwire_error");
POSTWIRE_C_HANDLE(postwire_config, ConfigHandle, config, "postwire_config");
POSTWIRE_C_HANDLE(postwire_client, ClientHandle, client, "postwire_client");
POSTWIRE_C_HANDLE(postwire_producer, ProducerHandle, producer, "postwire_producer");
POSTWIRE_C_HANDLE(postwire_outgoing, OutgoingHandle, outgoing, "postwire_outgoing");
POSTWIRE_C_HANDLE(postwire_consumer, ConsumerHandle, consumer, "postwire_consumer");
POSTWIRE_C_HANDLE(postwire_message, MessageHandle, message, "postwire_message");
POSTWIRE_C_HANDLE(postwire_event, EventHandle, event, "postwire_event");
#undef POSTWIRE_C_HANDLE

// The kind stored in the first bytes of whatever `handle` points at; every implementation
// struct starts with its kind.
inline HandleKind kind_at(const void* handle) {
  HandleKind kind{};
  std::memcpy(&kind, handle, sizeof kind);
  return kind;
}

std::string_view kind_name(HandleKind kind) noexcept;

[[noreturn]] void throw_invalid(std::string message);

// The implementation behind `handle`, checked: not NULL, of the right kind, and (for handles
// tied to a client) made in this process. Otherwise an exception naming the parameter.
template <typename CHandle>
typename Traits<std::remove_const_t<CHandle>>::Impl& checked(CHandle* handle,
                                                             std::string_view parameter) {
  using T = Traits<std::remove_const_t<CHandle>>;
  if (handle == nullptr) {
    throw_invalid(std::string(parameter) + " is NULL");
  }
  const HandleKind actual = kind_at(handle);
  if (actual != T::kind) {
    throw_invalid(std::string(parameter) + " is not a " + std::string(T::name) + " (it is " +
                  std::string(kind_name(actual)) + ")");
  }
  // The kind matched, so the pointer is one this library handed out as a T::Impl.
  auto* impl =
      reinterpret_cast<typename T::Impl*>(const_cast<std::remove_const_t<CHandle>*>(handle));
  if constexpr (requires { impl->process; }) {
    if (impl->process.fork_count != runtime::fork_count()) {
      throw Exception(ErrorCode::forked_process,
                      "this " + std::string(T::name) +
                          " belongs to the parent process: a child made by fork() must create "
                          "its own client");
    }
  }
  return *impl;
}

// The client behind `client`, checked, and not yet closed by postwire_client_close().
ClientHandle& open_client(postwire_client* client);

// The most room a poll reserves up front: `max` is the caller's array size, which may be far
// larger than what arrives.
constexpr std::size_t kReserveLimit = 1024;

// A required out-parameter.
template <typename T>
T& out(T* pointer, std::string_view parameter) {
  if (pointer == nullptr) {
    throw_invalid(std::string(parameter) + " (an out-parameter) is NULL");
  }
  return *pointer;
}

// A required string argument.
std::string_view text(const char* value, std::string_view parameter);

// Bytes given as (pointer, size); NULL is allowed only with size 0.
std::string_view bytes(const void* data, std::size_t size, std::string_view parameter);

// A timeout in milliseconds as the C++ API takes it (negative: wait without limit).
std::chrono::milliseconds timeout(std::int64_t timeout_ms);

// Writes a Position through the accessors' out-parameters (each may be NULL): -1 for a number
// the broker did not give, "" for a text.
void lend_position(const Position& position, std::int32_t* partition, std::int64_t* offset,
                   std::int64_t* broker_timestamp_ms, const char** broker_message_id,
                   const char** sequence_number);

// An options array of `count` key, value pairs (topology and subscribe options), checked for
// NULLs; the views borrow from `options`.
std::vector<std::pair<std::string_view, std::string_view>> option_pairs(const char* const* options,
                                                                        std::size_t count);

// A copy of `value` in memory the caller frees with postwire_free().
char* owned_string(std::string_view value);

// Stores `error` for the caller (when it asked for it) and returns its code.
postwire_code report(postwire_error** out, Error error) noexcept;

// Runs `body`, turning every exception into a status and an error object: nothing thrown
// crosses the C ABI.
template <typename Body>
postwire_code guarded(postwire_error** error, Body&& body) noexcept {
  if (error != nullptr) {
    *error = nullptr;
  }
  try {
    body();
    return POSTWIRE_OK;
  } catch (const Exception& e) {
    return report(error, e.error());
  } catch (const std::bad_alloc&) {
    return report(error, Error(ErrorCode::internal, "out of memory"));
  } catch (const std::exception& e) {
    return report(error, Error(ErrorCode::internal, std::string("unexpected error: ") + e.what()));
  } catch (...) {
    return report(error, Error(ErrorCode::internal, "unexpected error of unknown type"));
  }
}

// Hands a new handle to C: the caller owns it from here and frees it with its destroy
// function, which takes it back with reclaim().
template <typename CHandle>
CHandle* hand_out(std::unique_ptr<typename Traits<CHandle>::Impl> impl) {
  return reinterpret_cast<CHandle*>(impl.release());
}

template <typename CHandle>
CHandle* hand_out_new() {
  return hand_out<CHandle>(std::make_unique<typename Traits<CHandle>::Impl>());
}

template <typename CHandle>
void reclaim(CHandle* handle) noexcept {
  using T = Traits<CHandle>;
  if (handle == nullptr || kind_at(handle) != T::kind) {
    return;  // NULL, or not ours to free: freeing the wrong kind would corrupt memory
  }
  std::unique_ptr<typename T::Impl> owned(reinterpret_cast<typename T::Impl*>(handle));
  owned->kind = HandleKind::destroyed;
}

}  // namespace postwire::c_api
