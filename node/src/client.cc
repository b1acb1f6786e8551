#include "client.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "addon.h"
#include "blocking_call.h"
#include "constants.h"
#include "consumer.h"
#include "errors.h"
#include "js_guard.h"
#include "options.h"
#include "report_batch.h"

namespace postwire_node {
namespace {

// Events taken per postwire_client_poll() call, and batches per wakeup: enough to amortise the
// crossing into JavaScript, few enough to let other callbacks of the loop run in between.
constexpr size_t kEventBatch = 1024;
constexpr int kBatchesPerWakeup = 8;

// The consumer an event belongs to, as a number (ids count up from 1, far below 2^53).
Napi::Value ConsumerIdOf(Napi::Env env, const postwire_event* event) {
  uint64_t id = 0;
  postwire_event_consumer_id(event, &id, nullptr);
  return Napi::Number::New(env, static_cast<double>(id));
}

// Any other event, as { type, ... } for the Client's EventEmitter; `type` is the event kind's
// name in the constants table (constants.cc), which lib/client.js emits it by.
Napi::Object OtherEvent(Napi::Env env, int32_t type, postwire_event* event) {
  Napi::Object object = Napi::Object::New(env);
  const postwire_error* carried = nullptr;
  postwire_event_error(event, &carried, nullptr);
  if (carried != nullptr) {
    object.Set("error", ErrorFrom(env, carried).Value());
  }
  object.Set("type", NameOf(EventKinds(), type));
  switch (type) {
    case POSTWIRE_EVENT_ERROR:
      break;
    case POSTWIRE_EVENT_LOG: {
      int32_t level = 0;
      const char* category = "";
      const char* text = "";
      postwire_event_log(event, &level, &category, &text, nullptr);
      object.Set("level", NameOf(LogLevels(), level));
      object.Set("category", category);
      object.Set("text", text);
      break;
    }
    case POSTWIRE_EVENT_CONSUMER: {
      const char* source = "";
      int32_t state = 0;
      postwire_event_consumer(event, &source, &state, nullptr);
      object.Set("consumerId", ConsumerIdOf(env, event));
      object.Set("source", source);
      object.Set("state", NameOf(ConsumerStates(), state));
      break;
    }
    case POSTWIRE_EVENT_SOURCES_ASSIGNED:
    case POSTWIRE_EVENT_SOURCES_REVOKED: {
      uint64_t consumer_id = 0;
      const char* source = "";
      const int32_t* partitions = nullptr;
      size_t partition_count = 0;
      postwire_event_assignment(event, &consumer_id, &source, &partitions, &partition_count,
                                nullptr);
      Napi::Array numbers = Napi::Array::New(env, partition_count);
      for (size_t i = 0; i < partition_count; ++i) {
        numbers.Set(static_cast<uint32_t>(i), Napi::Number::New(env, partitions[i]));
      }
      object.Set("consumerId", Napi::Number::New(env, static_cast<double>(consumer_id)));
      object.Set("source", source != nullptr ? source : "");
      object.Set("partitions", numbers);
      break;
    }
    case POSTWIRE_EVENT_FLOW: {
      int blocked = 0;
      const char* reason = "";
      postwire_event_flow(event, &blocked, &reason, nullptr);
      object.Set("blocked", blocked != 0);
      object.Set("reason", reason);
      break;
    }
    case POSTWIRE_EVENT_CONNECTION: {
      int32_t state = 0;
      const char* broker = "";
      postwire_event_connection(event, &state, &broker, nullptr);
      object.Set("state", NameOf(ConnectionStates(), state));
      object.Set("broker", broker);
      break;
    }
    default:
      object.Set("kind", type);  // a kind newer than this addon: its type is "unknown"
  }
  return object;
}

// Bytes of a Buffer/Uint8Array, or of a string (kept alive in `text`).
struct Bytes {
  const void* data = nullptr;
  size_t size = 0;
  std::string text;
};

bool ReadBytes(const Napi::Value& value, Bytes* bytes) {
  if (value.IsString()) {
    bytes->text = value.As<Napi::String>().Utf8Value();
    bytes->data = bytes->text.data();
    bytes->size = bytes->text.size();
    return true;
  }
  if (value.IsTypedArray()) {
    Napi::TypedArray array = value.As<Napi::TypedArray>();
    bytes->data = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    bytes->size = array.ByteLength();
    return true;
  }
  return false;
}

}  // namespace

Napi::Function NativeClient::Define(Napi::Env env) {
  return DefineClass(env, "NativeClient",
                     {
                         InstanceMethod<&NativeClient::Send>("send"),
                         InstanceMethod<&NativeClient::SetReferenced>("setReferenced"),
                         InstanceMethod<&NativeClient::Flush>("flush"),
                         InstanceMethod<&NativeClient::InFlight>("inFlight"),
                         InstanceMethod<&NativeClient::Close>("close"),
                         InstanceMethod<&NativeClient::ClosedError>("closedError"),
                         InstanceMethod<&NativeClient::Stats>("stats"),
                         InstanceMethod<&NativeClient::Capabilities>("capabilities"),
                         InstanceMethod<&NativeClient::Subscribe>("subscribe"),
                         InstanceMethod<&NativeClient::DeclareQueue>("declareQueue"),
                         InstanceMethod<&NativeClient::DeclareExchange>("declareExchange"),
                         InstanceMethod<&NativeClient::Bind>("bind"),
                         InstanceMethod<&NativeClient::Unbind>("unbind"),
                         InstanceMethod<&NativeClient::PurgeQueue>("purgeQueue"),
                         InstanceMethod<&NativeClient::DeleteQueue>("deleteQueue"),
                         InstanceMethod<&NativeClient::DeleteExchange>("deleteExchange"),
                     });
}

Napi::Value NativeClient::Connect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string url = info[0].As<Napi::String>().Utf8Value();
  StringPairs settings = StringPairs::From(info[1]);
  Napi::Function on_events = info[2].As<Napi::Function>();

