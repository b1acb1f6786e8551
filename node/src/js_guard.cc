#include "js_guard.h"

namespace postwire_node {

bool CanCallIntoJs(Napi::Env env) noexcept {
  // napi_strict_equals is one of the calls that may run JavaScript, so Node-API refuses it
  // (napi_pending_exception, or napi_cannot_run_js from Node-API 10) once JavaScript can no
  // longer run; it has no effect otherwise.
  napi_value undefined = nullptr;
  if (napi_get_undefined(env, &undefined) != napi_ok) {
    return false;
  }
  bool same = false;
  return napi_strict_equals(env, undefined, undefined, &same) == napi_ok;
}

void ReportUncaught(Napi::Env env, const Napi::Error& error) noexcept {
  try {
    napi_value value = error.Value();
    if (value != nullptr && CanCallIntoJs(env)) {
      napi_fatal_exception(env, value);
    }
  } catch (...) {  // nothing more can be reported
  }
}

}  // namespace postwire_node
