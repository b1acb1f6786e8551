// Helpers every C ABI function shares, and the functions on errors, versions and memory.
#include <cstdlib>
#include <cstring>

#include "handles.hpp"

#ifndef POSTWIRE_VERSION_STRING
#error "POSTWIRE_VERSION_STRING must be defined by the build"
#endif

namespace postwire::c_api {

std::string_view kind_name(HandleKind kind) noexcept {
  switch (kind) {
    case HandleKind::error:
      return "error";
    case HandleKind::config:
      return "config";
    case HandleKind::client:
      return "client";
    case HandleKind::producer:
      return "producer";
    case HandleKind::outgoing:
      return "outgoing";
    case HandleKind::consumer:
      return "consumer";
    case HandleKind::message:
      return "message";
    case HandleKind::event:
      return "event";
    case HandleKind::destroyed:
      return "a destroyed handle";
  }
  return "not a postwire handle";
}

void throw_invalid(std::string message) {
  throw Exception(ErrorCode::invalid_argument, std::move(message));
}

ClientHandle& open_client(postwire_client* client) {
  auto& self = checked(client, "client");
  if (self.closed.load()) {
    throw Exception(ErrorCode::closed, "the client is closed");
  }
  return self;
}

std::string_view text(const char* value, std::string_view parameter) {
  if (value == nullptr) {
    throw_invalid(std::string(parameter) + " is NULL");
  }
  return value;
}

std::string_view bytes(const void* data, std::size_t size, std::string_view parameter) {
  if (data == nullptr) {
    if (size != 0) {
      throw_invalid(std::string(parameter) + " is NULL with a size of " + std::to_string(size));
    }
    return {};
  }
  return {static_cast<const char*>(data), size};
}

std::chrono::milliseconds timeout(std::int64_t timeout_ms) {
  return std::chrono::milliseconds(timeout_ms < 0 ? -1 : timeout_ms);
}

std::vector<std::pair<std::string_view, std::string_view>> option_pairs(const char* const* options,
                                                                        std::size_t count) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  if (count == 0) {
    return pairs;
  }
  if (options == nullptr) {
    throw_invalid("options is NULL with option_count " + std::to_string(count));
  }
  pairs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const char* key = options[2 * i];
    const char* value = options[2 * i + 1];
    if (key == nullptr || value == nullptr) {
      throw_invalid("options[" + std::to_string(key == nullptr ? 2 * i : 2 * i + 1) +
                    "] is NULL (options holds option_count key, value pairs)");
    }
    pairs.emplace_back(key, value);
  }
  return pairs;
}

void lend_position(const Position& position, std::int32_t* partition, std::int64_t* offset,
                   std::int64_t* broker_timestamp_ms, const char** broker_message_id,
                   const char** sequence_number) {
  if (partition != nullptr) {
    *partition = position.partition.value_or(-1);
  }
  if (offset != nullptr) {
    *offset = position.offset.value_or(-1);
  }
  if (broker_timestamp_ms != nullptr) {
    *broker_timestamp_ms = position.broker_timestamp
                               ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                     position.broker_timestamp->time_since_epoch())
                                     .count()
                               : -1;
  }
  if (broker_message_id != nullptr) {
    *broker_message_id = position.broker_message_id.c_str();
  }
  if (sequence_number != nullptr) {
    *sequence_number = position.sequence_number.c_str();
  }
}

char* owned_string(std::string_view value) {
  // malloc, because postwire_free() is free(): callers in any language can release it.
  auto* out = static_cast<char*>(std::malloc(value.size() + 1));
  if (out == nullptr) {
    throw std::bad_alloc();
  }
  std::memcpy(out, value.data(), value.size());
  out[value.size()] = '\0';
  return out;
}

postwire_code report(postwire_error** out, Error error) noexcept {
  const auto code = static_cast<postwire_code>(error.code());
  if (out != nullptr) {
    try {
      auto handle = std::make_unique<ErrorHandle>();
      handle->error = std::move(error);
      *out = hand_out<postwire_error>(std::move(handle));
    } catch (...) {
      *out = nullptr;  // out of memory: the code still says what happened
    }
  }
  return code;
}

namespace {

// The error behind `error`, or nullptr when it is NULL or not an error: the accessors on errors
// return values rather than statuses, so they answer a bad argument with a neutral value.
const ErrorHandle* as_error(const postwire_error* error) {
  return error != nullptr && kind_at(error) == HandleKind::error
             ? reinterpret_cast<const ErrorHandle*>(error)
             : nullptr;
}

// The core's entry for a code of the C ABI, or nullptr for a value this version does not know.
const ErrorCodeInfo* known_code(postwire_code code) {
  for (const auto& info : error_codes()) {
    if (static_cast<postwire_code>(info.code) == code) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace

}  // namespace postwire::c_api

using namespace postwire;
using namespace postwire::c_api;

// The C codes are the core's codes: a mismatch is a build error, not a wrong answer.
static_assert(POSTWIRE_ERR_INVALID_ARGUMENT == static_cast<int>(ErrorCode::invalid_argument));
static_assert(POSTWIRE_ERR_INVALID_URL == static_cast<int>(ErrorCode::invalid_url));
static_assert(POSTWIRE_ERR_TLS_SETUP_FAILED == static_cast<int>(ErrorCode::tls_setup_failed));
static_assert(POSTWIRE_ERR_BROKER_ERROR == static_cast<int>(ErrorCode::broker_error));
static_assert(POSTWIRE_ERR_NOT_SUPPORTED == static_cast<int>(ErrorCode::not_supported));
static_assert(POSTWIRE_ERR_MESSAGE_TOO_LARGE == static_cast<int>(ErrorCode::message_too_large));
static_assert(POSTWIRE_ERR_INTERNAL == static_cast<int>(ErrorCode::internal));

extern "C" {

const char* postwire_version(void) { return POSTWIRE_VERSION_STRING; }

int postwire_version_num(void) { return POSTWIRE_VERSION_NUM; }

postwire_code postwire_error_code(const postwire_error* error) {
  const auto* e = as_error(error);
  return e != nullptr ? static_cast<postwire_code>(e->error.code()) : POSTWIRE_ERR_INVALID_ARGUMENT;
}

const char* postwire_error_message(const postwire_error* error) {
  const auto* e = as_error(error);
  return e != nullptr ? e->error.message().c_str() : "postwire_error_message: not an error";
}

int postwire_error_retriable(const postwire_error* error) {
  const auto* e = as_error(error);
  return e != nullptr && e->error.retriable() ? 1 : 0;
}

int postwire_error_fatal(const postwire_error* error) {
  const auto* e = as_error(error);
  return e != nullptr && e->error.fatal() ? 1 : 0;
}

void postwire_error_destroy(postwire_error* error) { reclaim(error); }

const char* postwire_code_name(postwire_code code) {
  const auto* info = known_code(code);
  // The names are string literals in the core's table, so they are NUL-terminated.
  return info != nullptr ? info->name.data() : "unknown";
}

int postwire_code_retriable(postwire_code code) {
  const auto* info = known_code(code);
  return info != nullptr && info->retriable ? 1 : 0;
}

int postwire_code_fatal(postwire_code code) {
  const auto* info = known_code(code);
  return info != nullptr && info->fatal ? 1 : 0;
}

void postwire_free(void* memory) { std::free(memory); }

}  // extern "C"
