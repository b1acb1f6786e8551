// The fault suite: producers and consumers through a real TCP proxy (toxiproxy) in front of
// each broker, while the network fails in the ways networks do. Each scenario checks that no
// confirmed message is lost, that every message is consumed and acked in the end, that with
// the dedup window on no message reaches the application twice, and that both sides work
// again within a bound derived from the configuration once the network returns. It prints
// what it measured. Scenarios share their broker's proxy, so ctest runs them one at a time.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "conformance/scenario.hpp"
#include "faults/fault_proxy.hpp"
#include "faults/fault_traffic.hpp"

namespace postwire {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using testing::Clock;
using testing::FaultProxy;
using testing::Traffic;
using testing::TrafficOptions;
using testing::TrafficResult;

// The configuration both clients of a scenario use, and the bounds it implies.
constexpr milliseconds kBackoffMax{1000};    // reconnect.backoff.max.ms
constexpr milliseconds kSetupTimeout{5000};  // socket.connection.setup.timeout.ms
// Longer than the recovery bound, so that a restore step stuck until a request times out
// shows as a failure rather than as a slow recovery.
constexpr milliseconds kRequestTimeout{15000};  // request.timeout.ms
constexpr milliseconds kHeartbeat{1000};        // heartbeat.interval.ms

// After the network returns: the last backoff wait and one connection attempt (connect and
// handshake, bounded by the setup timeout); the re-declare and re-subscribe calls that follow
// take round trips, not timeouts.
constexpr milliseconds kRecoveryBound = kBackoffMax + kSetupTimeout;
// A peer that stops answering is dead after two heartbeat intervals, checked every half one.
constexpr milliseconds kDetectionBound =
    2 * kHeartbeat + kHeartbeat / 2 + 1s;  // + scheduling slack

Config fault_config() {
  return testing::make_config({
      {"reconnect.backoff.ms", "50"},
      {"reconnect.backoff.max.ms", std::to_string(kBackoffMax.count())},
      {"socket.connection.setup.timeout.ms", std::to_string(kSetupTimeout.count())},
      {"request.timeout.ms", std::to_string(kRequestTimeout.count())},
      {"heartbeat.interval.ms", std::to_string(kHeartbeat.count())},
      {"delivery.timeout.ms", "300000"},
      {"max.block.ms", "120000"},
      {"dedup.window.size", "100000"},
  });
}

class NetworkFaults : public testing::Scenario {
 protected:
  void SetUp() override {
    Scenario::SetUp();
    proxy_.emplace(GetParam());
    proxy_->reset();
    queue_ = queue_name("faults");
    Client admin = connect();
    spec_ = declare_queue(admin, queue_);
  }

  void TearDown() override {
    if (proxy_) {
      proxy_->reset();
    }
    Scenario::TearDown();
  }

  Traffic traffic(const TrafficOptions& options) {
    return Traffic(proxy_->url(), queue_, fault_config(), options);
  }

  // Asserts what every scenario promises and prints what was measured.
  void check(const TrafficResult& result, const TrafficOptions& options,
             milliseconds recovery_bound = kRecoveryBound) {
    std::ostringstream line;
    line << "faults/" << GetParam() << " "
         << ::testing::UnitTest::GetInstance()->current_test_info()->name() << ": sent "
         << result.sent << ", confirmed " << result.confirmed << ", consumed " << result.consumed
         << ", repeated " << result.repeated << " (redelivered " << result.redelivered
         << "), handed twice " << result.handed_twice << "; recovery after each return "
         << "(producer/consumer):";
    const auto show = [](const std::optional<milliseconds>& value) {
      return value ? std::to_string(value->count()) + " ms" : std::string("none");
    };
    for (std::size_t i = 0; i < result.producer_recovery.size(); ++i) {
      line << (i == 0 ? " " : ", ") << show(result.producer_recovery[i]) << "/"
           << show(result.consumer_recovery[i]);
    }
    if (result.producer_recovery.empty()) {
      line << " no outage";
    }
    line << "; bound " << recovery_bound.count() << " ms; close " << result.close_time.count()
         << " ms";
    std::cout << line.str() << "\n";
    ::testing::Test::RecordProperty("measured", line.str());

    EXPECT_EQ(result.sent, options.messages);
    EXPECT_EQ(result.failed, 0U) << "failed reports, e.g. "
                                 << (result.failures.empty() ? "" : result.failures.front());
    EXPECT_EQ(result.confirmed, options.messages) << "confirmed";
    EXPECT_TRUE(result.lost.empty())
        << result.lost.size() << "+ confirmed messages never "
        << "consumed, e.g. seq " << (result.lost.empty() ? 0 : result.lost.front());
    EXPECT_EQ(result.consumed, options.messages) << "consumed";
    EXPECT_EQ(result.handed_twice, 0U) << "messages handed to the application twice";
    for (std::size_t i = 0; i < result.producer_recovery.size(); ++i) {
      for (const auto* side : {&result.producer_recovery[i], &result.consumer_recovery[i]}) {
        ASSERT_TRUE(side->has_value())
            << (side == &result.producer_recovery[i] ? "producer" : "consumer")
            << " never worked again after network return " << i + 1;
        EXPECT_LE(**side, recovery_bound)
            << (side == &result.producer_recovery[i] ? "producer" : "consumer")
            << " recovery after network return " << i + 1;
      }
    }
    // Everything acked: nothing is left in the queue, ready or returned by a closed consumer.
    Client admin = connect();
    testing::expect_acked_messages_gone(admin, spec_);
  }

