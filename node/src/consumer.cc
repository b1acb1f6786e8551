#include "consumer.h"

#include <memory>
#include <string>
#include <utility>

#include "blocking_call.h"
#include "errors.h"
#include "js_guard.h"

namespace postwire_node {
namespace {

// Messages per postwire_consumer_poll_batch(): one crossing into JavaScript per batch.
constexpr size_t kMessageBatch = 512;

}  // namespace

Napi::Function NativeConsumer::Define(Napi::Env env) {
  return DefineClass(env, "NativeConsumer",
                     {
                         InstanceMethod<&NativeConsumer::Id>("id"),
                         InstanceMethod<&NativeConsumer::Start>("start"),
                         InstanceMethod<&NativeConsumer::Watch>("watch"),
                         InstanceMethod<&NativeConsumer::Close>("close"),
                         InstanceMethod<&NativeConsumer::Ack>("ack"),
                         InstanceMethod<&NativeConsumer::Nack>("nack"),
                         InstanceMethod<&NativeConsumer::DeadLetter>("deadLetter"),
                     });
}

NativeConsumer::NativeConsumer(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<NativeConsumer>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsExternal() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "postwire: consumers are made by Client.subscribe()");
  }
  postwire_consumer* consumer = info[0].As<Napi::External<postwire_consumer>>().Data();
  int fd = -1;
  postwire_error* error = nullptr;
  ThrowIfFailed(env, postwire_consumer_id(consumer, &id_, &error), error);
  ThrowIfFailed(env, postwire_consumer_wakeup_fd(consumer, &fd, &error), error);
  watcher_ = std::make_unique<FdWatcher>(env, fd, [this, env] { DrainMessages(env); });
  // Nothing throws from here on: the consumer is this object's to free, and the cleanup hook
  // names an object that exists.
  consumer_ = consumer;
  on_messages_ = Napi::Persistent(info[1].As<Napi::Function>());
  napi_add_env_cleanup_hook(env, AtExit, this);
  at_exit_registered_ = true;
}

NativeConsumer::~NativeConsumer() {
  if (at_exit_registered_) {
    napi_remove_env_cleanup_hook(Env(), AtExit, this);
  }
  Release();
}

void NativeConsumer::AtExit(void* self) {
  auto* object = static_cast<NativeConsumer*>(self);
  object->at_exit_registered_ = false;  // Node drops a hook once it has run
  object->Release();
}

void NativeConsumer::JoinRoutes(std::shared_ptr<ConsumerRoutes> routes) {
  routes_ = std::move(routes);
  routes_->Add(id_, this);
  for (postwire_message* message : routes_->Claim(id_)) {
    Route(message);
  }
}

void NativeConsumer::Route(postwire_message* message) {
  if (ended_ || closing_ || consumer_ == nullptr) {
    postwire_message_destroy(message);  // unsettled: the broker redelivers it
    return;
  }
  routed_.push_back(message);
}

void NativeConsumer::DeliverRouted(Napi::Env env) {
  if (!started_ || routed_.empty() || on_messages_.IsEmpty()) {
    return;
  }
  Napi::HandleScope scope(env);
  if (!CanCallIntoJs(env)) {
    return;  // the environment is exiting: they go with this object
  }
  try {
    MessageBatch batch(env);
    std::vector<postwire_message*> routed = std::move(routed_);
    routed_.clear();
    for (postwire_message* message : routed) {
      uint32_t slot = messages_.Add(message);
      batch.Add(env, message, slot, messages_.generation(slot));
    }
    Hand(env, batch, env.Null());
  } catch (const Napi::Error& thrown) {
    ReportUncaught(env, thrown);
  }
}

void NativeConsumer::LeaveRoutes() {
  if (routes_ != nullptr) {
    routes_->Remove(id_, this);
    routes_.reset();
  }
  for (postwire_message* message : routed_) {
    postwire_message_destroy(message);
  }
  routed_.clear();
}

Napi::Value NativeConsumer::Id(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(id_));
}

Napi::Value NativeConsumer::Start(const Napi::CallbackInfo& info) {
  started_ = true;
  DeliverRouted(info.Env());
  return info.Env().Undefined();
}

void NativeConsumer::Release() {
  released_ = true;
  LeaveRoutes();
  if (watcher_ != nullptr) {
    watcher_->Close();
    watcher_.reset();
  }
  if (consumer_ != nullptr && blocking_calls_ == 0) {
    messages_.Clear();
    postwire_consumer_destroy(consumer_);
    consumer_ = nullptr;
  }
}

Napi::Value NativeConsumer::Watch(const Napi::CallbackInfo& info) {
  if (watcher_ != nullptr && !ended_) {
    if (info[0].ToBoolean().Value()) {
      watcher_->Start();
    } else {
      watcher_->Stop();
    }
    watcher_->SetReferenced(info[1].ToBoolean().Value());
  }
  return info.Env().Undefined();
}

