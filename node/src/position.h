// Where a message sits on its broker (postwire_message_position), or where the broker stored a
// sent one (postwire_event_delivery_position). RabbitMQ gives none of it, so the batches carry a
// position only for the messages and reports that have one (lib/message.js gives the others
// one shared empty position).
#pragma once

#include <napi.h>
#include <postwire.h>

#include <cstdint>

namespace postwire_node {

struct Position {
  // The C ABI's "absent": -1 for numbers, "" for texts.
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t broker_timestamp_ms = -1;
  const char* broker_message_id = "";
  const char* sequence_number = "";

  static Position Of(const postwire_message* message);
  static Position OfReport(const postwire_event* event);

  bool present() const;
  // { partition, offset, brokerTimestampMs, brokerMessageId, sequenceNumber }, null for what
  // is absent; lib/message.js makes the Position the API hands out from it.
  Napi::Object ToJs(Napi::Env env) const;
};

}  // namespace postwire_node
