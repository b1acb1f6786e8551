// The public C++ API (postwire/client.hpp): thin handles over the client layer.
#include <utility>

#include "client/client_core.hpp"
#include "client/consumer_core.hpp"
#include "postwire/client.hpp"

namespace postwire {

const std::string* Message::header(std::string_view name) const noexcept {
  for (const auto& h : headers) {
    if (h.name == name) {
      return &h.value;
    }
  }
  return nullptr;
}

namespace {

const client::InboundMessage& checked(const std::shared_ptr<client::InboundMessage>& message) {
  if (!message) {
    throw Exception(ErrorCode::invalid_argument, "this Delivery is empty (moved from)");
  }
  return *message;
}

template <typename Core>
Core& checked_core(const std::shared_ptr<Core>& core, std::string_view what) {
  if (!core) {
    throw Exception(ErrorCode::closed, std::string(what) + " is empty (moved from or closed)");
  }
  return *core;
}

}  // namespace

// Delivery

Delivery::Delivery() = default;
Delivery::~Delivery() = default;
Delivery::Delivery(Delivery&&) noexcept = default;
Delivery& Delivery::operator=(Delivery&&) noexcept = default;

const Message& Delivery::message() const { return checked(message_).message; }
const std::string& Delivery::source() const { return checked(message_).source; }
const Position& Delivery::position() const { return checked(message_).position; }
std::uint64_t Delivery::consumer_id() const { return checked(message_).consumer_id; }
std::uint32_t Delivery::delivery_count() const { return checked(message_).delivery_count; }
bool Delivery::redelivered() const { return checked(message_).redelivered; }
bool Delivery::settled() const { return checked(message_).settled.load(); }

namespace {

void settle(const std::shared_ptr<client::InboundMessage>& message, client::SettleKind kind,
            std::chrono::milliseconds delay, std::string_view reason) {
  checked(message);
  auto consumer = message->consumer.lock();
  if (!consumer) {
    throw Exception(ErrorCode::closed, "the consumer of '" + message->source +
                                           "' is gone; the broker redelivers the message");
  }
  consumer->settle(message, kind, delay, reason);
}

}  // namespace

void Delivery::ack() { settle(message_, client::SettleKind::ack, {}, {}); }

void Delivery::nack(std::chrono::milliseconds delay) {
  if (delay.count() < 0) {
    throw Exception(ErrorCode::invalid_argument, "nack: the delay must not be negative");
  }
  settle(message_, client::SettleKind::redeliver, delay, {});
}

void Delivery::dead_letter(std::string_view reason) {
  settle(message_, client::SettleKind::dead_letter, {}, reason);
}

// Consumer

Consumer::Consumer() = default;
Consumer::Consumer(std::shared_ptr<client::ConsumerCore> core) : core_(std::move(core)) {}
Consumer::~Consumer() {
  if (core_) {
    core_->close();
  }
}
Consumer::Consumer(Consumer&&) noexcept = default;
Consumer& Consumer::operator=(Consumer&& other) noexcept {
  if (this != &other) {
    if (core_) {
      core_->close();
    }
    core_ = std::move(other.core_);
  }
  return *this;
}

std::optional<Delivery> Consumer::poll(std::chrono::milliseconds timeout) {
  std::vector<Delivery> out;
  if (checked_core(core_, "Consumer").poll(out, 1, timeout) == 0) {
    return std::nullopt;
  }
  return std::move(out.front());
}

std::size_t Consumer::poll(std::vector<Delivery>& out, std::size_t max,
                           std::chrono::milliseconds timeout) {
  return checked_core(core_, "Consumer").poll(out, max, timeout);
}

int Consumer::wakeup_fd() const { return checked_core(core_, "Consumer").wakeup_fd(); }
const std::string& Consumer::source() const { return checked_core(core_, "Consumer").source(); }
std::uint64_t Consumer::id() const { return checked_core(core_, "Consumer").id(); }

void Consumer::close() {
  if (core_) {
    core_->close();
  }
}

// Producer

Producer::Producer() = default;
Producer::Producer(std::shared_ptr<client::ClientCore> core) : core_(std::move(core)) {}

std::string Producer::send(std::string_view destination, Message&& message, std::uint64_t token) {
  return checked_core(core_, "Producer").send(destination, std::move(message), token);
}

std::string Producer::send(std::string_view destination, const Message& message,
                           std::uint64_t token) {
  Message copy = message;
  return checked_core(core_, "Producer").send(destination, std::move(copy), token);
}

std::string Producer::send_nowait(std::string_view destination, Message&& message,
                                  std::uint64_t token) {
  return checked_core(core_, "Producer").send_nowait(destination, std::move(message), token);
}

void Producer::flush(std::chrono::milliseconds timeout) {
  checked_core(core_, "Producer").flush(timeout);
}

std::size_t Producer::in_flight() const { return checked_core(core_, "Producer").in_flight(); }

// Client

Client::Client(std::shared_ptr<client::ClientCore> core) : core_(std::move(core)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    if (core_) {
      core_->close(std::chrono::seconds(10));
    }
    core_ = std::move(other.core_);
  }
  return *this;
}
Client::~Client() {
  if (core_) {
    core_->close(std::chrono::seconds(10));
  }
}

Client Client::connect(std::string_view url, const Config& config) {
  return Client(client::ClientCore::connect(url, config));
}

Producer Client::producer() {
  checked_core(core_, "Client").check_usable();
  return Producer(core_);
}

Consumer Client::subscribe(std::string_view source, const SubscribeOptions& options) {
  return Consumer(checked_core(core_, "Client").subscribe(source, options));
}

QueueInfo Client::declare_queue(const QueueSpec& spec) {
  return checked_core(core_, "Client").transport().declare_queue(spec);
}

void Client::declare_exchange(const ExchangeSpec& spec) {
  checked_core(core_, "Client").transport().declare_exchange(spec);
}

void Client::bind(const BindingSpec& binding) {
  checked_core(core_, "Client").transport().bind(binding);
}

void Client::unbind(const BindingSpec& binding) {
  checked_core(core_, "Client").transport().unbind(binding);
}

std::uint64_t Client::purge_queue(std::string_view name) {
  return checked_core(core_, "Client").transport().purge_queue(name);
}

std::uint64_t Client::delete_queue(std::string_view name, const DeleteQueueOptions& options) {
  return checked_core(core_, "Client").transport().delete_queue(name, options);
}

void Client::delete_exchange(std::string_view name, bool if_unused) {
  checked_core(core_, "Client").transport().delete_exchange(name, if_unused);
}

std::size_t Client::poll(std::vector<Event>& out, std::size_t max,
                         std::chrono::milliseconds timeout) {
  return checked_core(core_, "Client").poll(out, max, timeout);
}

std::optional<Event> Client::poll(std::chrono::milliseconds timeout) {
  std::vector<Event> out;
  if (checked_core(core_, "Client").poll(out, 1, timeout) == 0) {
    return std::nullopt;
  }
  return std::move(out.front());
}

int Client::wakeup_fd() const { return checked_core(core_, "Client").wakeup_fd(); }
MetricsSnapshot Client::stats() const { return checked_core(core_, "Client").stats(); }
Capabilities Client::capabilities() const { return checked_core(core_, "Client").capabilities(); }

void Client::close(std::chrono::milliseconds timeout) {
  if (core_) {
    core_->close(timeout);
  }
}

}  // namespace postwire
