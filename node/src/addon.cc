// postwire.node: the Node-API entry point. Everything here binds the C ABI (postwire.h); the
// Promise API around it is lib/.
#include "addon.h"

#include <napi.h>
#include <postwire.h>

#include "client.h"
#include "constants.h"
#include "consumer.h"

namespace postwire_node {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  Napi::Function client = NativeClient::Define(env);
  Napi::Function consumer = NativeConsumer::Define(env);
  data->client_constructor = Napi::Persistent(client);
  data->consumer_constructor = Napi::Persistent(consumer);
  env.SetInstanceData(data);

  exports.Set("NativeClient", client);
  exports.Set("NativeConsumer", consumer);
  exports.Set("connect", Napi::Function::New(env, NativeClient::Connect, "connect"));
  exports.Set("constants", Constants(env));
  exports.Set("version", Napi::String::New(env, postwire_version()));
  exports.Set("codeName", Napi::Function::New(
                              env,
                              [](const Napi::CallbackInfo& info) -> Napi::Value {
                                return Napi::String::New(
                                    info.Env(),
                                    postwire_code_name(info[0].As<Napi::Number>().Int32Value()));
                              },
                              "codeName"));
  return exports;
}

}  // namespace postwire_node

static Napi::Object InitPostwire(Napi::Env env, Napi::Object exports) {
  return postwire_node::Init(env, exports);
}

NODE_API_MODULE(postwire, InitPostwire)
