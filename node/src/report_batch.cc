#include "report_batch.h"

#include <cstring>

#include "errors.h"
#include "message_batch.h"
#include "position.h"

namespace postwire_node {

void ReportBatch::Add(Napi::Env env, const postwire_event* event) {
  uint64_t token = 0;
  const char* id = "";
  const char* destination = "";
  uint32_t attempts = 0;
  int64_t latency_us = 0;
  const postwire_error* failure = nullptr;
  postwire_event_delivery_report(event, &token, &id, &destination, &attempts, &latency_us, nullptr);
  postwire_event_error(event, &failure, nullptr);
  if (failure != nullptr) {
    failures_.Set(failure_count_++, Napi::Number::New(env, numbers_.size() / kFields));
    failures_.Set(failure_count_++, ErrorFrom(env, failure).Value());
  }
  Position position = Position::OfReport(event);
  if (position.present()) {
    positions_.Set(position_count_++, Napi::Number::New(env, numbers_.size() / kFields));
    positions_.Set(position_count_++, position.ToJs(env));
  }
  ids_units_ += AppendCountingUnits(&ids_, id != nullptr ? id : "");
  destinations_units_ +=
      AppendCountingUnits(&destinations_, destination != nullptr ? destination : "");
  numbers_.push_back(static_cast<double>(token));
  numbers_.push_back(attempts);
  numbers_.push_back(static_cast<double>(latency_us));
  numbers_.push_back(static_cast<double>(ids_units_));
  numbers_.push_back(static_cast<double>(destinations_units_));
}

Napi::Value ReportBatch::Numbers(Napi::Env env) const {
  Napi::Float64Array array = Napi::Float64Array::New(env, numbers_.size());
  if (!numbers_.empty()) {
    std::memcpy(array.Data(), numbers_.data(), numbers_.size() * sizeof(double));
  }
  return array;
}

}  // namespace postwire_node
