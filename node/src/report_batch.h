// A polled batch of delivery reports in the few values JavaScript reads them from: the numbers
// of every report in one Float64Array, the ids and destinations each as one string with end
// offsets, and the failures and positions apart (most reports have neither). Thousands of reports
// then cost a handful of Node-API calls instead of several per report.
#pragma once

#include <napi.h>
#include <postwire.h>

#include <string>
#include <vector>

namespace postwire_node {

class ReportBatch {
 public:
  // Numbers per report: token, attempts, latencyUs, end of its id, end of its destination
  // (the ends in UTF-16 code units, as String.prototype.slice counts).
  static constexpr size_t kFields = 5;

  void Add(Napi::Env env, const postwire_event* event);
  bool empty() const { return numbers_.empty(); }
  // onEvents(numbers, ids, destinations, failures, ..., positions) arguments; failures is
  // [index, Error, ...], positions [index, position (src/position.h), ...].
  Napi::Value Numbers(Napi::Env env) const;
  Napi::Value Ids(Napi::Env env) const { return Napi::String::New(env, ids_); }
  Napi::Value Destinations(Napi::Env env) const { return Napi::String::New(env, destinations_); }
  Napi::Value Failures() const { return failures_; }
  Napi::Value Positions() const { return positions_; }

  explicit ReportBatch(Napi::Env env)
      : failures_(Napi::Array::New(env)), positions_(Napi::Array::New(env)) {}

 private:
  std::vector<double> numbers_;
  std::string ids_;
  std::string destinations_;
  size_t ids_units_ = 0;
  size_t destinations_units_ = 0;
  Napi::Array failures_;
  uint32_t failure_count_ = 0;
  Napi::Array positions_;
  uint32_t position_count_ = 0;
};

}  // namespace postwire_node
