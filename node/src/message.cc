#include "message.h"

#include <string>

#include "errors.h"

namespace postwire_node {
namespace {

// Owns a message until it is settled (then freed at once) or its JS object is collected.
struct MessageHandle {
  postwire_message* message;
};

void FinalizeHandle(Napi::Env /*env*/, MessageHandle* handle) {
  postwire_message_destroy(handle->message);
  delete handle;
}

Napi::Buffer<uint8_t> CopyBytes(Napi::Env env, const void* data, size_t size) {
  return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(data), size);
}

Napi::Object Headers(Napi::Env env, const postwire_message* message) {
  Napi::Object headers = Napi::Object::New(env);
  size_t count = 0;
  postwire_message_header_count(message, &count, nullptr);
  for (size_t i = 0; i < count; ++i) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    if (postwire_message_header_at(message, i, &name, &value, &size, nullptr) != POSTWIRE_OK) {
      continue;
    }
    // Names may repeat; the first one wins, as postwire_message_header() finds it.
    if (!headers.HasOwnProperty(name)) {
      headers.Set(name, CopyBytes(env, value, size));
    }
  }
  return headers;
}

MessageHandle* HandleOf(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "postwire: not a message handle");
  }
  MessageHandle* handle = info[0].As<Napi::External<MessageHandle>>().Data();
  if (handle->message == nullptr) {
    throw ErrorFrom(info.Env(), POSTWIRE_ERR_INVALID_ARGUMENT,
                    "the message was already settled (ack, nack or deadLetter)", false, false);
  }
  return handle;
}

// Settles with `settle`, then frees the message: it has nothing more to give.
template <typename Settle>
void SettleAndFree(const Napi::CallbackInfo& info, MessageHandle* handle, Settle settle) {
  postwire_error* error = nullptr;
  postwire_code code = settle(handle->message, &error);
  ThrowIfFailed(info.Env(), code, error);
  postwire_message_destroy(handle->message);
  handle->message = nullptr;
}

Napi::Value Ack(const Napi::CallbackInfo& info) {
  SettleAndFree(info, HandleOf(info),
                [](postwire_message* m, postwire_error** e) { return postwire_message_ack(m, e); });
  return info.Env().Undefined();
}

Napi::Value Nack(const Napi::CallbackInfo& info) {
  MessageHandle* handle = HandleOf(info);
  int64_t delay_ms = info[1].As<Napi::Number>().Int64Value();
  SettleAndFree(info, handle, [delay_ms](postwire_message* m, postwire_error** e) {
    return postwire_message_nack(m, delay_ms, e);
  });
  return info.Env().Undefined();
}

Napi::Value DeadLetter(const Napi::CallbackInfo& info) {
  MessageHandle* handle = HandleOf(info);
  std::string reason = info[1].As<Napi::String>().Utf8Value();
  SettleAndFree(info, handle, [&reason](postwire_message* m, postwire_error** e) {
    return postwire_message_dead_letter(m, reason.c_str(), e);
  });
  return info.Env().Undefined();
}

}  // namespace

Napi::Object MessageToJs(Napi::Env env, postwire_message* message) {
  Napi::Object object = Napi::Object::New(env);
  const void* data = nullptr;
  size_t size = 0;
  const char* text = "";
  uint32_t delivery_count = 0;
  int redelivered = 0;
  int32_t priority = -1;
  int64_t timestamp = -1;

  postwire_message_body(message, &data, &size, nullptr);
  object.Set("body", CopyBytes(env, data, size));
  data = nullptr;
  size = 0;
  postwire_message_key(message, &data, &size, nullptr);
  object.Set("key", size > 0 ? Napi::Value(CopyBytes(env, data, size)) : env.Null());
  postwire_message_id(message, &text, nullptr);
  object.Set("id", Napi::String::New(env, text));
  text = "";
  postwire_message_content_type(message, &text, nullptr);
  object.Set("contentType", Napi::String::New(env, text));
  text = "";
  postwire_message_source(message, &text, nullptr);
  object.Set("source", Napi::String::New(env, text));
  object.Set("headers", Headers(env, message));
  postwire_message_delivery_count(message, &delivery_count, nullptr);
  object.Set("deliveryCount", Napi::Number::New(env, delivery_count));
  postwire_message_redelivered(message, &redelivered, nullptr);
  object.Set("redelivered", Napi::Boolean::New(env, redelivered != 0));
  postwire_message_priority(message, &priority, nullptr);
  object.Set("priority", Napi::Number::New(env, priority));
  postwire_message_timestamp(message, &timestamp, nullptr);
  object.Set("timestamp", Napi::Number::New(env, static_cast<double>(timestamp)));
  object.Set("handle",
             Napi::External<MessageHandle>::New(env, new MessageHandle{message}, FinalizeHandle));
  return object;
}

void ExportSettling(Napi::Env env, Napi::Object exports) {
  exports.Set("ack", Napi::Function::New(env, Ack, "ack"));
  exports.Set("nack", Napi::Function::New(env, Nack, "nack"));
  exports.Set("deadLetter", Napi::Function::New(env, DeadLetter, "deadLetter"));
}

}  // namespace postwire_node
