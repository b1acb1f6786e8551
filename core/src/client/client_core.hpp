#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/compression_envelope.hpp"
#include "client/metrics.hpp"
#include "client/retry_policy.hpp"
#include "client/send_buffer.hpp"
#include "client/send_line.hpp"
#include "client/transport.hpp"
#include "client/transport_factory.hpp"
#include "postwire/broker_url.hpp"
#include "postwire/client.hpp"
#include "postwire/config.hpp"
#include "runtime/event_queue.hpp"
#include "runtime/io_thread.hpp"
#include "runtime/logger.hpp"
#include "runtime/retry_budget.hpp"

namespace postwire::client {

// Everything a client does that does not depend on the broker: the send buffer and its
// accounting, ids and timestamps, compression, retry decisions, delivery reports, the event
// queue, metrics, and the consumers' shared parts. The transport does the rest.
class ClientCore : public TransportHost, public std::enable_shared_from_this<ClientCore> {
 public:
  // Makes the transport for a URL; the default picks it by the URL's scheme.
  using TransportMaker =
      std::function<std::unique_ptr<Transport>(const BrokerUrl& url, TransportHost& host)>;

  static std::shared_ptr<ClientCore> connect(std::string_view url, const Config& config,
                                             const TransportMaker& make = make_transport);
  ~ClientCore() override;
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;

  // Moves from `message` only when the send is accepted (returns).
  std::string send(std::string_view destination, Message&& message, std::uint64_t token);
  // Never blocks: admitted at once, or waiting in the send line for room (its report fails
  // with queue_full after max.block.ms); throws queue_full only when the line is full too.
  std::string send_nowait(std::string_view destination, Message&& message, std::uint64_t token);
  [[nodiscard]] OutgoingPtr make_internal(std::string destination, Message message,
                                          std::uint32_t delivery_attempt,
                                          std::function<void(const Error&)> on_done) const override;
  void flush(std::chrono::milliseconds timeout);
  [[nodiscard]] std::size_t in_flight() const;

  std::shared_ptr<ConsumerCore> subscribe(std::string_view source, const SubscribeOptions& options);
  Transport& transport();

  std::size_t poll(std::vector<Event>& out, std::size_t max, std::chrono::milliseconds timeout);
  [[nodiscard]] int wakeup_fd() const { return events_.wakeup_fd(); }
  [[nodiscard]] MetricsSnapshot stats() const;
  [[nodiscard]] Capabilities capabilities();
  void close(std::chrono::milliseconds timeout);

  // Throws forked_process in a forked child and closed after close().
  void check_usable() const;

  // TransportHost, on the IO thread.
  void complete(OutgoingPtr message, const Error& outcome) override;
  [[nodiscard]] RetryDecision retry(Outgoing& message, const Error& failure,
                                    Outgoing::Clock::time_point now) override;
  [[nodiscard]] bool expired(const Outgoing& message,
                             Outgoing::Clock::time_point now) const override;
  void emit(Event event) override;
  void set_flow_blocked(bool blocked, std::string reason) override;

  [[nodiscard]] const Config& config() const noexcept override { return config_; }
  [[nodiscard]] Metrics& metrics() noexcept override { return metrics_; }
  [[nodiscard]] const runtime::Logger& logger() const noexcept override { return logger_; }
  [[nodiscard]] runtime::IoThread& io() noexcept override { return *io_; }

 private:
  ClientCore(BrokerUrl url, Config config);
  void publish_staged_reports();
  // The body compressed with the compression envelope, where the transport leaves that to the
  // client layer and compressing pays.
  [[nodiscard]] std::optional<std::string> compress_body(std::string_view body) const;
  void finish_pending(std::size_t count);
  // send()'s and send_nowait()'s parts: the checks and compression (leaving `message` as it
  // is), filling in what the client assigns and counting it in flight, and handing a message
  // that holds room in the buffer to the transport.
  [[nodiscard]] OutgoingPtr prepare(std::string_view destination, const Message& message) const;
  std::string accept(Outgoing& outgoing, Message&& message, std::uint64_t token);
  void publish_admitted(OutgoingPtr outgoing);
  // The send line, on the IO thread: admitting what now fits, and failing what waited too long.
  bool try_admit(const Outgoing& outgoing);
  void admit_waiting();
  void watch_line();
  void fail_waiting(std::vector<OutgoingPtr> waiting, const Error& reason);
  [[nodiscard]] Error line_timeout_error() const;

  Config config_;
  BrokerUrl url_;
  Metrics metrics_;
  runtime::EventQueue<Event> events_;
  runtime::Logger logger_;
  std::unique_ptr<runtime::IoThread> io_;
  RetryPolicy retry_;
  runtime::RetryBudget retry_budget_;
  CompressionPolicy compression_;
  bool per_message_compression_ = true;  // the transport's choice (Transport::compression())
  SendBuffer buffer_;
  std::size_t max_message_bytes_;
  std::chrono::milliseconds max_block_;
  bool delivery_reports_;
  SendLine line_;
  boost::asio::steady_timer line_timer_;  // the line's front deadline; IO thread
  bool line_timer_armed_ = false;         // IO thread

  // Messages accepted and not yet completed; flush() waits for zero.
  mutable std::mutex pending_mutex_;
  std::condition_variable pending_done_;
  std::size_t pending_ = 0;
  // IO thread only: reports completed and not yet in the event queue.
  std::vector<Event> staged_reports_;

  std::unique_ptr<Transport> transport_;
  std::atomic<bool> closed_{false};
  std::mutex close_mutex_;
  std::vector<std::weak_ptr<ConsumerCore>> consumers_;  // guarded by close_mutex_
  std::atomic<std::uint64_t> next_consumer_id_{0};
};

}  // namespace postwire::client
