// topic URL EXCHANGE PREFIX
//
// Fan-out through a topic exchange. Declares the topic exchange EXCHANGE and one queue per
// service, bound with the pattern of the events that service wants:
//   PREFIX.billing   order.*     (* stands for exactly one word)
//   PREFIX.shipping  order.paid
//   PREFIX.audit     #           (# stands for any number of words: every event)
// Publishes four events to "exchange/EXCHANGE" with the event name as key, which is the routing
// key, then drains each queue and prints which service got which events.
//
// Run from the repository root after the dev build (cmake --build --preset dev):
//   build/examples/cpp/postwire-example-cpp-topic amqp://guest:guest@127.0.0.1:5672 events shop
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <variant>

#include "postwire/client.hpp"

using namespace std::chrono_literals;

namespace {

struct Service {
  const char* name;
  const char* pattern;
};

constexpr Service kServices[] = {
    {"billing", "order.*"}, {"shipping", "order.paid"}, {"audit", "#"}};
constexpr const char* kEvents[] = {"order.created", "order.paid", "order.cancelled", "user.signup"};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: " << argv[0] << " URL EXCHANGE PREFIX\n";
    return 2;
  }
  const std::string exchange = argv[2];
  const std::string prefix = argv[3];

  try {
    auto client = postwire::Client::connect(argv[1]);
    client.declare_exchange({.name = exchange, .type = postwire::ExchangeType::topic});
    for (const Service& service : kServices) {
      const std::string queue = prefix + "." + service.name;
      client.declare_queue({.name = queue, .durable = true});
      client.bind({.exchange = exchange, .destination = queue, .routing_key = service.pattern});
    }

    auto producer = client.producer();
    for (const char* event : kEvents) {
      producer.send("exchange/" + exchange,
                    {.body = std::string(R"({"event": ")") + event + R"("})", .key = event});
    }
    // Wait until every send has its report and check that the broker confirmed each one. An
    // event no binding matched would fail as unroutable.
    producer.flush(30s);
    for (auto event = client.poll(0ms); event; event = client.poll(0ms)) {
      const auto* report = std::get_if<postwire::DeliveryReport>(&*event);
      if (report && report->error) {
        std::cerr << "sending failed: " << report->error.to_string() << "\n";
        return 1;
      }
    }

    for (const Service& service : kServices) {
      const std::string queue = prefix + "." + service.name;
      // Every event is confirmed, so each queue already holds all it will get; declaring the
      // queue again says how many messages wait in it.
      const std::uint32_t waiting = client.declare_queue({.name = queue}).message_count;
      auto consumer = client.subscribe(queue);
      std::cout << service.name << " (" << service.pattern << "):";
      for (std::uint32_t i = 0; i < waiting; ++i) {
        auto delivery = consumer.poll(10s);
        if (!delivery) {
          std::cerr << "\n" << queue << ": " << i << " of " << waiting << " events within 10 s\n";
          return 1;
        }
        std::cout << " " << delivery->message().key;
        delivery->ack();
      }
      std::cout << "\n";
      consumer.close();
    }
    client.close();
    return 0;
  } catch (const std::exception& e) {
    // A postwire::Exception says "code_name: message".
    std::cerr << e.what() << "\n";
    return 1;
  }
}
