// consumer URL QUEUE [COUNT]
//
// Receives COUNT messages (default 10) from QUEUE, prints each one and acknowledges it. Exits 0
// when COUNT messages arrived, nonzero when none arrives for 10 seconds or anything fails.
//
// Run from the repository root after the dev build (cmake --build --preset dev):
//   build/examples/cpp/postwire-example-cpp-consumer amqp://guest:guest@127.0.0.1:5672 orders 10
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

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
    auto client = postwire::Client::connect(argv[1], {{"client.id", "cpp-example-consumer"}});
    // Declaring with the producer's options is harmless when the queue exists and lets the
    // consumer start first.
    client.declare_queue({.name = queue, .durable = true});
    auto consumer = client.subscribe(queue);  // prefetch: consumer.prefetch.count

    std::uint64_t received = 0;
    while (received < count) {
      // Waits up to 10 s; an empty optional means nothing arrived in time.
      auto delivery = consumer.poll(10s);
      if (!delivery) {
        std::cerr << "no message within 10 s (" << received << " of " << count << " received)\n";
        return 1;
      }
      const postwire::Message& message = delivery->message();
      // Bodies, keys and header values are bytes in a std::string; these are short text.
      const std::string* source = message.header("example-source");
      std::cout << message.body << " (key " << message.key << ", id " << message.id << ", delivery "
                << delivery->delivery_count() << ", example-source " << (source ? *source : "-")
                << ")\n";
      // Settle each message exactly once. Processing that failed for now would instead call
      //   delivery->nack(30s);               -- delivered again in 30 s
      // and a message that can never be processed
      //   delivery->dead_letter("why");      -- moved to QUEUE.dlq
      delivery->ack();
      ++received;
    }
    std::cout << received << " received\n";

    // Closing the consumer stops deliveries; anything it holds unsettled goes back to the
    // queue. Closing the client then ends the connection.
    consumer.close();
    client.close();
    return 0;
  } catch (const std::exception& e) {
    // A postwire::Exception says "code_name: message".
    std::cerr << e.what() << "\n";
    return 1;
  }
}
