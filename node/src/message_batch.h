// A polled batch of received messages in the few values JavaScript builds Message objects
// from (lib/consumer.js): their numbers in one Float64Array, their bodies and keys each in one
// Buffer, their strings each as one string with end offsets, and headers and positions only
// for the messages that have some. The bodies are copied out of the C messages, which only lend
// them.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <string>
#include <vector>

namespace postwire_node {

class MessageBatch {
 public:
  // Numbers per message: slot, generation, deliveryCount, redelivered (0/1), priority (-1:
  // none), timestamp (-1: none), end of its body, end of its key (byte offsets), end of its
  // id, content type and source (UTF-16 code units), the id of the consumer it was delivered
  // to.
  static constexpr size_t kFields = 12;

  explicit MessageBatch(Napi::Env env)
      : headers_(Napi::Array::New(env)), positions_(Napi::Array::New(env)) {}

  void Add(Napi::Env env, const postwire_message* message, uint32_t slot, uint32_t generation);

  Napi::Value Numbers(Napi::Env env) const;
  Napi::Value Bodies(Napi::Env env) const { return Copy(env, bodies_); }
  Napi::Value Keys(Napi::Env env) const { return Copy(env, keys_); }
  Napi::Value Ids(Napi::Env env) const { return Napi::String::New(env, ids_); }
  Napi::Value ContentTypes(Napi::Env env) const { return Napi::String::New(env, content_types_); }
  Napi::Value Sources(Napi::Env env) const { return Napi::String::New(env, sources_); }
  // [index, { name: Buffer, ... }, ...] for the messages with headers.
  Napi::Value Headers() const { return headers_; }
  // [index, position (src/position.h), ...] for the messages with a position.
  Napi::Value Positions() const { return positions_; }
  bool empty() const { return numbers_.empty(); }

 private:
  static Napi::Value Copy(Napi::Env env, const std::string& bytes);

  std::vector<double> numbers_;
  std::string bodies_;
  std::string keys_;
  std::string ids_;
  std::string content_types_;
  std::string sources_;
  size_t ids_units_ = 0;
  size_t content_types_units_ = 0;
  size_t sources_units_ = 0;
  Napi::Array headers_;
  uint32_t header_entries_ = 0;
  Napi::Array positions_;
  uint32_t position_entries_ = 0;
};

// Appends UTF-8 `text` to `out` and returns its length in UTF-16 code units, the offsets
// String.prototype.slice takes (two units for characters beyond the Basic Multilingual Plane).
size_t AppendCountingUnits(std::string* out, const char* text);

}  // namespace postwire_node
