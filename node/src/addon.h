// What the addon keeps per Node environment (main thread or worker thread).
#pragma once

#include <napi.h>

namespace postwire_node {

struct AddonData {
  Napi::FunctionReference client_constructor;
  Napi::FunctionReference consumer_constructor;
};

inline AddonData& DataOf(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace postwire_node