  // `times` outages of `length`, the network up for `up` in between, in the middle of a stream.
  void outages(milliseconds length, int times, milliseconds up) {
    const milliseconds span = (length + up) * times;
    const TrafficOptions options{.send_over = span + 2s};
    Traffic run = traffic(options);
    run.start();
    std::this_thread::sleep_for(1s);
    for (int i = 0; i < times; ++i) {
      proxy_->disable();
      std::this_thread::sleep_for(length);
      proxy_->enable();
      run.network_restored();
      std::this_thread::sleep_for(up);
    }
    check(run.finish(span + 120s), options);
  }

  std::optional<FaultProxy> proxy_;
  std::string queue_;
  QueueSpec spec_;
};

POSTWIRE_SCENARIO_SUITE_OF(NetworkFaults);

TEST_P(NetworkFaults, outage_200ms_once) { outages(200ms, 1, 2s); }
TEST_P(NetworkFaults, outage_200ms_repeated) { outages(200ms, 5, 1200ms); }
TEST_P(NetworkFaults, outage_1s_once) { outages(1s, 1, 2s); }
TEST_P(NetworkFaults, outage_1s_repeated) { outages(1s, 4, 2200ms); }
TEST_P(NetworkFaults, outage_5s_once) { outages(5s, 1, 3s); }
TEST_P(NetworkFaults, outage_5s_repeated) { outages(5s, 2, 3s); }

TEST_P(NetworkFaults, latency_with_jitter) {
  const TrafficOptions options{.messages = 1000, .send_over = 4s};
  proxy_->add_toxic("latency-down", "latency", "downstream", R"("latency": 80, "jitter": 40)");
  proxy_->add_toxic("latency-up", "latency", "upstream", R"("latency": 80, "jitter": 40)");
  Traffic run = traffic(options);
  run.start();
  check(run.finish(120s), options);
}

TEST_P(NetworkFaults, bandwidth_far_below_the_message_rate) {
  // 600 KiB offered in 2 s (300 KiB/s) through 48 KiB/s each way.
  const TrafficOptions options{.messages = 600, .body_bytes = 1024, .send_over = 2s};
  proxy_->add_toxic("narrow-down", "bandwidth", "downstream", R"("rate": 48)");
  proxy_->add_toxic("narrow-up", "bandwidth", "upstream", R"("rate": 48)");
  Traffic run = traffic(options);
  run.start();
  check(run.finish(180s), options);
}

TEST_P(NetworkFaults, half_open_connection_is_detected_by_heartbeats) {
  const TrafficOptions options{.send_over = 14s};
  Traffic run = traffic(options);
  run.start();
  std::this_thread::sleep_for(1s);
  // Data stops both ways and nothing closes: only heartbeats can tell.
  const auto silent_from = Clock::now();
  proxy_->add_toxic("blackhole-down", "timeout", "downstream", R"("timeout": 0)");
  proxy_->add_toxic("blackhole-up", "timeout", "upstream", R"("timeout": 0)");
  std::optional<Clock::time_point> producer_lost;
  std::optional<Clock::time_point> consumer_lost;
  const auto give_up = silent_from + kDetectionBound + 5s;
  while ((!producer_lost || !consumer_lost) && Clock::now() < give_up) {
    std::this_thread::sleep_for(50ms);
    producer_lost = run.producer_lost_since(silent_from);
    consumer_lost = run.consumer_lost_since(silent_from);
  }
  proxy_->remove_toxic("blackhole-down");
  proxy_->remove_toxic("blackhole-up");
  run.network_restored();
  const auto detection = [&](const std::optional<Clock::time_point>& at) {
    return at ? std::chrono::duration_cast<milliseconds>(*at - silent_from) : milliseconds::max();
  };
  std::cout << "faults/" << GetParam() << " half-open: detected by the producer after "
            << detection(producer_lost).count() << " ms, by the consumer after "
            << detection(consumer_lost).count() << " ms (bound " << kDetectionBound.count()
            << " ms)\n";
  EXPECT_LE(detection(producer_lost), kDetectionBound) << "producer";
  EXPECT_LE(detection(consumer_lost), kDetectionBound) << "consumer";
  check(run.finish(180s), options);
}

TEST_P(NetworkFaults, reset_by_peer_in_the_middle_of_a_frame) {
  // Large bodies cut into small pieces on their way to the client: a reset lands inside a frame.
  const TrafficOptions options{.messages = 1500, .body_bytes = 16 * 1024, .send_over = 8s};
  proxy_->add_toxic("pieces", "slicer", "downstream",
                    R"("average_size": 700, "size_variation": 300, "delay": 20)");
  Traffic run = traffic(options);
  run.start();
  std::this_thread::sleep_for(1500ms);
  for (int i = 0; i < 2; ++i) {
    proxy_->add_toxic("reset", "reset_peer", "downstream", R"("timeout": 0)");
    std::this_thread::sleep_for(300ms);
    proxy_->remove_toxic("reset");
    run.network_restored();
    std::this_thread::sleep_for(2500ms);
  }
  check(run.finish(180s), options);
}

TEST_P(NetworkFaults, slow_close) {
  // Sockets take 3 s to close: an outage is seen late, and close() must not wait for it.
  constexpr milliseconds kCloseDelay{3000};
  const TrafficOptions options{.send_over = 7s};
  proxy_->add_toxic("slow-close", "slow_close", "downstream",
                    R"("delay": )" + std::to_string(kCloseDelay.count()));
  Traffic run = traffic(options);
  run.start();
  std::this_thread::sleep_for(1500ms);
  proxy_->disable();
  std::this_thread::sleep_for(1s);
  proxy_->enable();
  run.network_restored();
  const auto result = run.finish(180s);
  check(result, options, kRecoveryBound + kCloseDelay);
  // Two clients, each flushing (nothing is left) and then closing within its close timeout.
  EXPECT_LE(result.close_time, 2 * kSetupTimeout) << "close() waited for the slow close";
}

}  // namespace
}  // namespace postwire
