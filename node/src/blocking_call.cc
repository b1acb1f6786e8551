#include "blocking_call.h"

#include <utility>

#include "js_guard.h"

namespace postwire_node {

BlockingCall::BlockingCall(Napi::Env env, Napi::Object keep_alive, Work work, Resolve resolve,
                           Finally finally)
    : Napi::AsyncWorker(env, "postwire"),
      deferred_(Napi::Promise::Deferred::New(env)),
      work_(std::move(work)),
      resolve_(std::move(resolve)),
      finally_(std::move(finally)) {
  if (!keep_alive.IsEmpty()) {
    keep_alive_ = Napi::Persistent(keep_alive);
  }
}

Napi::Promise BlockingCall::Start(Napi::Env env, Napi::Object keep_alive, Work work,
                                  Resolve resolve, Finally finally) {
  auto* call =
      new BlockingCall(env, keep_alive, std::move(work), std::move(resolve), std::move(finally));
  Napi::Promise promise = call->deferred_.Promise();
  call->Queue();  // deleted by OnWorkComplete
  return promise;
}

void BlockingCall::Execute() {
  postwire_error* error = nullptr;
  postwire_code code = work_(&error);
  error_.Take(code, error);
}

void BlockingCall::OnWorkComplete(Napi::Env env, napi_status status) {
  try {
    if (finally_) {
      finally_();
    }
    if (status != napi_cancelled) {
      Napi::HandleScope scope(env);
      if (CanCallIntoJs(env)) {
        Settle(env);
      }
    }
  } catch (const Napi::Error& error) {
    ReportUncaught(env, error);
  } catch (...) {  // nothing may reach libuv
  }
  delete this;
}

void BlockingCall::Settle(Napi::Env env) {
  if (error_.failed()) {
    deferred_.Reject(error_.ToJs(env).Value());
    return;
  }
  Napi::Value result;
  try {
    result = resolve_ ? resolve_(env) : env.Undefined();
  } catch (const Napi::Error& error) {
    deferred_.Reject(error.Value());
    return;
  }
  deferred_.Resolve(result);
}

}  // namespace postwire_node