  // Options are checked here, before anything blocks, so a bad key fails at once.
  postwire_config* raw_config = nullptr;
  postwire_error* error = nullptr;
  ThrowIfFailed(env, postwire_config_new(&raw_config, &error), error);
  std::shared_ptr<postwire_config> config(raw_config, postwire_config_destroy);
  for (size_t i = 0; i < settings.pair_count(); ++i) {
    postwire_code code = postwire_config_set(config.get(), settings.data()[2 * i],
                                             settings.data()[2 * i + 1], &error);
    ThrowIfFailed(env, code, error);
  }

  // The connected client until a NativeClient takes it; freed here when none does (the
  // environment exited while connecting, or the object could not be made).
  struct Connected {
    postwire_client* client = nullptr;
    ~Connected() { postwire_client_destroy(client); }
  };
  auto connected = std::make_shared<Connected>();
  auto on_events_ref = std::make_shared<Napi::FunctionReference>(Napi::Persistent(on_events));
  return BlockingCall::Start(
      env, Napi::Object(),
      [url, config, connected](postwire_error** failure) {
        return postwire_client_connect(url.c_str(), config.get(), &connected->client, failure);
      },
      [connected, on_events_ref](Napi::Env env) -> Napi::Value {
        Napi::Value made = DataOf(env).client_constructor.New(
            {Napi::External<postwire_client>::New(env, connected->client), on_events_ref->Value()});
        connected->client = nullptr;  // the NativeClient owns it now
        return made;
      });
}

