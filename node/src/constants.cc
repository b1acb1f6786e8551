#include "constants.h"

#include <string_view>

namespace postwire_node {
namespace {

// The highest code the C ABI's numbering leaves room for (postwire.h: 1xx ... 9xx).
constexpr postwire_code kHighestCode = 999;

constexpr NamedValue kCapabilities[] = {
    {"exchanges", POSTWIRE_CAP_EXCHANGES},
    {"priorities", POSTWIRE_CAP_PRIORITIES},
    {"perMessageTtl", POSTWIRE_CAP_PER_MESSAGE_TTL},
    {"delayedNack", POSTWIRE_CAP_DELAYED_NACK},
    {"brokerDeadLetter", POSTWIRE_CAP_BROKER_DEAD_LETTER},
    {"exclusiveConsumers", POSTWIRE_CAP_EXCLUSIVE_CONSUMERS},
    {"singleActiveConsumer", POSTWIRE_CAP_SINGLE_ACTIVE_CONSUMER},
    {"quorumQueues", POSTWIRE_CAP_QUORUM_QUEUES},
    {"partitions", POSTWIRE_CAP_PARTITIONS},
    {"seek", POSTWIRE_CAP_SEEK},
    {"consumerGroups", POSTWIRE_CAP_CONSUMER_GROUPS},
    {"fifo", POSTWIRE_CAP_FIFO},
    {"nativeDelay", POSTWIRE_CAP_NATIVE_DELAY},
    {"visibilityExtension", POSTWIRE_CAP_VISIBILITY_EXTENSION},
};

constexpr NamedValue kEventKinds[] = {
    {"deliveryReport", POSTWIRE_EVENT_DELIVERY_REPORT},
    {"message", POSTWIRE_EVENT_MESSAGE},
    {"error", POSTWIRE_EVENT_ERROR},
    {"log", POSTWIRE_EVENT_LOG},
    {"consumer", POSTWIRE_EVENT_CONSUMER},
    {"flow", POSTWIRE_EVENT_FLOW},
    {"connection", POSTWIRE_EVENT_CONNECTION},
    {"sourcesAssigned", POSTWIRE_EVENT_SOURCES_ASSIGNED},
    {"sourcesRevoked", POSTWIRE_EVENT_SOURCES_REVOKED},
};

constexpr NamedValue kSubscribeFlags[] = {
    {"exclusive", POSTWIRE_SUBSCRIBE_EXCLUSIVE},
    {"toEvents", POSTWIRE_SUBSCRIBE_TO_EVENTS},
};

constexpr NamedValue kConnectionStates[] = {
    {"connected", POSTWIRE_CONNECTION_CONNECTED},
    {"recovering", POSTWIRE_CONNECTION_RECOVERING},
    {"failed", POSTWIRE_CONNECTION_FAILED},
    {"closed", POSTWIRE_CONNECTION_CLOSED},
};

constexpr NamedValue kConsumerStates[] = {
    {"active", POSTWIRE_CONSUMER_ACTIVE},
    {"cancelled", POSTWIRE_CONSUMER_CANCELLED},
    {"failed", POSTWIRE_CONSUMER_FAILED},
};

constexpr NamedValue kLogLevels[] = {
    {"trace", POSTWIRE_LOG_TRACE}, {"debug", POSTWIRE_LOG_DEBUG}, {"info", POSTWIRE_LOG_INFO},
    {"warn", POSTWIRE_LOG_WARN},   {"error", POSTWIRE_LOG_ERROR},
};

Napi::Object ObjectOf(Napi::Env env, std::span<const NamedValue> table) {
  Napi::Object object = Napi::Object::New(env);
  for (const NamedValue& entry : table) {
    object.Set(entry.name, Napi::Number::New(env, static_cast<double>(entry.value)));
  }
  return object;
}

Napi::Array Codes(Napi::Env env) {
  Napi::Array codes = Napi::Array::New(env);
  uint32_t count = 0;
  for (postwire_code code = 0; code <= kHighestCode; ++code) {
    std::string_view name = postwire_code_name(code);
    if (name == "unknown") {
      continue;
    }
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("number", Napi::Number::New(env, code));
    entry.Set("name", Napi::String::New(env, name.data(), name.size()));
    entry.Set("retriable", Napi::Boolean::New(env, postwire_code_retriable(code) != 0));
    entry.Set("fatal", Napi::Boolean::New(env, postwire_code_fatal(code) != 0));
    codes.Set(count++, entry);
  }
  return codes;
}

}  // namespace

std::span<const NamedValue> EventKinds() { return kEventKinds; }
std::span<const NamedValue> ConnectionStates() { return kConnectionStates; }
std::span<const NamedValue> ConsumerStates() { return kConsumerStates; }
std::span<const NamedValue> LogLevels() { return kLogLevels; }

const char* NameOf(std::span<const NamedValue> table, int64_t value) {
  for (const NamedValue& entry : table) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return "unknown";
}

Napi::Object Constants(Napi::Env env) {
  Napi::Object constants = Napi::Object::New(env);
  constants.Set("codes", Codes(env));
  constants.Set("capabilities", ObjectOf(env, kCapabilities));
  constants.Set("eventKinds", ObjectOf(env, kEventKinds));
  constants.Set("subscribeFlags", ObjectOf(env, kSubscribeFlags));
  constants.Set("connectionStates", ObjectOf(env, kConnectionStates));
  constants.Set("consumerStates", ObjectOf(env, kConsumerStates));
  constants.Set("logLevels", ObjectOf(env, kLogLevels));
  return constants;
}

}  // namespace postwire_node
