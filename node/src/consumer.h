// The native side of a Consumer: one postwire_consumer and a watcher on its own wakeup fd.
//
// A consumer polls its own fd by default: its messages then reach the iterator they belong to
// without any routing, and a consumer whose JS buffer is full simply stops watching, leaving
// the rest to the broker's prefetch bound. One subscribed with deliver_as_events gets its
// messages from the client's event poll instead, routed to it by its id (consumer_routes.h),
// and handed to JavaScript the same way; its own fd becomes readable only once it is closed
// (by close() or its client's), which ends its iteration as it ends any consumer's.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <memory>
#include <vector>

#include "consumer_routes.h"
#include "fd_watcher.h"
#include "message_batch.h"
#include "message_slots.h"

namespace postwire_node {

class NativeConsumer : public Napi::ObjectWrap<NativeConsumer> {
 public:
  static Napi::Function Define(Napi::Env env);

  explicit NativeConsumer(const Napi::CallbackInfo& info);
  ~NativeConsumer() override;

  // Joins its client's routes, and takes the messages polled for it before it existed.
  void JoinRoutes(std::shared_ptr<ConsumerRoutes> routes);
  // A message of this consumer from the client's events; this object owns it from here.
  void Route(postwire_message* message);
  // Hands the routed messages to JavaScript (once it is ready for them, see start()). Never
  // throws: what the callback throws becomes an uncaught exception.
  void DeliverRouted(Napi::Env env);

 private:
  // id(): postwire_consumer_id, unique among its client's consumers.
  Napi::Value Id(const Napi::CallbackInfo& info);
  // start(): JavaScript is ready for messages: those routed here before are handed over now,
  // later ones as they come.
  Napi::Value Start(const Napi::CallbackInfo& info);
  // watch(active, referenced): whether to take messages, and whether that keeps Node alive.
  Napi::Value Watch(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  // ack(slot, generation), nack(slot, generation, delayMs), deadLetter(slot, generation,
  // reason): settle one message handed out by this consumer, and free it.
  Napi::Value Ack(const Napi::CallbackInfo& info);
  Napi::Value Nack(const Napi::CallbackInfo& info);
  Napi::Value DeadLetter(const Napi::CallbackInfo& info);

  // The message named by info[0], info[1]; throws invalid_argument when it was settled.
  uint32_t SlotOf(const Napi::CallbackInfo& info, postwire_message** message);
  void Settled(const Napi::CallbackInfo& info, uint32_t slot, postwire_code code,
               postwire_error* error);

  // Takes a batch of messages (or the error that ended the consumer) and hands it to
  // JavaScript. Never throws: what the callback throws becomes an uncaught exception, and
  // nothing is taken once JavaScript can no longer run (the environment is exiting).
  void DrainMessages(Napi::Env env);
  void DeliverMessages(Napi::Env env);
  // onMessages(numbers, bodies, keys, ids, contentTypes, sources, headers, positions, error).
  void Hand(Napi::Env env, const MessageBatch& batch, Napi::Value failure);
  // Leaves the routes and frees what was routed here and not handed out (unsettled: the
  // broker redelivers it): nothing more is delivered.
  void LeaveRoutes();
  void Release();
  static void AtExit(void* self);

  postwire_consumer* consumer_ = nullptr;
  std::unique_ptr<FdWatcher> watcher_;
  uint64_t id_ = 0;
  MessageSlots messages_;  // handed to JavaScript, not yet settled
  std::shared_ptr<ConsumerRoutes> routes_;
  std::vector<postwire_message*> routed_;  // routed here, not yet handed to JavaScript
  bool started_ = false;                   // start() was called
  bool closing_ = false;                   // close() was called
  Napi::FunctionReference on_messages_;
  bool at_exit_registered_ = false;  // AtExit is registered as an environment cleanup hook
  int blocking_calls_ = 0;
  bool ended_ = false;
  bool released_ = false;  // Release() ran: the handle goes as soon as no close uses it
};

}  // namespace postwire_node
