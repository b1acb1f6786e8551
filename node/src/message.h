// Received messages: their fields copied into a JS object, the handle kept for settling.
#pragma once

#include <napi.h>
#include <postwire.h>

namespace postwire_node {

// A plain object with every field of `message` (the body copied out into a Buffer, since the
// C ABI only lends it) and `handle`, an External that owns `message` until it is settled or
// collected.
Napi::Object MessageToJs(Napi::Env env, postwire_message* message);

// ack(handle), nack(handle, delayMs), deadLetter(handle, reason): settle and free the message.
void ExportSettling(Napi::Env env, Napi::Object exports);

}  // namespace postwire_node