NativeClient::NativeClient(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeClient>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsExternal() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "postwire: clients are made by connect()");
  }
  postwire_client* client = info[0].As<Napi::External<postwire_client>>().Data();
  postwire_error* error = nullptr;
  int fd = -1;
  ThrowIfFailed(env, postwire_client_producer(client, &producer_, &error), error);
  ThrowIfFailed(env, postwire_outgoing_new(&outgoing_, &error), error);
  ThrowIfFailed(env, postwire_client_wakeup_fd(client, &fd, &error), error);
  watcher_ =
      std::make_unique<FdWatcher>(env, fd, [this, env] { DrainEvents(env, kBatchesPerWakeup); });
  // Nothing throws from here on: the client is this object's to free, and the cleanup hook
  // names an object that exists.
  client_ = client;
  on_events_ = Napi::Persistent(info[1].As<Napi::Function>());
  napi_add_env_cleanup_hook(env, AtExit, this);
  at_exit_registered_ = true;
  watcher_->Start();
}

NativeClient::~NativeClient() {
  if (at_exit_registered_) {
    napi_remove_env_cleanup_hook(Env(), AtExit, this);
  }
  Release();
}

void NativeClient::AtExit(void* self) {
  auto* object = static_cast<NativeClient*>(self);
  object->at_exit_registered_ = false;  // Node drops a hook once it has run
  object->Release();
}

void NativeClient::Release() {
  released_ = true;
  if (watcher_ != nullptr) {
    watcher_->Close();
    watcher_.reset();
  }
  if (client_ == nullptr) {
    return;
  }
  // Thread-safe, so it may run while a blocking call uses the client on a pool thread; the
  // handles are freed only when none does (at process exit they may then stay allocated).
  postwire_error* ignored = nullptr;
  postwire_client_close(client_, 0, &ignored);  // fails with closed when closed already
  postwire_error_destroy(ignored);
  if (blocking_calls_ == 0) {
    postwire_outgoing_destroy(outgoing_);
    postwire_producer_destroy(producer_);
    postwire_client_destroy(client_);
    outgoing_ = nullptr;
    producer_ = nullptr;
    client_ = nullptr;
  }
}

postwire_client* NativeClient::Open(Napi::Env env) const {
  // The handles outlive close() (a closed client still answers stats, and refuses the rest
  // with the core's own closed error); they go only with this object or its environment.
  if (client_ == nullptr) {
    throw Napi::Error::New(env, "postwire: the client's handle was freed");
  }
  return client_;
}

Napi::Promise NativeClient::Blocking(Napi::Env env,
                                     std::function<postwire_code(postwire_error**)> work,
                                     std::function<Napi::Value(Napi::Env)> resolve,
                                     std::function<void()> finally) {
  Open(env);
  ++blocking_calls_;
  return BlockingCall::Start(env, Value(), std::move(work), std::move(resolve), [this, finally] {
    if (finally) {
      finally();
    }
    --blocking_calls_;
    if (released_ && blocking_calls_ == 0 && client_ != nullptr) {
      Release();  // released while this call ran: free the handles now
    }
  });
}

// Sends never block the event loop: without room in the send buffer a message waits in the
// core's line (postwire_producer_send_nowait), in order, for up to max.block.ms.
Napi::Value NativeClient::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  postwire_producer* producer = producer_;
  if (producer == nullptr) {
    throw Napi::Error::New(env, "postwire: the client's handle was freed");
  }
  // Destinations are short: read into the stack, falling back to the heap for long ones.
  char stack_destination[256];
  size_t length = 0;
  napi_get_value_string_utf8(env, info[0], stack_destination, sizeof stack_destination, &length);
  std::string long_destination;
  const char* destination = stack_destination;
  if (length + 1 >= sizeof stack_destination) {
    long_destination = info[0].As<Napi::String>().Utf8Value();
    destination = long_destination.c_str();
  }
  auto token = static_cast<uint64_t>(info[2].As<Napi::Number>().DoubleValue());
  postwire_error* error = nullptr;
  postwire_code code = POSTWIRE_OK;
  if (info.Length() > 4 && info[4].IsObject()) {
    SendWithOptions(destination, info, token, &error, &code);
  } else {
    Bytes body;
    Bytes key;
    ReadBytes(info[1], &body);
    ReadBytes(info[3], &key);
    code = postwire_producer_send_bytes_nowait(producer, destination, body.data, body.size,
                                               key.data, key.size, token, &error);
  }
  ThrowIfFailed(env, code, error);
  return env.Undefined();
}

