#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "postwire/config.hpp"
#include "postwire/delivery.hpp"
#include "postwire/events.hpp"
#include "postwire/export.hpp"
#include "postwire/message.hpp"
#include "postwire/metrics.hpp"
#include "postwire/topology.hpp"

namespace postwire {

namespace client {
class ClientCore;
class ConsumerCore;
}  // namespace client

// What the connected broker and transport can do. Operations a broker cannot do fail with
// ErrorCode::not_supported; docs/capabilities.md lists the same facts per broker.
struct Capabilities {
  bool exchanges = false;           // declare_exchange, bind, unbind
  bool priorities = false;          // Message::priority
  bool per_message_ttl = false;     // Message::ttl
  bool delayed_nack = false;        // Delivery::nack(delay) survives a consumer crash
  bool broker_dead_letter = false;  // queue-level dead-letter routing (QueueSpec)
  bool exclusive_consumers = false;
  bool single_active_consumer = false;
  bool quorum_queues = false;
  bool partitions = false;            // sources split into partitions (Position::partition)
  bool seek = false;                  // consuming from a chosen position (start positions)
  bool consumer_groups = false;       // consumers share a source by group (AssignmentEvent)
  bool fifo = false;                  // strict order per key with broker-side deduplication
  bool native_delay = false;          // the broker delays a message itself (no re-publish)
  bool visibility_extension = false;  // a received message's lease can be extended
};

// Receives messages from one source. Thread-safe; poll() from one thread at a time.
class POSTWIRE_API Consumer {
 public:
  Consumer();
  ~Consumer();  // close()s
  Consumer(Consumer&&) noexcept;
  Consumer& operator=(Consumer&&) noexcept;

  // The next message, waiting up to `timeout` (negative: until one arrives or close()).
  // Throws closed once the consumer or its client is closed, and invalid_argument for a
  // consumer subscribed with deliver_as_events.
  [[nodiscard]] std::optional<Delivery> poll(std::chrono::milliseconds timeout);
  // Up to `max` messages appended to `out`; returns how many.
  std::size_t poll(std::vector<Delivery>& out, std::size_t max, std::chrono::milliseconds timeout);
  // Readable while messages are waiting.
  [[nodiscard]] int wakeup_fd() const;
  [[nodiscard]] const std::string& source() const;
  // Unique among the client's consumers; the consumer_id of its messages and events.
  [[nodiscard]] std::uint64_t id() const;
  // Stops consuming. Messages not yet settled are redelivered by the broker.
  void close();

 private:
  friend class Client;
  explicit Consumer(std::shared_ptr<client::ConsumerCore> core);
  std::shared_ptr<client::ConsumerCore> core_;
};

struct SubscribeOptions {
  std::optional<std::uint16_t> prefetch;  // default: consumer.prefetch.count
  bool exclusive = false;                 // refuse other consumers of this source
  // Hand messages out as Delivery events through Client::poll() (and the client's wakeup fd)
  // instead of Consumer::poll(): one poll loop serves every consumer. They are not counted
  // against event.queue.max.events: the prefetch bounds them.
  bool deliver_as_events = false;
  // Options by name, for what only some brokers have (docs/subscribing.md lists them), so
  // that a new one needs no new field: RabbitMQ's consumer priority, and the settings of the
  // brokers to come. An option the broker does not know fails with invalid_argument naming it.
  std::vector<std::pair<std::string, std::string>> settings;
};

// Sends messages. Obtained from Client::producer(); cheap to copy; thread-safe.
class POSTWIRE_API Producer {
 public:
  Producer();
  // Queues `message` for `destination` and returns its id at once. The outcome arrives later
  // as a DeliveryReport event carrying `token`. Destinations: "queue-name", or
  // "exchange/NAME" to publish to exchange NAME with the message key as routing key.
  // Blocks up to max.block.ms while the send buffer is full or the broker blocks publishers,
  // then throws queue_full; throws message_too_large, invalid_argument or closed at once.
  // `message` is moved from only when the send is accepted: after an exception it is intact.
  std::string send(std::string_view destination, Message&& message, std::uint64_t token = 0);
  std::string send(std::string_view destination, const Message& message, std::uint64_t token = 0);
  // The same without ever blocking, for callers on an event loop: when the send buffer is full
  // (or the broker blocks publishers) the message waits in the client's line of sends, in the
  // order they were made, for up to max.block.ms; if no room comes, its DeliveryReport fails
  // with queue_full. Throws queue_full at once only when that line is full too
  // (queue.waiting.max.messages), and message_too_large, invalid_argument or
  // closed as send() does; `message` is moved from only when the send is accepted.
  std::string send_nowait(std::string_view destination, Message&& message, std::uint64_t token = 0);
  // Waits until every message sent so far has its report; throws timed_out otherwise.
  void flush(std::chrono::milliseconds timeout);
  // Messages sent and not yet reported.
  [[nodiscard]] std::size_t in_flight() const;

 private:
  friend class Client;
  explicit Producer(std::shared_ptr<client::ClientCore> core);
  std::shared_ptr<client::ClientCore> core_;
};

// A connection to one broker cluster (one URL), with its IO thread and event queue.
// Thread-safe. Blocking calls (connect, topology, flush, close) must not be made from inside
// the client's own callbacks.
class POSTWIRE_API Client {
 public:
  // Connects, or throws: invalid_url, config errors, authentication_failed, not_found
  // (vhost), connection_refused / timed_out naming every host tried.
  static Client connect(std::string_view url, const Config& config = {});

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();  // close()s with the default timeout

  [[nodiscard]] Producer producer();
  [[nodiscard]] Consumer subscribe(std::string_view source, const SubscribeOptions& options = {});

  // Topology. Blocking; declared topology is restored after a reconnect.
  QueueInfo declare_queue(const QueueSpec& spec);
  void declare_exchange(const ExchangeSpec& spec);
  void bind(const BindingSpec& binding);
  void unbind(const BindingSpec& binding);
  std::uint64_t purge_queue(std::string_view name);  // messages removed
  std::uint64_t delete_queue(std::string_view name, const DeleteQueueOptions& options = {});
  void delete_exchange(std::string_view name, bool if_unused = false);

  // Events: delivery reports, connection and consumer state, flow control, errors, logs.
  std::size_t poll(std::vector<Event>& out, std::size_t max, std::chrono::milliseconds timeout);
  [[nodiscard]] std::optional<Event> poll(std::chrono::milliseconds timeout);
  [[nodiscard]] int wakeup_fd() const;  // readable while events are waiting

  [[nodiscard]] MetricsSnapshot stats() const;
  [[nodiscard]] Capabilities capabilities() const;

  // Flushes up to `timeout`, then closes every connection. Messages still unconfirmed get a
  // failed report (closed). Idempotent.
  void close(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  explicit Client(std::shared_ptr<client::ClientCore> core);
  std::shared_ptr<client::ClientCore> core_;
};

}  // namespace postwire
