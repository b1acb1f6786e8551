// topic URL EXCHANGE PREFIX
//
// Fan-out through a topic exchange. Declares the topic exchange EXCHANGE and one queue per
// service, bound with the pattern of the events that service wants:
//   PREFIX.billing   order.*     (* stands for exactly one word)
//   PREFIX.shipping  order.paid
//   PREFIX.audit     #           (# stands for any number of words: every event)
// Publishes four events to "exchange/EXCHANGE" with the event name as key, which is the routing
// key, then drains each queue and prints which service got which events. Deletes the exchange
// and the queues at the end.
//
// Run from the repository root after the dev build (cmake --build --preset dev):
//   build/examples/cpp/postwire-example-cpp-topic amqp://guest:guest@127.0.0.1:5672 events shop
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <stdexcept>
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
// How long to wait for something the broker should do promptly.
constexpr auto kWait = 10s;

// Declares the exchange and the queues, publishes the events and prints what each service got.
void fan_out(postwire::Client& client, const std::string& exchange, const std::string& prefix) {
  client.declare_exchange({.name = exchange, .type = postwire::ExchangeType::topic});
  for (const Service& service : kServices) {
    const std::string queue = prefix + "." + service.name;
    client.declare_queue({.name = queue});
    client.bind({.exchange = exchange, .destination = queue, .routing_key = service.pattern});
  }

  auto producer = client.producer();
  for (const char* event : kEvents) {
    producer.send("exchange/" + exchange,
                  {.body = std::string(R"({"event": ")") + event + R"("})", .key = event});
  }
  // Wait until every send has its report and check that the broker confirmed each one. An
  // event no binding matched would fail as unroutable.
  producer.flush(kWait);
  for (auto event = client.poll(0ms); event; event = client.poll(0ms)) {
    const auto* report = std::get_if<postwire::DeliveryReport>(&*event);
    if (report && report->error) {
      throw std::runtime_error("sending failed: " + report->error.to_string());
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
      auto delivery = consumer.poll(kWait);
      if (!delivery) {
        throw std::runtime_error("no event on " + queue + " within " +
                                 std::to_string(kWait.count()) + " s");
      }
      std::cout << " " << delivery->message().key;
      delivery->ack();
    }
    std::cout << "\n";
    consumer.close();
  }
}

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
    int status = 0;
    try {
      fan_out(client, exchange, prefix);
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      status = 1;
    }
    // This is a demonstration: leave nothing behind on the broker, also after a failure.
    for (const Service& service : kServices) {
      client.delete_queue(prefix + "." + service.name);
    }
    client.delete_exchange(exchange);
    client.close();
    return status;
  } catch (const std::exception& e) {
    // A postwire::Exception says "code_name: message".
    std::cerr << e.what() << "\n";
    return 1;
  }
}
