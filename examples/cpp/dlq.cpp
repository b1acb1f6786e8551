// dlq URL QUEUE
//
// An order queue with a dead-letter queue. Sends four orders to QUEUE (JSON bodies, the
// customer as key, the order number as id) and processes them: good orders are acked, an order
// that fails for now is nacked with a delay and processed when it comes back, and an order that
// can never succeed is dead-lettered with the reason. Then reads QUEUE.dlq, where dead letters
// go, and prints each one with its reason (the pw-dead-letter-reason header).
//
// Run from the repository root after the dev build (cmake --build --preset dev):
//   build/examples/cpp/postwire-example-cpp-dlq amqp://guest:guest@127.0.0.1:5672 orders
#include <charconv>
#include <chrono>
#include <cstddef>
#include <exception>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <variant>

#include "postwire/client.hpp"

using namespace std::chrono_literals;

namespace {

struct Order {
  const char* id;
  const char* customer;
  const char* item;
  int quantity;
};

constexpr Order kOrders[] = {
    {"order-1", "alice", "book", 2},
    {"order-2", "bob", "lamp", 0},    // invalid: dead-lettered
    {"order-3", "carol", "desk", 1},  // fails at first: retried
    {"order-4", "alice", "pen", 10},
};
// How long to wait for something the broker should do promptly.
constexpr auto kWait = 10s;

// Failures that retrying cannot fix, and failures that it may.
struct InvalidOrder : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct TryAgainLater : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Stands in for the real work. It reads the one field it needs from the body by hand, where a
// service would use a JSON library, and fails order-3's first delivery as an unavailable
// warehouse would.
void process(const postwire::Delivery& delivery) {
  const std::string& body = delivery.message().body;
  const std::string field = "\"quantity\": ";
  const auto at = body.find(field);
  int quantity = 0;
  if (at == std::string::npos ||
      std::from_chars(body.data() + at + field.size(), body.data() + body.size(), quantity).ec !=
          std::errc{}) {
    throw InvalidOrder("no quantity");
  }
  if (quantity <= 0) throw InvalidOrder("quantity must be positive");
  if (delivery.message().id == "order-3" && delivery.delivery_count() == 1) {
    throw TryAgainLater("warehouse unavailable");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " URL QUEUE\n";
    return 2;
  }
  const std::string queue = argv[2];
  const std::string dlq = queue + ".dlq";  // <queue> + dead.letter.suffix

  try {
    auto client = postwire::Client::connect(argv[1]);
    client.declare_queue({.name = queue, .durable = true});
    // postwire declares the dead-letter queue with the first dead letter; declaring it here
    // as well lets this program subscribe to it before that.
    client.declare_queue({.name = dlq, .durable = true});

    auto producer = client.producer();
    for (const Order& order : kOrders) {
      producer.send(queue, {.body = std::string(R"({"item": ")") + order.item +
                                    R"(", "quantity": )" + std::to_string(order.quantity) + "}",
                            .key = order.customer,
                            .id = order.id,
                            .content_type = "application/json"});
    }
    // Wait until every send has its report, then check that the broker confirmed each one.
    producer.flush(kWait);
    for (auto event = client.poll(0ms); event; event = client.poll(0ms)) {
      const auto* report = std::get_if<postwire::DeliveryReport>(&*event);
      if (report && report->error) {
        std::cerr << "sending " << report->id << " failed: " << report->error.to_string() << "\n";
        return 1;
      }
    }

    // Every order is settled for good by an ack or a dead letter; a nack brings it back.
    auto consumer = client.subscribe(queue);
    std::size_t settled = 0, dead_lettered = 0;
    while (settled < std::size(kOrders)) {
      auto delivery = consumer.poll(kWait);
      if (!delivery) {
        std::cerr << "no order within " << kWait.count() << " s\n";
        return 1;
      }
      const std::string& id = delivery->message().id;
      const unsigned count = delivery->delivery_count();
      try {
        process(*delivery);
        delivery->ack();
        std::cout << "processed " << id << " (delivery " << count << ")\n";
        ++settled;
      } catch (const TryAgainLater& e) {
        // The broker holds it for 200 ms, then delivers it again with delivery count + 1 (even
        // if this process died meanwhile).
        delivery->nack(200ms);
        std::cout << "retrying " << id << " (delivery " << count << "): " << e.what() << "\n";
      } catch (const InvalidOrder& e) {
        // Retrying cannot fix a bad order: park it with the reason for a human.
        delivery->dead_letter(e.what());
        std::cout << "dead-lettered " << id << ": " << e.what() << "\n";
        ++settled;
        ++dead_lettered;
      }
    }

    // The dead letters keep their id and body and carry the reason as a header.
    auto dead_letters = client.subscribe(dlq);
    for (std::size_t i = 0; i < dead_lettered; ++i) {
      auto dead = dead_letters.poll(kWait);
      if (!dead) {
        std::cerr << "no dead letter within " << kWait.count() << " s\n";
        return 1;
      }
      const std::string* reason = dead->message().header("pw-dead-letter-reason");
      std::cout << "dlq: " << dead->message().id << " reason=" << (reason ? *reason : "(none)")
                << "\n";
      dead->ack();
    }
    dead_letters.close();
    consumer.close();
    client.close();
    return 0;
  } catch (const std::exception& e) {
    // A postwire::Exception says "code_name: message".
    std::cerr << e.what() << "\n";
    return 1;
  }
}
