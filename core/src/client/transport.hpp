#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "client/outgoing.hpp"
#include "postwire/client.hpp"
#include "postwire/config.hpp"
#include "postwire/events.hpp"
#include "postwire/topology.hpp"
#include "runtime/io_thread.hpp"
#include "runtime/logger.hpp"

namespace postwire::client {

class ConsumerCore;
class Metrics;
struct InboundMessage;

// Whether to send a message again after a retriable failure, and when.
struct RetryDecision {
  std::optional<Outgoing::Clock::time_point> when;  // nothing: give up
  Error reason;  // when giving up: the failure and why it is final (time or budget spent)
};

// What the client layer offers a transport: the IO thread it runs on, the configuration, the
// logger and the metrics, and the broker-independent decisions and outcomes. A transport
// depends on this and nothing else of the client layer, so a test can host one. Called on the
// transport's IO thread unless said otherwise.
class TransportHost {
 public:
  virtual ~TransportHost() = default;

  // Any thread.
  [[nodiscard]] virtual runtime::IoThread& io() noexcept = 0;
  [[nodiscard]] virtual const Config& config() const noexcept = 0;
  [[nodiscard]] virtual const runtime::Logger& logger() const noexcept = 0;
  [[nodiscard]] virtual Metrics& metrics() noexcept = 0;
  // A message the transport sends on its own behalf (a delayed redelivery, a dead letter):
  // compressed like any other, outside the send buffer, completed through `on_done`.
  [[nodiscard]] virtual OutgoingPtr make_internal(
      std::string destination, Message message, std::uint32_t delivery_attempt,
      std::function<void(const Error&)> on_done) const = 0;

  // The final outcome of a message: confirmed (ok) or failed for good.
  virtual void complete(OutgoingPtr message, const Error& outcome) = 0;
  // A send attempt failed retriably with `failure`: when to try again (a retry spends from the
  // client's retry budget), or the error to fail the message with.
  [[nodiscard]] virtual RetryDecision retry(Outgoing& message, const Error& failure,
                                            Outgoing::Clock::time_point now) = 0;
  [[nodiscard]] virtual bool expired(const Outgoing& message,
                                     Outgoing::Clock::time_point now) const = 0;
  virtual void emit(Event event) = 0;
  virtual void set_flow_blocked(bool blocked, std::string reason) = 0;
};

// How a received message is settled; the transport does the broker-specific part.
enum class SettleKind { ack, redeliver, dead_letter };

struct Settlement {
  SettleKind kind = SettleKind::ack;
  std::shared_ptr<InboundMessage> message;
  std::chrono::milliseconds delay{0};  // redeliver
  std::string reason;                  // dead_letter
};

// One consumer's transport side. Thread-safe: calls post to the IO thread.
class Subscription {
 public:
  virtual ~Subscription() = default;
  virtual void settle(Settlement settlement) = 0;
  // The application is about to wait for more messages: settlements the transport holds back
  // to send together should go now.
  virtual void flush_settlements() = 0;
  // Stops consuming; unsettled messages go back to the broker. Blocking.
  virtual void cancel() = 0;
};

// A broker transport. Entry points are called from application threads and are thread-safe;
// the blocking ones must not be called from the IO thread.
class Transport {
 public:
  virtual ~Transport() = default;

  // Connects (blocking) or throws.
  virtual void start() = 0;
  // Takes a message to send; never blocks.
  virtual void publish(OutgoingPtr message) = 0;
  virtual std::shared_ptr<Subscription> subscribe(std::shared_ptr<ConsumerCore> consumer,
                                                  const SubscribeOptions& options) = 0;

  // Topology. A broker without the notion fails with not_supported (the defaults here), and
  // capabilities() says so beforehand.
  virtual QueueInfo declare_queue(const QueueSpec& spec);
  virtual void declare_exchange(const ExchangeSpec& spec);
  virtual void bind(const BindingSpec& binding);
  virtual void unbind(const BindingSpec& binding);
  virtual std::uint64_t purge_queue(std::string_view name);
  virtual std::uint64_t delete_queue(std::string_view name, const DeleteQueueOptions& options);
  virtual void delete_exchange(std::string_view name, bool if_unused);

  [[nodiscard]] virtual Capabilities capabilities() const = 0;

  // Where bodies are compressed: the client layer compresses each message body (the
  // compression envelope, for brokers without codecs of their own), or the transport
  // compresses whole batches with the broker's codec and the client layer leaves bodies as
  // they are.
  enum class Compression : std::uint8_t { per_message, per_batch };
  [[nodiscard]] virtual Compression compression() const { return Compression::per_message; }
  // Whether `message` can be sent to `destination` as it is: names and fields within the
  // protocol's limits. Throws invalid_argument naming what is wrong.
  virtual void check_message(std::string_view destination, const Message& message) const = 0;

  // Closes every connection. Messages not yet confirmed complete with `reason`. Blocking.
  virtual void close(const Error& reason) = 0;
};

}  // namespace postwire::client