void NativeConsumer::DrainMessages(Napi::Env env) {
  if (consumer_ == nullptr || ended_ || on_messages_.IsEmpty()) {
    return;
  }
  Napi::HandleScope scope(env);
  if (!CanCallIntoJs(env)) {
    // The environment is exiting: the messages stay in the consumer, which the cleanup hook
    // frees (the broker redelivers them); stop watching so that the loop does not spin.
    watcher_->Stop();
    return;
  }
  try {
    DeliverMessages(env);
  } catch (const Napi::Error& thrown) {
    ReportUncaught(env, thrown);  // the iterator's callback threw: uncaught, as from any callback
  }
  if (ended_) {
    // Nothing more will be delivered: let the JS consumer (which the callback holds) be
    // collected, and this object with it.
    LeaveRoutes();
    on_messages_.Reset();
  }
}

void NativeConsumer::DeliverMessages(Napi::Env env) {
  postwire_message* messages[kMessageBatch];
  size_t count = 0;
  postwire_error* error = nullptr;
  postwire_code code =
      postwire_consumer_poll_batch(consumer_, messages, kMessageBatch, 0, &count, &error);
  Napi::Value failure = env.Null();
  MessageBatch batch(env);
  if (code == POSTWIRE_OK) {
    for (size_t i = 0; i < count; ++i) {
      uint32_t slot = messages_.Add(messages[i]);
      batch.Add(env, messages[i], slot, messages_.generation(slot));
    }
  } else {
    // Closed (by us or with the client) ends the iteration; anything else is its error. The
    // messages handed out stay in their slots, where settling one fails with the core's
    // closed error.
    ended_ = true;
    watcher_->Stop();
    std::unique_ptr<postwire_error, void (*)(postwire_error*)> owned(error, postwire_error_destroy);
    failure = ErrorFrom(env, error).Value();
  }
  if (code == POSTWIRE_OK && count == 0) {
    return;
  }
  Hand(env, batch, failure);
}

void NativeConsumer::Hand(Napi::Env env, const MessageBatch& batch, Napi::Value failure) {
  on_messages_.MakeCallback(Value(), {batch.Numbers(env), batch.Bodies(env), batch.Keys(env),
                                      batch.Ids(env), batch.ContentTypes(env), batch.Sources(env),
                                      batch.Headers(), batch.Positions(), failure});
}

uint32_t NativeConsumer::SlotOf(const Napi::CallbackInfo& info, postwire_message** message) {
  uint32_t slot = info[0].As<Napi::Number>().Uint32Value();
  uint32_t generation = info[1].As<Napi::Number>().Uint32Value();
  *message = messages_.Find(slot, generation);
  if (*message == nullptr) {
    // A settled message is freed at once, so the C ABI cannot be asked; a message of a closed
    // consumer is kept, and the C ABI answers closed when it is settled.
    throw ErrorFrom(info.Env(), POSTWIRE_ERR_INVALID_ARGUMENT,
                    "the message was already settled (ack, nack or deadLetter)");
  }
  return slot;
}

// A settled message has nothing more to give: it is freed at once. One that failed to settle
// stays, so that the error is the caller's to act on.
void NativeConsumer::Settled(const Napi::CallbackInfo& info, uint32_t slot, postwire_code code,
                             postwire_error* error) {
  ThrowIfFailed(info.Env(), code, error);
  messages_.Remove(slot);
}

Napi::Value NativeConsumer::Ack(const Napi::CallbackInfo& info) {
  postwire_message* message = nullptr;
  uint32_t slot = SlotOf(info, &message);
  postwire_error* error = nullptr;
  postwire_code code = postwire_message_ack(message, &error);
  Settled(info, slot, code, error);
  return info.Env().Undefined();
}

Napi::Value NativeConsumer::Nack(const Napi::CallbackInfo& info) {
  postwire_message* message = nullptr;
  uint32_t slot = SlotOf(info, &message);
  postwire_error* error = nullptr;
  postwire_code code =
      postwire_message_nack(message, info[2].As<Napi::Number>().Int64Value(), &error);
  Settled(info, slot, code, error);
  return info.Env().Undefined();
}

Napi::Value NativeConsumer::DeadLetter(const Napi::CallbackInfo& info) {
  postwire_message* message = nullptr;
  uint32_t slot = SlotOf(info, &message);
  std::string reason = info[2].As<Napi::String>().Utf8Value();
  postwire_error* error = nullptr;
  postwire_code code = postwire_message_dead_letter(message, reason.c_str(), &error);
  Settled(info, slot, code, error);
  return info.Env().Undefined();
}

Napi::Value NativeConsumer::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (consumer_ == nullptr) {
    throw Napi::Error::New(env, "postwire: the consumer's handle was freed");
  }
  postwire_consumer* consumer = consumer_;
  closing_ = true;
  LeaveRoutes();  // what was routed here and not handed out goes back to the broker
  ++blocking_calls_;
  return BlockingCall::Start(
      env, Value(),
      [consumer](postwire_error** error) { return postwire_consumer_close(consumer, error); }, {},
      [this] {
        --blocking_calls_;
        // Closed: nothing more arrives, so the watching and the callback (which holds the JS
        // consumer) go. The handle and the messages handed out stay until this object is
        // collected, so that settling one of them fails with the core's closed error.
        ended_ = true;
        on_messages_.Reset();
        if (watcher_ != nullptr) {
          watcher_->Close();
          watcher_.reset();
        }
        if (released_) {
          Release();  // released while the close ran: free the handle now
        }
      });
}

}  // namespace postwire_node
