#include "options.h"

namespace postwire_node {

StringPairs StringPairs::From(const Napi::Value& value) {
  StringPairs pairs;
  if (!value.IsArray()) {
    return pairs;
  }
  Napi::Array array = value.As<Napi::Array>();
  uint32_t length = array.Length() & ~1u;
  pairs.strings_.reserve(length);
  for (uint32_t i = 0; i < length; ++i) {
    pairs.strings_.push_back(array.Get(i).ToString().Utf8Value());
  }
  for (const std::string& text : pairs.strings_) {
    pairs.pointers_.push_back(text.c_str());
  }
  return pairs;
}

}  // namespace postwire_node
