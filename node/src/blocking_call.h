// Runs a postwire call that blocks (connect, close, flush, subscribe, topology) on libuv's
// thread pool and settles a Promise with its outcome on the main thread, so the event loop never
// waits on the broker.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <functional>

#include "errors.h"

namespace postwire_node {

class BlockingCall : public Napi::AsyncWorker {
 public:
  // Runs on a pool thread; returns the postwire status and fills *error on failure.
  using Work = std::function<postwire_code(postwire_error** error)>;
  // Runs on the main thread after a successful `work`; returns what the Promise resolves to.
  using Resolve = std::function<Napi::Value(Napi::Env env)>;
  // Runs on the main thread after `work`, whatever its outcome (before the Promise settles),
  // also when the environment is exiting; must not throw.
  using Finally = std::function<void()>;

  // Queues `work` and returns its Promise. `keep_alive` (may be empty) is held until the call
  // ends, so the handle `work` uses cannot be collected meanwhile.
  static Napi::Promise Start(Napi::Env env, Napi::Object keep_alive, Work work, Resolve resolve,
                             Finally finally = {});

 protected:
  void Execute() override;
  // Runs `finally`, then settles the Promise unless JavaScript can no longer run (the
  // environment is exiting); never throws into libuv. Deletes the call.
  void OnWorkComplete(Napi::Env env, napi_status status) override;

 private:
  // Rejects with the work's error, or resolves with what `resolve` makes (rejecting with what
  // it throws).
  void Settle(Napi::Env env);

  BlockingCall(Napi::Env env, Napi::Object keep_alive, Work work, Resolve resolve, Finally finally);

  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference keep_alive_;
  Work work_;
  Resolve resolve_;
  Finally finally_;
  SavedError error_;
};

}  // namespace postwire_node
