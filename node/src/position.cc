#include "position.h"

namespace postwire_node {
namespace {

// A failed call leaves the out-parameters as they were, all absent.
void Normalize(Position* position) {
  if (position->broker_message_id == nullptr) {
    position->broker_message_id = "";
  }
  if (position->sequence_number == nullptr) {
    position->sequence_number = "";
  }
}

}  // namespace

Position Position::Of(const postwire_message* message) {
  Position position;
  postwire_message_position(message, &position.partition, &position.offset,
                            &position.broker_timestamp_ms, &position.broker_message_id,
                            &position.sequence_number, nullptr);
  Normalize(&position);
  return position;
}

Position Position::OfReport(const postwire_event* event) {
  Position position;
  postwire_event_delivery_position(event, &position.partition, &position.offset,
                                   &position.broker_timestamp_ms, &position.broker_message_id,
                                   &position.sequence_number, nullptr);
  Normalize(&position);
  return position;
}

bool Position::present() const {
  return partition >= 0 || offset >= 0 || broker_timestamp_ms >= 0 || *broker_message_id != '\0' ||
         *sequence_number != '\0';
}

Napi::Object Position::ToJs(Napi::Env env) const {
  auto number = [env](int64_t value) -> Napi::Value {
    return value < 0 ? env.Null() : Napi::Number::New(env, static_cast<double>(value));
  };
  auto text = [env](const char* value) -> Napi::Value {
    return *value == '\0' ? env.Null() : Napi::String::New(env, value);
  };
  Napi::Object object = Napi::Object::New(env);
  object.Set("partition", number(partition));
  object.Set("offset", number(offset));
  object.Set("brokerTimestampMs", number(broker_timestamp_ms));
  object.Set("brokerMessageId", text(broker_message_id));
  object.Set("sequenceNumber", text(sequence_number));
  return object;
}

}  // namespace postwire_node
