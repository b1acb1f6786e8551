// The C ABI's named constants as the JS layer sees them: each value is the POSTWIRE_* constant
// compiled in from postwire.h, paired with the name lib/ and index.d.ts use for it. Nothing in
// lib/ spells out a number of postwire.h; test/constants.test.js checks these tables against the
// header and the C ABI.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <cstdint>
#include <span>

namespace postwire_node {

struct NamedValue {
  const char* name;
  int64_t value;
};

// POSTWIRE_EVENT_*, by the names the client's events have in JavaScript ("consumer",
// "sourcesAssigned", ...).
std::span<const NamedValue> EventKinds();
// POSTWIRE_CONNECTION_*, POSTWIRE_CONSUMER_*, POSTWIRE_LOG_*, by the names of their events.
std::span<const NamedValue> ConnectionStates();
std::span<const NamedValue> ConsumerStates();
std::span<const NamedValue> LogLevels();

// The name of `value` in `table`, "unknown" for a value this addon does not know.
const char* NameOf(std::span<const NamedValue> table, int64_t value);

// The object the addon exports as `constants`: { codes, capabilities, eventKinds,
// subscribeFlags, connectionStates, consumerStates, logLevels }. codes is an array of
// { number, name, retriable, fatal }, every code 0..999 that postwire_code_name() knows; the
// others are objects from name to value.
Napi::Object Constants(Napi::Env env);

}  // namespace postwire_node
