#pragma once

#include <string>
#include <vector>

namespace postwire::testing {

// The brokers the broker-parameterised suites run against: POSTWIRE_BROKERS
// ("amqp,kafka,sqs" by default), each with its URL in POSTWIRE_TEST_<NAME>_URL as printed by
// `ci/brokers env`.
std::vector<std::string> selected_brokers();

// The URL of `broker`. A missing variable is a test failure, never a skip: CI must not go
// green without the broker.
std::string broker_url(const std::string& broker);

}  // namespace postwire::testing
