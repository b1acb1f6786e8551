#include "message_batch.h"

#include <cstring>

#include "position.h"

namespace postwire_node {

size_t AppendCountingUnits(std::string* out, const char* text) {
  size_t units = 0;
  for (const char* p = text; *p != '\0'; ++p) {
    auto byte = static_cast<unsigned char>(*p);
    if ((byte & 0xC0) != 0x80) {
      units += byte >= 0xF0 ? 2 : 1;
    }
  }
  out->append(text);
  return units;
}

void MessageBatch::Add(Napi::Env env, const postwire_message* message, uint32_t slot,
                       uint32_t generation) {
  const void* data = nullptr;
  size_t size = 0;
  const char* text = nullptr;
  uint32_t delivery_count = 0;
  int redelivered = 0;
  int32_t priority = -1;
  int64_t timestamp = -1;
  uint64_t consumer_id = 0;
  size_t header_count = 0;

  if (postwire_message_body(message, &data, &size, nullptr) == POSTWIRE_OK && size > 0) {
    bodies_.append(static_cast<const char*>(data), size);
  }
  data = nullptr;
  size = 0;
  if (postwire_message_key(message, &data, &size, nullptr) == POSTWIRE_OK && size > 0) {
    keys_.append(static_cast<const char*>(data), size);
  }
  text = "";
  postwire_message_id(message, &text, nullptr);
  ids_units_ += AppendCountingUnits(&ids_, text != nullptr ? text : "");
  text = "";
  postwire_message_content_type(message, &text, nullptr);
  content_types_units_ += AppendCountingUnits(&content_types_, text != nullptr ? text : "");
  text = "";
  postwire_message_source(message, &text, nullptr);
  sources_units_ += AppendCountingUnits(&sources_, text != nullptr ? text : "");
  postwire_message_delivery_count(message, &delivery_count, nullptr);
  postwire_message_redelivered(message, &redelivered, nullptr);
  postwire_message_priority(message, &priority, nullptr);
  postwire_message_timestamp(message, &timestamp, nullptr);
  postwire_message_consumer_id(message, &consumer_id, nullptr);

  size_t index = numbers_.size() / kFields;
  numbers_.insert(numbers_.end(),
                  {static_cast<double>(slot), static_cast<double>(generation),
                   static_cast<double>(delivery_count), redelivered != 0 ? 1.0 : 0.0,
                   static_cast<double>(priority), static_cast<double>(timestamp),
                   static_cast<double>(bodies_.size()), static_cast<double>(keys_.size()),
                   static_cast<double>(ids_units_), static_cast<double>(content_types_units_),
                   static_cast<double>(sources_units_), static_cast<double>(consumer_id)});

  Position position = Position::Of(message);
  if (position.present()) {
    positions_.Set(position_entries_++, Napi::Number::New(env, static_cast<double>(index)));
    positions_.Set(position_entries_++, position.ToJs(env));
  }

  postwire_message_header_count(message, &header_count, nullptr);
  if (header_count == 0) {
    return;
  }
  Napi::Object headers = Napi::Object::New(env);
  for (size_t i = 0; i < header_count; ++i) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t value_size = 0;
    if (postwire_message_header_at(message, i, &name, &value, &value_size, nullptr) !=
        POSTWIRE_OK) {
      continue;
    }
    // Names may repeat; the first one wins, as postwire_message_header() finds it.
    if (!headers.HasOwnProperty(name)) {
      headers.Set(name,
                  Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(value), value_size));
    }
  }
  headers_.Set(header_entries_++, Napi::Number::New(env, static_cast<double>(index)));
  headers_.Set(header_entries_++, headers);
}

Napi::Value MessageBatch::Numbers(Napi::Env env) const {
  Napi::Float64Array array = Napi::Float64Array::New(env, numbers_.size());
  if (!numbers_.empty()) {
    std::memcpy(array.Data(), numbers_.data(), numbers_.size() * sizeof(double));
  }
  return array;
}

Napi::Value MessageBatch::Copy(Napi::Env env, const std::string& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(bytes.data()),
                                     bytes.size());
}

}  // namespace postwire_node
