// The notification service of the demo (examples/demo): tells customers how their order ended.
//
//   postwire-demo-notification URL PREFIX
//
// Consumes both outcomes of an order: PREFIX.reservations (paid and stock reserved) and
// PREFIX.orders.dlq (payment declined, dead-lettered by the payment service with the reason in
// the pw-dead-letter-reason header). One poll loop serves both consumers (deliver_as_events).
// Each outcome is written to stdout (the demo's ledger, and the "notification" sent) and
// flushed before its message is acked, so a crash can repeat a notification but never lose
// one; a repeat the dedup window catches is acked without reaching this code.
//
// Stops when stdin closes.
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <postwire/client.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

namespace {

using namespace std::chrono_literals;

// The time the order was placed, from the "placed_ms" field of its JSON body; 0 if missing.
std::int64_t placed_ms(std::string_view body) {
  constexpr std::string_view field = "\"placed_ms\":";
  auto at = body.find(field);
  if (at == std::string_view::npos) {
    return 0;
  }
  body.remove_prefix(at + field.size());
  std::int64_t value = 0;
  std::from_chars(body.data(), body.data() + body.size(), value);
  return value;
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One ledger line per outcome: notified ORDER OUTCOME LATENCY_US [REASON].
void notify(const postwire::Delivery& delivery, bool declined) {
  const auto& message = delivery.message();
  auto latency_us = now_us() - placed_ms(message.body) * 1000;
  std::cout << "notified " << message.id << (declined ? " dead-lettered " : " reserved ")
            << latency_us;
  if (declined) {
    const std::string* reason = message.header("pw-dead-letter-reason");
    std::cout << ' ' << (reason != nullptr ? *reason : std::string("(no reason given)"));
  }
  std::cout << '\n';
}

int run(const std::string& url, const std::string& prefix) {
  postwire::Config config;
  for (auto [key, value] :
       {std::pair{"client.id", "notification-service"}, std::pair{"dedup.window.size", "100000"}}) {
    if (auto error = config.set(key, value)) {
      throw postwire::Exception(std::move(error));
    }
  }
  auto client = postwire::Client::connect(url, config);

  const std::string reservations = prefix + ".reservations";
  // The payment service's dead letters: its source queue plus dead.letter.suffix (".dlq").
  const std::string declined = prefix + ".orders.dlq";
  client.declare_queue({.name = reservations});
  client.declare_queue({.name = declined});
  const postwire::SubscribeOptions options{.prefetch = 500, .deliver_as_events = true};
  auto reserved_consumer = client.subscribe(reservations, options);
  auto declined_consumer = client.subscribe(declined, options);
  std::cout << "ready" << std::endl;

  // The demo closes our stdin to stop us. The watcher may still be blocked reading when this
  // function leaves by an exception, so it is detached and its flag outlives the function.
  static std::atomic<bool> stopping = false;
  std::thread([] {
    for (std::string line; std::getline(std::cin, line);) {
    }
    stopping = true;
  }).detach();

  std::vector<postwire::Event> events;
  auto last_stats = std::chrono::steady_clock::now();
  while (!stopping) {
    events.clear();
    client.poll(events, 500, 200ms);
    std::vector<postwire::Delivery*> received;
    for (auto& event : events) {
      if (auto* delivery = std::get_if<postwire::Delivery>(&event)) {
        notify(*delivery, delivery->source() == declined);
        received.push_back(delivery);
      } else if (auto* error = std::get_if<postwire::ErrorEvent>(&event)) {
        std::cerr << "notification service: " << error->error.to_string() << '\n';
      }
    }
    if (std::chrono::steady_clock::now() - last_stats > 500ms) {
      last_stats = std::chrono::steady_clock::now();
      std::cout << "stats deduplicated=" << client.stats().deduplicated << '\n';
    }
    // Written out before the acks: a notification may repeat after a crash, never go missing.
    std::cout.flush();
    for (auto* delivery : received) {
      delivery->ack();
    }
  }
  reserved_consumer.close();
  declined_consumer.close();
  std::cout << "stats deduplicated=" << client.stats().deduplicated << std::endl;
  client.close(10s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: postwire-demo-notification URL PREFIX\n";
    return 2;
  }
  try {
    return run(argv[1], argv[2]);
  } catch (const std::exception& error) {
    std::cerr << "notification service: " << error.what() << '\n';
    return 1;
  }
}