void NativeClient::SendWithOptions(const char* destination, const Napi::CallbackInfo& info,
                                   uint64_t token, postwire_error** error, postwire_code* code) {
  Napi::Object options = info[4].As<Napi::Object>();
  Bytes body;
  Bytes key;
  ReadBytes(info[1], &body);
  ReadBytes(info[3], &key);
  postwire_outgoing* message = outgoing_;
  postwire_outgoing_clear(message, nullptr);
  // The first failing setter's error is the one reported; the rest are skipped.
  auto step = [code](postwire_code result) {
    *code = result;
    return result == POSTWIRE_OK;
  };
  if (step(postwire_outgoing_set_body(message, body.data, body.size, error)) && key.size > 0) {
    step(postwire_outgoing_set_key(message, key.data, key.size, error));
  }
  Napi::Value id = options.Get("id");
  if (id.IsString() && *code == POSTWIRE_OK) {
    step(postwire_outgoing_set_id(message, id.As<Napi::String>().Utf8Value().c_str(), error));
  }
  Napi::Value content_type = options.Get("contentType");
  if (content_type.IsString() && *code == POSTWIRE_OK) {
    step(postwire_outgoing_set_content_type(
        message, content_type.As<Napi::String>().Utf8Value().c_str(), error));
  }
  Napi::Value priority = options.Get("priority");
  if (priority.IsNumber() && *code == POSTWIRE_OK) {
    step(postwire_outgoing_set_priority(message, priority.As<Napi::Number>().Int32Value(), error));
  }
  Napi::Value ttl = options.Get("ttlMs");
  if (ttl.IsNumber() && *code == POSTWIRE_OK) {
    step(postwire_outgoing_set_ttl(message, ttl.As<Napi::Number>().Int64Value(), error));
  }
  Napi::Value timestamp = options.Get("timestamp");
  if (timestamp.IsNumber() && *code == POSTWIRE_OK) {
    step(
        postwire_outgoing_set_timestamp(message, timestamp.As<Napi::Number>().Int64Value(), error));
  }
  Napi::Value persistent = options.Get("persistent");
  if (persistent.IsBoolean() && *code == POSTWIRE_OK) {
    step(postwire_outgoing_set_persistent(message, persistent.As<Napi::Boolean>().Value() ? 1 : 0,
                                          error));
  }
  // Headers arrive flattened as [name, value, name, value, ...] (lib/ keeps their order).
  Napi::Value headers = options.Get("headers");
  if (headers.IsArray() && *code == POSTWIRE_OK) {
    Napi::Array list = headers.As<Napi::Array>();
    for (uint32_t i = 0; i + 1 < list.Length() && *code == POSTWIRE_OK; i += 2) {
      std::string name = list.Get(i).As<Napi::String>().Utf8Value();
      Bytes value;
      ReadBytes(list.Get(i + 1), &value);
      step(postwire_outgoing_add_header(message, name.c_str(), value.data, value.size, error));
    }
  }
  if (*code == POSTWIRE_OK) {
    *code = postwire_producer_send_nowait(producer_, destination, message, token, error);
  }
  if (*code != POSTWIRE_OK) {
    postwire_outgoing_clear(message, nullptr);
  }
}

