#pragma once

// Support for the conformance scenarios: a broker-parameterised fixture that names and cleans
// up its queues and exchanges, and small helpers over the blocking public API.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance/brokers.hpp"
#include "postwire/client.hpp"
#include "postwire/config.hpp"

namespace postwire::testing {

using namespace std::chrono_literals;

// A name no other test (in this or another process) uses: "pw-conf-<tag>-<pid>-<n>-<random>".
std::string unique_name(std::string_view tag);

// A Config with every pair set; a refused value is a test failure naming the key.
Config make_config(std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// `size` bytes from a seeded generator, every byte value possible (zeros included).
std::string random_bytes(std::size_t size, std::uint32_t seed);

// One line describing an event, for failure messages.
std::string describe(const Event& event);

// The first header named `name`, or "" (with a test failure) when there is none.
std::string header_or_fail(const Message& message, std::string_view name);

// The message's application headers: those not written by postwire itself ("pw-" prefix).
Headers application_headers(const Message& message);
bool same_headers(const Headers& a, const Headers& b);
std::string describe(const Headers& headers);

// Polls `client` until `count` delivery reports arrived or `timeout` passed. Every other
// event is appended to `others` when given.
std::vector<DeliveryReport> await_reports(Client& client, std::size_t count,
                                          std::chrono::milliseconds timeout,
                                          std::vector<Event>* others = nullptr);

// Sends every message to `destination`, flushes, and expects a confirmed report for each.
// Returns the ids in send order.
std::vector<std::string> send_confirmed(Client& client, const std::string& destination,
                                        std::vector<Message> messages,
                                        std::chrono::milliseconds timeout = 60s);

// Subscribes to a queue that postwire declares by itself as a side effect of an asynchronous
// call (the dead-letter queue of dead_letter()), retrying while it does not exist yet.
Consumer subscribe_when_declared(Client& client, const std::string& queue,
                                 std::chrono::milliseconds timeout = 30s);

// Receives up to `count` deliveries, waiting at most `timeout` in all; settles nothing.
std::vector<Delivery> receive(Consumer& consumer, std::size_t count,
                              std::chrono::milliseconds timeout);

// Expects no delivery within `quiet`.
void expect_no_delivery(Consumer& consumer, std::chrono::milliseconds quiet, std::string_view what);

// Expects the queue to hold no ready message (re-declaring it with `spec` to read the
// count), retrying for a few seconds while settlements travel.
void expect_queue_empty(Client& client, const QueueSpec& spec);
// After every message was acked: expect_queue_empty on brokers whose queues forget acked
// messages. A partitioned log (capabilities().partitions) keeps them for other readers until
// its retention ends; there the scenario's own counts are the check.
void expect_acked_messages_gone(Client& client, const QueueSpec& spec);

// Runs a shell-free command and returns its process id; stdout goes to `stdout_fd` when
// given (>= 0). Throws std::runtime_error when it cannot start.
int spawn(const std::vector<std::string>& argv, int stdout_fd = -1);
// Waits for `pid` and returns its exit status (128 + signal when killed).
int wait_for(int pid);

// The repository root: $POSTWIRE_ROOT (exported by ci/test), else the source tree this
// binary was built from.
std::string repository_root();

// Entry point of the helper processes the scenarios start by re-running the test binary with
// `child_flag` as first argument (see ConsumerCrash).
inline constexpr std::string_view child_flag = "--postwire-conformance-child";
int run_child(int argc, char** argv);

// URL surgery for the error scenarios. URLs look like scheme://[user[:password]@]host:port[/path].
std::string url_with_password(const std::string& url, std::string_view password);
std::string url_with_path(const std::string& url, std::string_view path);
std::string url_with_port(const std::string& url, std::string_view port);
std::string url_without_credentials(const std::string& url);

// The fixture of every API scenario, parameterised by broker name. Queues and exchanges
// named through it are deleted after the test by a fresh client, whatever the outcome.
class Scenario : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  [[nodiscard]] const std::string& url() const { return url_; }
  Client connect(const Config& config = {}) const;

  // A unique queue name, deleted after the test together with its dead-letter queue.
  std::string queue_name(std::string_view tag);
  // A unique exchange name, deleted after the test.
  std::string exchange_name(std::string_view tag);
  // Declares a durable classic queue named `name`; returns its spec.
  static QueueSpec declare_queue(Client& client, const std::string& name);

 private:
  std::string url_;
  std::vector<std::string> queues_;
  std::vector<std::string> exchanges_;
};

// Gives each instantiation of a scenario suite its broker's name.
std::string broker_param_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace postwire::testing

// Runs the scenarios of fixture `Name` (a Scenario) on every selected broker that has a
// transport, e.g. conformance.Scenarios/RoundTrip.binary_bodies/amqp. A selection without such
// a broker instantiates nothing, which is not an error.
#define POSTWIRE_SCENARIO_SUITE_OF(Name)                                                  \
  INSTANTIATE_TEST_SUITE_P(Scenarios, Name,                                               \
                           ::testing::ValuesIn(::postwire::testing::transport_brokers()), \
                           ::postwire::testing::broker_param_name);                       \
  GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Name)

// The same on the listed brokers only, e.g. POSTWIRE_SCENARIO_SUITE_OF_ON(Topology, "amqp"):
// for what the other brokers do not have (their capabilities say so, and their own suites test
// what they do instead).
#define POSTWIRE_SCENARIO_SUITE_OF_ON(Name, ...)                                                   \
  INSTANTIATE_TEST_SUITE_P(                                                                        \
      Scenarios, Name, ::testing::ValuesIn(::postwire::testing::transport_brokers({__VA_ARGS__})), \
      ::postwire::testing::broker_param_name);                                                     \
  GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Name)

#define POSTWIRE_SCENARIO_SUITE_ON(Name, ...)           \
  class Name : public ::postwire::testing::Scenario {}; \
  POSTWIRE_SCENARIO_SUITE_OF_ON(Name, __VA_ARGS__)

// Declares scenario suite `Name` with the plain Scenario fixture and runs it on every broker
// as POSTWIRE_SCENARIO_SUITE_OF does.
#define POSTWIRE_SCENARIO_SUITE(Name)                   \
  class Name : public ::postwire::testing::Scenario {}; \
  POSTWIRE_SCENARIO_SUITE_OF(Name)
