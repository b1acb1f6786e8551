#include "blocking_call.h"

#include <utility>

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
  call->Queue();  // the worker deletes itself after OnOK/OnError
  return promise;
}

void BlockingCall::Execute() {
  postwire_error* error = nullptr;
  postwire_code code = work_(&error);
  error_.Take(code, error);
}

void BlockingCall::OnOK() {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  if (finally_) {
    finally_();
  }
  if (error_.failed()) {
    deferred_.Reject(error_.ToJs(env).Value());
    return;
  }
  try {
    deferred_.Resolve(resolve_ ? resolve_(env) : env.Undefined());
  } catch (const Napi::Error& error) {
    deferred_.Reject(error.Value());
  }
}

void BlockingCall::OnError(const Napi::Error& error) {
  if (finally_) {
    finally_();
  }
  deferred_.Reject(error.Value());
}

}  // namespace postwire_node
