#pragma once

// Traffic for the fault scenarios: a producer and a consumer, each with its own client
// through the fault proxy, while the scenario disturbs the network. The producer spreads its
// messages evenly over a given time, so that every disturbance falls in the middle of the
// stream; the consumer acks each message after a little work. Both keep polling their
// client's events, and the times at which each sees the network work again are recorded.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "postwire/client.hpp"
#include "postwire/config.hpp"

namespace postwire::testing {

using Clock = std::chrono::steady_clock;

struct TrafficOptions {
  std::size_t messages = 2000;
  std::size_t body_bytes = 256;
  // The producer's messages are spread over this long.
  std::chrono::milliseconds send_over{6000};
  // The consumer's work per message, before it acks.
  std::chrono::microseconds processing{300};
  std::uint16_t prefetch = 50;
};

// What a run came to.
struct TrafficResult {
  std::size_t sent = 0;               // messages given to send()
  std::size_t confirmed = 0;          // confirmed delivery reports
  std::size_t failed = 0;             // failed delivery reports
  std::size_t consumed = 0;           // distinct messages handed to the application
  std::size_t handed_twice = 0;       // messages handed to the application more than once
  std::uint64_t repeated = 0;         // deliveries the consumer recognised as copies (dedup window)
  std::uint64_t redelivered = 0;      // deliveries with a delivery count above 1
  std::vector<std::string> failures;  // the first failed reports
  std::vector<std::size_t> lost;      // confirmed, never consumed (the first few)
  // Per network return, from the return to the first confirm / delivery after it.
  std::vector<std::optional<std::chrono::milliseconds>> producer_recovery;
  std::vector<std::optional<std::chrono::milliseconds>> consumer_recovery;
  std::chrono::milliseconds close_time{0};  // the longer of the two clients' close()
};

class Traffic {
 public:
  // Connects both clients to `url` (the proxied URL) with `config`; the queue exists already.
  Traffic(const std::string& url, std::string queue, const Config& config, TrafficOptions options);
  ~Traffic();
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  void start();
  // The network works again from now: recovery is measured from here.
  void network_restored();
  // When each client last saw its connection lost (ConnectionEvent recovering) since `since`;
  // nothing when it did not.
  [[nodiscard]] std::optional<Clock::time_point> producer_lost_since(Clock::time_point since);
  [[nodiscard]] std::optional<Clock::time_point> consumer_lost_since(Clock::time_point since);
  // Waits (at most `limit`) until every message is reported and every confirmed one is
  // consumed, lingers for late copies, then stops both sides and closes the clients.
  TrafficResult finish(std::chrono::milliseconds limit);

 private:
  void produce();
  void consume_with(Consumer& consumer);
  // Notes ConnectionEvent{recovering} in `lost`; the caller holds mutex_.
  static void record_losses(const std::vector<Event>& events, std::vector<Clock::time_point>& lost);
  // Marks `now` as the first sign of life after every return that has none yet.
  void mark_back(std::vector<std::optional<Clock::time_point>>& back, Clock::time_point now);
  static std::optional<Clock::time_point> lost_since(const std::vector<Clock::time_point>& lost,
                                                     Clock::time_point since);

  std::string queue_;
  TrafficOptions options_;
  Client producer_client_;
  Client consumer_client_;
  std::thread producer_thread_;
  std::thread consumer_thread_;
  std::atomic<bool> stop_consumer_{false};
  std::atomic<bool> producer_done_{false};

  std::mutex mutex_;  // guards everything below
  std::vector<Clock::time_point> restored_;
  // Per network return: the first confirm and the first delivery after it.
  std::vector<std::optional<Clock::time_point>> producer_back_;
  std::vector<std::optional<Clock::time_point>> consumer_back_;
  std::vector<Clock::time_point> producer_lost_;
  std::vector<Clock::time_point> consumer_lost_;
  std::vector<bool> confirmed_;
  std::map<std::size_t, std::size_t> handed_;  // sequence number -> times handed out
  std::size_t reported_ = 0;
  std::size_t sent_ = 0;
  std::size_t failed_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace postwire::testing