void NativeClient::DrainEvents(Napi::Env env, int max_batches) {
  if (client_ == nullptr || on_events_.IsEmpty()) {
    return;
  }
  Napi::HandleScope scope(env);
  if (!CanCallIntoJs(env)) {
    // The environment is exiting (Node closes its handles after the last JavaScript ran):
    // nothing could receive the events. They stay queued and go with the client, which the
    // cleanup hook (AtExit) frees; stop watching so that the loop does not spin on the fd.
    if (watcher_ != nullptr) {
      watcher_->Stop();
    }
    return;
  }
  postwire_event* events[kEventBatch];
  for (int batch = 0; batch < max_batches; ++batch) {
    size_t count = 0;
    postwire_error* error = nullptr;
    if (postwire_client_poll(client_, events, kEventBatch, 0, &count, &error) != POSTWIRE_OK) {
      postwire_error_destroy(error);
      return;
    }
    if (count == 0) {
      // A closed client's fd stays readable: once its last events are taken, stop watching.
      if (closing_ && watcher_ != nullptr) {
        watcher_->Stop();
      }
      return;
    }
    try {
      DeliverEvents(env, events, count);
    } catch (const Napi::Error& thrown) {
      // A listener threw (or a value could not be made): an uncaught exception, as from any
      // callback. The rest of the batch was delivered or freed all the same.
      ReportUncaught(env, thrown);
      return;
    }
    if (count < kEventBatch || client_ == nullptr) {
      return;
    }
  }
}

void NativeClient::DeliverEvents(Napi::Env env, postwire_event** events, size_t count) {
  Napi::HandleScope scope(env);
  // Every event is freed whatever happens while the batch is made or delivered.
  struct Events {
    postwire_event** events;
    size_t count;
    ~Events() {
      for (size_t i = 0; i < count; ++i) {
        postwire_event_destroy(events[i]);
      }
    }
  } owned{events, count};
  ReportBatch reports(env);
  Napi::Array others = Napi::Array::New(env);
  uint32_t other_count = 0;
  std::vector<uint64_t> routed_to;
  routes_->DropUnclaimedIfIdle();
  for (size_t i = 0; i < count; ++i) {
    int32_t type = 0;
    postwire_event_type_of(events[i], &type, nullptr);
    if (type == POSTWIRE_EVENT_DELIVERY_REPORT) {
      reports.Add(env, events[i]);
    } else if (type == POSTWIRE_EVENT_MESSAGE) {
      RouteMessage(events[i], &routed_to);
    } else {
      others.Set(other_count++, OtherEvent(env, type, events[i]));
    }
  }
  // Each consumer's messages in one batch. Looked up again for each, as JavaScript runs in
  // between (a consumer closed and collected there has left the routes).
  for (uint64_t id : routed_to) {
    if (NativeConsumer* consumer = routes_->Find(id)) {
      consumer->DeliverRouted(env);
    }
  }
  on_events_.MakeCallback(Value(),
                          {reports.Numbers(env), reports.Ids(env), reports.Destinations(env),
                           reports.Failures(), others, reports.Positions()});
}

void NativeClient::RouteMessage(postwire_event* event, std::vector<uint64_t>* routed_to) {
  uint64_t id = 0;
  postwire_message* message = nullptr;
  if (postwire_event_consumer_id(event, &id, nullptr) != POSTWIRE_OK ||
      postwire_event_take_message(event, &message, nullptr) != POSTWIRE_OK) {
    return;  // freed with the event
  }
  NativeConsumer* consumer = routes_->Find(id);
  if (consumer == nullptr) {
    routes_->Unclaimed(id, message);
    return;
  }
  consumer->Route(message);
  if (std::find(routed_to->begin(), routed_to->end(), id) == routed_to->end()) {
    routed_to->push_back(id);
  }
}

Napi::Value NativeClient::SetReferenced(const Napi::CallbackInfo& info) {
  if (watcher_ != nullptr) {
    watcher_->SetReferenced(info[0].ToBoolean().Value());
  }
  return info.Env().Undefined();
}

Napi::Value NativeClient::Flush(const Napi::CallbackInfo& info) {
  int64_t timeout_ms = info[0].As<Napi::Number>().Int64Value();
  postwire_producer* producer = producer_;
  // Flushing only waits until the reports are queued; draining them before the Promise
  // resolves means every send made before flush() has settled by then.
  return Blocking(
      info.Env(),
      [producer, timeout_ms](postwire_error** error) {
        return postwire_producer_flush(producer, timeout_ms, error);
      },
      [this](Napi::Env env) {
        DrainEvents(env, std::numeric_limits<int>::max());
        return env.Undefined();
      });
}

