#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace postwire::testing {

// The brokers the broker-parameterised suites run against: POSTWIRE_BROKERS
// ("amqp,kafka,sqs" by default), each with its URL in POSTWIRE_TEST_<NAME>_URL as printed by
// `ci/brokers env`.
std::vector<std::string> selected_brokers();

// The URL of `broker`. A missing variable is a test failure, never a skip: CI must not go
// green without the broker.
std::string broker_url(const std::string& broker);

// The brokers whose transport postwire has.
inline constexpr std::array<std::string_view, 2> brokers_with_transport = {"amqp", "kafka"};

// The selected brokers that have a transport: the ones the API scenarios run against. The
// reachability tests keep running on every selected broker.
std::vector<std::string> transport_brokers();
// The same, limited to `brokers`: for scenarios of what only some brokers do (exchanges,
// crash-surviving delayed nacks). docs/capabilities.md shows the others as not run.
std::vector<std::string> transport_brokers(std::initializer_list<std::string_view> brokers);

// The value of environment variable `name` (exported by `ci/brokers env`), or "" with a test
// failure naming it.
std::string required_env(const char* name);

// Whether `broker` is among selected_brokers().
bool broker_selected(std::string_view broker);

}  // namespace postwire::testing
