// priority URL QUEUE
//
// A priority queue. Declares QUEUE with priorities 0 to 9, sends three low-priority jobs and
// then two urgent ones, waits until the broker confirmed all of them, and only then starts
// consuming: the urgent jobs come out first although they were sent last. Prints each job as it
// is sent and as it arrives. Priorities order the messages waiting in a queue; a consumer that
// is already waiting gets each message as it arrives.
//
// Run from the repository root after the dev build (cmake --build --preset dev):
//   build/examples/cpp/postwire-example-cpp-priority amqp://guest:guest@127.0.0.1:5672 jobs
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <iterator>
#include <string>
#include <variant>

#include "postwire/client.hpp"

using namespace std::chrono_literals;

namespace {

struct Job {
  const char* name;
  std::uint8_t priority;
};

constexpr Job kJobs[] = {
    {"report-1", 1}, {"report-2", 1}, {"report-3", 1}, {"alert-1", 9}, {"alert-2", 9},
};
// How long to wait for something the broker should do promptly.
constexpr auto kWait = 10s;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " URL QUEUE\n";
    return 2;
  }
  const std::string queue = argv[2];

  try {
    auto client = postwire::Client::connect(argv[1]);
    // A queue orders by priority only if it was declared with a maximum priority; a message's
    // priority above it counts as the maximum.
    client.declare_queue({.name = queue, .durable = true, .max_priority = 9});

    auto producer = client.producer();
    for (const Job& job : kJobs) {
      producer.send(queue, {.body = job.name, .priority = job.priority});
      std::cout << "sent " << job.name << " (priority " << static_cast<int>(job.priority) << ")\n";
    }
    // Waiting for every confirm means every job is in the queue before the first is taken, so
    // the broker can order all of them by priority.
    producer.flush(kWait);
    for (auto event = client.poll(0ms); event; event = client.poll(0ms)) {
      const auto* report = std::get_if<postwire::DeliveryReport>(&*event);
      if (report && report->error) {
        std::cerr << "sending failed: " << report->error.to_string() << "\n";
        return 1;
      }
    }

    auto consumer = client.subscribe(queue);
    for (std::size_t i = 0; i < std::size(kJobs); ++i) {
      auto delivery = consumer.poll(kWait);
      if (!delivery) {
        std::cerr << "no job within " << kWait.count() << " s\n";
        return 1;
      }
      const postwire::Message& job = delivery->message();
      std::cout << "received " << job.body << " (priority "
                << static_cast<int>(job.priority.value_or(0)) << ")\n";
      delivery->ack();
    }
    consumer.close();
    client.close();
    return 0;
  } catch (const std::exception& e) {
    // A postwire::Exception says "code_name: message".
    std::cerr << e.what() << "\n";
    return 1;
  }
}