Napi::Value NativeClient::InFlight(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t count = 0;
  postwire_error* error = nullptr;
  if (producer_ == nullptr) {
    return Napi::Number::New(env, 0);
  }
  ThrowIfFailed(env, postwire_producer_in_flight(producer_, &count, &error), error);
  return Napi::Number::New(env, static_cast<double>(count));
}

Napi::Value NativeClient::Close(const Napi::CallbackInfo& info) {
  int64_t timeout_ms = info[0].As<Napi::Number>().Int64Value();
  postwire_client* client = Open(info.Env());
  closing_ = true;
  return Blocking(
      info.Env(),
      [client, timeout_ms](postwire_error** error) {
        return postwire_client_close(client, timeout_ms, error);
      },
      [this](Napi::Env env) {
        // Every report left, the failed ones of messages still unconfirmed among them: no
        // wakeup follows, as the watching stops here.
        DrainEvents(env, std::numeric_limits<int>::max());
        if (watcher_ != nullptr) {
          watcher_->Close();
          watcher_.reset();
        }
        on_events_.Reset();
        return env.Undefined();
      });
}

Napi::Value NativeClient::ClosedError(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Closing a closed client fails at once, with the core's closed error: its code, message
  // and flags are the ones every language reports.
  postwire_client* client = Open(env);
  postwire_error* error = nullptr;
  if (postwire_client_close(client, 0, &error) == POSTWIRE_OK &&  // it was still open
      postwire_client_close(client, 0, &error) == POSTWIRE_OK) {
    throw Napi::Error::New(env, "postwire: a closed client closed again without error");
  }
  Napi::Value js = ErrorFrom(env, error).Value();
  postwire_error_destroy(error);
  return js;
}

Napi::Value NativeClient::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  char* json = nullptr;
  postwire_error* error = nullptr;
  ThrowIfFailed(env, postwire_client_stats(Open(env), &json, &error), error);
  Napi::String text = Napi::String::New(env, json);
  postwire_free(json);
  return text;
}

Napi::Value NativeClient::Capabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t bits = 0;
  postwire_error* error = nullptr;
  ThrowIfFailed(env, postwire_client_capabilities(Open(env), &bits, &error), error);
  return Napi::Number::New(env, static_cast<double>(bits));
}

Napi::Value NativeClient::Subscribe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string source = info[0].As<Napi::String>().Utf8Value();
  // Every option, typed or by name, as [key, value, ...] (lib/ builds it); the core reads them.
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[1]));
  auto on_messages =
      std::make_shared<Napi::FunctionReference>(Napi::Persistent(info[2].As<Napi::Function>()));
  // The consumer until a NativeConsumer takes it; freed here when none does.
  struct Subscribed {
    postwire_consumer* consumer = nullptr;
    ~Subscribed() { postwire_consumer_destroy(consumer); }
  };
  auto subscribed = std::make_shared<Subscribed>();
  postwire_client* client = Open(env);
  std::shared_ptr<ConsumerRoutes> routes = routes_;
  routes->SubscribeStarted();
  return Blocking(
      env,
      [client, source, options, subscribed](postwire_error** error) {
        return postwire_client_subscribe_with_options(client, source.c_str(), options->data(),
                                                      options->pair_count(), &subscribed->consumer,
                                                      error);
      },
      // Runs after `finally` below, in the same turn: no events are polled in between.
      [subscribed, on_messages, routes](Napi::Env env) -> Napi::Value {
        Napi::Value handle = Napi::External<postwire_consumer>::New(env, subscribed->consumer);
        Napi::Object made =
            DataOf(env).consumer_constructor.New({handle, on_messages->Value()}).As<Napi::Object>();
        subscribed->consumer = nullptr;  // the NativeConsumer owns it now
        NativeConsumer::Unwrap(made)->JoinRoutes(routes);
        routes->DropUnclaimedIfIdle();
        return made;
      },
      [routes] { routes->SubscribeEnded(); });
}

