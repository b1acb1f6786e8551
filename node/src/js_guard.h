// Native callbacks (a readable wakeup fd, a finished blocking call) run from libuv, where no
// C++ exception may escape, and also while Node tears its environment down: after the last
// JavaScript has run, Node still runs the loop once to close handles, and then every Node-API
// call that could run JavaScript fails. These helpers let a callback check first and report
// what it catches the way Node reports any callback's exception.
#pragma once

#include <napi.h>

namespace postwire_node {

// Whether JavaScript can still run in `env`: false once the environment is exiting (the
// process or worker is being torn down). Needs an open HandleScope.
bool CanCallIntoJs(Napi::Env env) noexcept;

// Hands an exception caught in a native callback to Node as an uncaught exception (the
// process's 'uncaughtException', or its exit with the error), as for any callback that throws.
// Does nothing when JavaScript can no longer run. Never throws.
void ReportUncaught(Napi::Env env, const Napi::Error& error) noexcept;

}  // namespace postwire_node
