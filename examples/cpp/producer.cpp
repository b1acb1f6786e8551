// producer URL QUEUE [COUNT]
//
// Sends COUNT messages (default 10) to QUEUE, each with an ordering key, a header and a token,
// then waits for every delivery report. Exits 0 only when the broker confirmed every message.
//
// Run from the repository root after the dev build (cmake --build --preset dev):
//   build/examples/cpp/postwire-example-cpp-producer amqp://guest:guest@127.0.0.1:5672 orders 10
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <variant>

#include "postwire/client.hpp"

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  std::uint64_t count = 10;
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: " << argv[0] << " URL QUEUE [COUNT]\n";
    return 2;
  }
  if (argc == 4) {
    const std::string_view text = argv[3];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc{} || end != text.data() + text.size() || count == 0) {
      std::cerr << "COUNT must be a positive number, not '" << text << "'\n";
      return 2;
    }
  }
  const std::string queue = argv[2];

  try {
    // Options are strings in every language; a mistyped key or value throws here, by name.
    const postwire::Config config{{"client.id", "cpp-example-producer"},
                                  {"log.level", "warn"},
                                  {"delivery.timeout.ms", "30000"}};
    auto client = postwire::Client::connect(argv[1], config);  // blocks until connected
    client.declare_queue({.name = queue, .durable = true});
    auto producer = client.producer();

    for (std::uint64_t i = 0; i < count; ++i) {
      postwire::Message message{
          .body = "message " + std::to_string(i + 1) + " of " + std::to_string(count),
          .key = "customer-" + std::to_string(i % 3),
          .headers = {{"example-source", "cpp-producer"}},
      };
      // send() returns at once. The token (here the index) comes back in the delivery report
      // and says which message the report is about.
      producer.send(queue, std::move(message), /*token=*/i);
    }

    // The outcomes arrive as events. Every send gets exactly one report within
    // delivery.timeout.ms, so waiting a little longer than that for the next event can only
    // time out if something is badly wrong.
    std::uint64_t confirmed = 0, failed = 0;
    while (confirmed + failed < count) {
      const auto event = client.poll(35s);
      if (!event) {
        std::cerr << "no event within 35 s\n";
        return 1;
      }
      if (const auto* report = std::get_if<postwire::DeliveryReport>(&*event)) {
        if (report->error.is_ok()) {
          ++confirmed;
        } else {
          ++failed;
          std::cerr << "message " << report->token << " failed: " << report->error.to_string()
                    << "\n";
        }
      } else if (const auto* connection = std::get_if<postwire::ConnectionEvent>(&*event)) {
        // A lost connection is recovered on its own and unconfirmed messages are sent again;
        // the event says why it was lost.
        if (connection->error) {
          std::cerr << "connection to " << connection->broker << ": "
                    << connection->error.to_string() << "\n";
        }
      } else if (const auto* log = std::get_if<postwire::LogRecord>(&*event)) {
        std::cerr << "log " << log->category << ": " << log->message << "\n";
      }
    }
    std::cout << confirmed << " confirmed, " << failed << " failed\n"
              << client.stats().to_json() << "\n";
    client.close();
    return confirmed == count ? 0 : 1;
  } catch (const std::exception& e) {
    // A postwire::Exception says "code_name: message".
    std::cerr << e.what() << "\n";
    return 1;
  }
}
