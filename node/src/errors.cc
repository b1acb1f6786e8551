#include "errors.h"

#include <string>

namespace postwire_node {

Napi::Error ErrorFrom(Napi::Env env, postwire_code code, const std::string& message, bool retriable,
                      bool fatal) {
  Napi::Error js = Napi::Error::New(env, message);
  Napi::Object object = js.Value();
  // `postwireCode` marks the error as postwire's; lib/errors.js rebuilds it as its class.
  object.Set("postwireCode", Napi::Number::New(env, code));
  object.Set("code", Napi::String::New(env, postwire_code_name(code)));
  object.Set("retriable", Napi::Boolean::New(env, retriable));
  object.Set("fatal", Napi::Boolean::New(env, fatal));
  return js;
}

Napi::Error ErrorFrom(Napi::Env env, postwire_code code, const std::string& message) {
  return ErrorFrom(env, code, message, postwire_code_retriable(code) != 0,
                   postwire_code_fatal(code) != 0);
}

Napi::Error ErrorFrom(Napi::Env env, const postwire_error* error) {
  return ErrorFrom(env, postwire_error_code(error), postwire_error_message(error),
                   postwire_error_retriable(error) != 0, postwire_error_fatal(error) != 0);
}

void ThrowIfFailed(Napi::Env env, postwire_code code, postwire_error* error) {
  if (code == POSTWIRE_OK) {
    return;
  }
  Napi::Error js =
      error != nullptr ? ErrorFrom(env, error) : ErrorFrom(env, code, postwire_code_name(code));
  postwire_error_destroy(error);
  throw js;
}

void SavedError::Take(postwire_code status, postwire_error* error) {
  code = status;
  if (status != POSTWIRE_OK) {
    message = error != nullptr ? postwire_error_message(error) : postwire_code_name(status);
    retriable =
        (error != nullptr ? postwire_error_retriable(error) : postwire_code_retriable(status)) != 0;
    fatal = (error != nullptr ? postwire_error_fatal(error) : postwire_code_fatal(status)) != 0;
  }
  postwire_error_destroy(error);
}

Napi::Error SavedError::ToJs(Napi::Env env) const {
  return ErrorFrom(env, code, message, retriable, fatal);
}

}  // namespace postwire_node
