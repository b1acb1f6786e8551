// Turning postwire errors into JavaScript values. lib/errors.js gives them their classes.
#pragma once

#include <napi.h>
#include <postwire.h>

namespace postwire_node {

// An Error carrying the postwire code (number and name), retriable and fatal, as the JS layer
// expects them; does not take ownership of `error`.
Napi::Error ErrorFrom(Napi::Env env, const postwire_error* error);
// The same from parts, for errors copied out of a worker thread.
Napi::Error ErrorFrom(Napi::Env env, postwire_code code, const std::string& message, bool retriable,
                      bool fatal);

// Throws (as a C++ exception that node-addon-api turns into a JS throw) when `code` is not
// POSTWIRE_OK, destroying `error`.
void ThrowIfFailed(Napi::Env env, postwire_code code, postwire_error* error);

// An error of the addon's own with `code`'s default flags (postwire_code_retriable() and
// postwire_code_fatal()), so that they agree with the core's.
Napi::Error ErrorFrom(Napi::Env env, postwire_code code, const std::string& message);

// An error saved on a worker thread, turned into a JS Error on the main thread.
struct SavedError {
  postwire_code code = POSTWIRE_OK;
  std::string message;
  bool retriable = false;
  bool fatal = false;

  // Copies and destroys `error` (when `code` is not OK).
  void Take(postwire_code status, postwire_error* error);
  bool failed() const { return code != POSTWIRE_OK; }
  Napi::Error ToJs(Napi::Env env) const;
};

}  // namespace postwire_node
