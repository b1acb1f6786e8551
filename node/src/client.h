// The native side of a Client: one postwire_client, its producer, and a watcher on its wakeup
// fd that hands every polled batch of events to JavaScript in one call.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <memory>
#include <vector>

#include "consumer_routes.h"
#include "fd_watcher.h"

namespace postwire_node {

class NativeClient : public Napi::ObjectWrap<NativeClient> {
 public:
  static Napi::Function Define(Napi::Env env);
  // connect(url, configPairs, onEvents) -> Promise<NativeClient>
  static Napi::Value Connect(const Napi::CallbackInfo& info);

  explicit NativeClient(const Napi::CallbackInfo& info);
  ~NativeClient() override;

 private:
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value SetReferenced(const Napi::CallbackInfo& info);
  Napi::Value Flush(const Napi::CallbackInfo& info);
  Napi::Value InFlight(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  // closedError(): after close, the error the core gives for the closed client.
  Napi::Value ClosedError(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Capabilities(const Napi::CallbackInfo& info);
  Napi::Value Subscribe(const Napi::CallbackInfo& info);
  Napi::Value DeclareQueue(const Napi::CallbackInfo& info);
  Napi::Value DeclareExchange(const Napi::CallbackInfo& info);
  Napi::Value Bind(const Napi::CallbackInfo& info);
  Napi::Value Unbind(const Napi::CallbackInfo& info);
  Napi::Value PurgeQueue(const Napi::CallbackInfo& info);
  Napi::Value DeleteQueue(const Napi::CallbackInfo& info);
  Napi::Value DeleteExchange(const Napi::CallbackInfo& info);

  postwire_client* Open(Napi::Env env) const;
  // Starts a BlockingCall that keeps this client (and its handle) alive until it ends;
  // `finally` runs as the call ends, whatever its outcome (BlockingCall::Finally).
  Napi::Promise Blocking(Napi::Env env, std::function<postwire_code(postwire_error**)> work,
                         std::function<Napi::Value(Napi::Env)> resolve = {},
                         std::function<void()> finally = {});
  void SendWithOptions(const char* destination, const Napi::CallbackInfo& info, uint64_t token,
                       postwire_error** error, postwire_code* code);
  // Polls the queued events, up to `max_batches` batches, and hands each batch to onEvents.
  // Never throws: what a listener throws becomes an uncaught exception, and nothing is taken
  // once JavaScript can no longer run (the environment is exiting).
  void DrainEvents(Napi::Env env, int max_batches);
  // Turns `count` polled events into one onEvents call, and frees them; messages go to their
  // consumers.
  void DeliverEvents(Napi::Env env, postwire_event** events, size_t count);
  // Takes the message out of a POSTWIRE_EVENT_MESSAGE event and routes it to its consumer by
  // id, adding the id to `routed_to` (once).
  void RouteMessage(postwire_event* event, std::vector<uint64_t>* routed_to);
  // Stops watching and frees the handles. Called on close, collection and environment exit.
  void Release();
  static void AtExit(void* self);

  postwire_client* client_ = nullptr;
  postwire_producer* producer_ = nullptr;
  postwire_outgoing* outgoing_ = nullptr;  // reused by every send with options
  std::unique_ptr<FdWatcher> watcher_;
  std::shared_ptr<ConsumerRoutes> routes_ = std::make_shared<ConsumerRoutes>();
  Napi::FunctionReference on_events_;
  bool at_exit_registered_ = false;  // AtExit is registered as an environment cleanup hook
  int blocking_calls_ = 0;           // BlockingCalls in flight; the handle is freed only at zero
  bool closing_ = false;
  bool released_ = false;  // Release() ran: the handles go as soon as no blocking call uses them
};

}  // namespace postwire_node