Napi::Value NativeClient::DeclareQueue(const Napi::CallbackInfo& info) {
  struct Result {
    char* name = nullptr;
    uint64_t messages = 0;
    uint64_t consumers = 0;
    ~Result() { postwire_free(name); }
  };
  std::string name = info[0].As<Napi::String>().Utf8Value();
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[1]));
  auto result = std::make_shared<Result>();
  postwire_client* client = Open(info.Env());
  return Blocking(
      info.Env(),
      [client, name, options, result](postwire_error** error) {
        return postwire_client_declare_queue(client, name.c_str(), options->data(),
                                             options->pair_count(), &result->name,
                                             &result->messages, &result->consumers, error);
      },
      [result](Napi::Env env) -> Napi::Value {
        Napi::Object declared = Napi::Object::New(env);
        declared.Set("name", Napi::String::New(env, result->name != nullptr ? result->name : ""));
        declared.Set("messageCount", Napi::Number::New(env, static_cast<double>(result->messages)));
        declared.Set("consumerCount",
                     Napi::Number::New(env, static_cast<double>(result->consumers)));
        return declared;
      });
}

Napi::Value NativeClient::DeclareExchange(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[1]));
  postwire_client* client = Open(info.Env());
  return Blocking(info.Env(), [client, name, options](postwire_error** error) {
    return postwire_client_declare_exchange(client, name.c_str(), options->data(),
                                            options->pair_count(), error);
  });
}

Napi::Value NativeClient::Bind(const Napi::CallbackInfo& info) {
  std::string exchange = info[0].As<Napi::String>().Utf8Value();
  std::string destination = info[1].As<Napi::String>().Utf8Value();
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[2]));
  postwire_client* client = Open(info.Env());
  return Blocking(info.Env(), [client, exchange, destination, options](postwire_error** error) {
    return postwire_client_bind(client, exchange.c_str(), destination.c_str(), options->data(),
                                options->pair_count(), error);
  });
}

Napi::Value NativeClient::Unbind(const Napi::CallbackInfo& info) {
  std::string exchange = info[0].As<Napi::String>().Utf8Value();
  std::string destination = info[1].As<Napi::String>().Utf8Value();
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[2]));
  postwire_client* client = Open(info.Env());
  return Blocking(info.Env(), [client, exchange, destination, options](postwire_error** error) {
    return postwire_client_unbind(client, exchange.c_str(), destination.c_str(), options->data(),
                                  options->pair_count(), error);
  });
}

Napi::Value NativeClient::PurgeQueue(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  auto removed = std::make_shared<uint64_t>(0);
  postwire_client* client = Open(info.Env());
  return Blocking(
      info.Env(),
      [client, name, removed](postwire_error** error) {
        return postwire_client_purge_queue(client, name.c_str(), removed.get(), error);
      },
      [removed](Napi::Env env) -> Napi::Value {
        return Napi::Number::New(env, static_cast<double>(*removed));
      });
}

Napi::Value NativeClient::DeleteQueue(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[1]));
  auto removed = std::make_shared<uint64_t>(0);
  postwire_client* client = Open(info.Env());
  return Blocking(
      info.Env(),
      [client, name, options, removed](postwire_error** error) {
        return postwire_client_delete_queue(client, name.c_str(), options->data(),
                                            options->pair_count(), removed.get(), error);
      },
      [removed](Napi::Env env) -> Napi::Value {
        return Napi::Number::New(env, static_cast<double>(*removed));
      });
}

Napi::Value NativeClient::DeleteExchange(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  auto options = std::make_shared<StringPairs>(StringPairs::From(info[1]));
  postwire_client* client = Open(info.Env());
  return Blocking(info.Env(), [client, name, options](postwire_error** error) {
    return postwire_client_delete_exchange(client, name.c_str(), options->data(),
                                           options->pair_count(), error);
  });
}

}  // namespace postwire_node
