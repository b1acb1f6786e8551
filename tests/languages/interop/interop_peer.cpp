// The C++ side of the cross-language interop suite (tests/languages/test_interop.py), written
// against the public C++ API (postwire/client.hpp). The message format on standard input and
// output is described in tests/languages/interop/README.md.
//
//   postwire-interop-peer send URL QUEUE            sends the messages read from stdin
//   postwire-interop-peer receive URL QUEUE COUNT   prints COUNT received messages, acking each
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <postwire/client.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

using namespace std::chrono_literals;

std::string from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    throw std::invalid_argument("hex of odd length: " + std::string(hex));
  }
  std::string bytes(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char* first = hex.data() + 2 * i;
    unsigned value = 0;
    auto [end, error] = std::from_chars(first, first + 2, value, 16);
    if (error != std::errc{} || end != first + 2) {
      throw std::invalid_argument("not hex: " + std::string(first, 2));
    }
    bytes[i] = static_cast<char>(value);
  }
  return bytes;
}

std::string to_hex(std::string_view bytes) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char byte : bytes) {
    auto value = static_cast<unsigned char>(byte);
    hex += digits[value >> 4U];
    hex += digits[value & 0xfU];
  }
  return hex;
}

// Splits "field rest of line" at the first space; rest is empty when there is none.
std::pair<std::string_view, std::string_view> split(std::string_view line) {
  auto space = line.find(' ');
  if (space == std::string_view::npos) {
    return {line, {}};
  }
  return {line.substr(0, space), line.substr(space + 1)};
}

std::vector<postwire::Message> read_messages(std::istream& in) {
  std::vector<postwire::Message> messages;
  postwire::Message message;
  std::string line;
  while (std::getline(in, line)) {
    auto [field, value] = split(line);
    if (field.empty()) {
      continue;
    }
    if (field == "id") {
      message.id = value;
    } else if (field == "key") {
      message.key = from_hex(value);
    } else if (field == "content-type") {
      message.content_type = value;
    } else if (field == "header") {
      auto [name, hex] = split(value);
      message.headers.push_back({std::string(name), from_hex(hex)});
    } else if (field == "body") {
      message.body = from_hex(value);
    } else if (field == "end") {
      messages.push_back(std::move(message));
      message = {};
    } else {
      throw std::invalid_argument("unknown field: " + std::string(field));
    }
  }
  return messages;
}

void print(const postwire::Delivery& delivery) {
  const postwire::Message& message = delivery.message();
  std::cout << "id " << message.id << '\n';
  // The C++ API has no separate "no key": an empty key means none.
  if (!message.key.empty()) {
    std::cout << "key " << to_hex(message.key) << '\n';
  }
  if (!message.content_type.empty()) {
    std::cout << "content-type " << message.content_type << '\n';
  }
  for (const postwire::Header& header : message.headers) {
    std::cout << "header " << header.name << ' ' << to_hex(header.value) << '\n';
  }
  std::cout << "body " << to_hex(message.body) << '\n'
            << "delivery-count " << delivery.delivery_count() << '\n'
            << "end\n";
}

int send(const std::string& url, const std::string& queue) {
  std::vector<postwire::Message> messages = read_messages(std::cin);
  auto client = postwire::Client::connect(url);
  auto producer = client.producer();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    producer.send(queue, std::move(messages[i]), /*token=*/i + 1);
  }
  // Every send ends in exactly one delivery report; other events (logs) are skipped.
  std::size_t reports = 0;
  std::size_t failed = 0;
  while (reports < messages.size()) {
    auto event = client.poll(30s);
    if (!event) {
      std::cerr << "no delivery report within 30 s (" << reports << " of " << messages.size()
                << " came)\n";
      return 1;
    }
    if (auto* report = std::get_if<postwire::DeliveryReport>(&*event)) {
      ++reports;
      if (report->error) {
        ++failed;
        std::cerr << "message " << report->id << " failed: " << report->error.to_string() << '\n';
      }
    }
  }
  client.close();
  return failed == 0 ? 0 : 1;
}

int receive(const std::string& url, const std::string& queue, std::uint64_t count) {
  auto client = postwire::Client::connect(url);
  auto consumer = client.subscribe(queue);
  for (std::uint64_t received = 0; received < count; ++received) {
    auto delivery = consumer.poll(30s);
    if (!delivery) {
      std::cerr << "received " << received << " of " << count << " messages within 30 s\n";
      return 1;
    }
    print(*delivery);
    delivery->ack();
  }
  std::cout.flush();
  consumer.close();
  client.close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "send") {
      return send(args[1], args[2]);
    }
    std::uint64_t count = 0;
    if (args.size() == 4 && args[0] == "receive" &&
        std::from_chars(args[3].data(), args[3].data() + args[3].size(), count).ec == std::errc{}) {
      return receive(args[1], args[2], count);
    }
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << '\n';
    return 1;
  }
  std::cerr << "usage: postwire-interop-peer send URL QUEUE\n"
               "       postwire-interop-peer receive URL QUEUE COUNT\n";
  return 2;
}
