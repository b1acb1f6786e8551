// The native side of a Consumer: one postwire_consumer and a watcher on its own wakeup fd.
//
// Each consumer polls its own fd (not POSTWIRE_SUBSCRIBE_TO_EVENTS): messages then reach the
// iterator they belong to without any routing, and a consumer whose JS buffer is full simply
// stops watching, leaving the rest to the broker's prefetch bound.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <memory>

#include "fd_watcher.h"
#include "message_slots.h"

namespace postwire_node {

class NativeConsumer : public Napi::ObjectWrap<NativeConsumer> {
 public:
  static Napi::Function Define(Napi::Env env);

  explicit NativeConsumer(const Napi::CallbackInfo& info);
  ~NativeConsumer() override;

 private:
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
  void Release();
  static void AtExit(void* self);

  postwire_consumer* consumer_ = nullptr;
  std::unique_ptr<FdWatcher> watcher_;
  MessageSlots messages_;  // handed to JavaScript, not yet settled
  Napi::FunctionReference on_messages_;
  bool at_exit_registered_ = false;  // AtExit is registered as an environment cleanup hook
  int blocking_calls_ = 0;
  bool ended_ = false;
  bool released_ = false;  // Release() ran: the handle goes as soon as no close uses it
};

}  // namespace postwire_node
