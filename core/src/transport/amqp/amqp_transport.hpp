#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/metrics.hpp"
#include "client/send_pipeline.hpp"
#include "client/transport.hpp"
#include "runtime/backoff.hpp"
#include "transport/amqp/channel.hpp"
#include "transport/amqp/connection.hpp"
#include "transport/amqp/topology_registry.hpp"

namespace postwire::amqp {

class AmqpSubscription;

// RabbitMQ over AMQP 0-9-1: one connection with a confirm-mode publishing channel, a pool of
// channels for topology calls and one channel per consumer; automatic recovery (reconnect with
// backoff, re-declare the topology this client declared, resume consumers, republish what was
// not confirmed). Application threads call the Transport entry points; everything else runs on
// the client's IO thread.
class AmqpTransport final : public client::Transport, private client::SendLink {
 public:
  AmqpTransport(const BrokerUrl& url, client::TransportHost& client);
  ~AmqpTransport() override;

  void start() override;
  void publish(client::OutgoingPtr message) override;
  std::shared_ptr<client::Subscription> subscribe(std::shared_ptr<client::ConsumerCore> consumer,
                                                  const SubscribeOptions& options) override;
  QueueInfo declare_queue(const QueueSpec& spec) override;
  void declare_exchange(const ExchangeSpec& spec) override;
  void bind(const BindingSpec& binding) override;
  void unbind(const BindingSpec& binding) override;
  std::uint64_t purge_queue(std::string_view name) override;
  std::uint64_t delete_queue(std::string_view name, const DeleteQueueOptions& options) override;
  void delete_exchange(std::string_view name, bool if_unused) override;
  [[nodiscard]] Capabilities capabilities() const override;
  void check_message(std::string_view destination, const Message& message) const override;
  void close(const Error& reason) override;

  // For subscriptions (IO thread).
  void settle(AmqpSubscription& subscription, client::Settlement settlement);
  // The broker cancelled the consumer or closed its channel while the connection stayed up:
  // the subscription waits for its queue and is tried again with backoff.
  void subscription_refused(const std::shared_ptr<AmqpSubscription>& subscription,
                            const Error& error);
  void forget(AmqpSubscription& subscription);
  [[nodiscard]] client::TransportHost& client() noexcept { return client_; }

 private:
  // Who a broker call is for. The application's calls wait (up to request.timeout.ms) while
  // the connection recovers; recovery's own calls run on the connection being restored.
  enum class Caller : std::uint8_t { application, recovery };

  // Connection life cycle and recovery (amqp_recovery.cpp): the one place that decides what is
  // restored, in order — connection, publisher, topology, then every subscription.
  boost::asio::awaitable<void> connect_and_restore();
  boost::asio::awaitable<void> recover();
  void on_connection_lost(const Error& error);
  void detach_everything();
  boost::asio::awaitable<void> open_publisher();
  boost::asio::awaitable<void> restore_topology();
  boost::asio::awaitable<void> restore_subscriptions();
  // Consumes again; false when the broker refused (the subscription then waits for a retry).
  // A lost connection throws.
  boost::asio::awaitable<bool> resume(std::shared_ptr<AmqpSubscription> subscription,
                                      Caller caller);
  void schedule_resume(std::shared_ptr<AmqpSubscription> subscription);
  boost::asio::awaitable<void> wait_until_connected();
  void wake_connection_waiters();

  // Publishing (amqp_publishing.cpp): the confirm-mode channel as the SendPipeline's link.
  [[nodiscard]] bool ready() const override;
  std::uint64_t write(client::Outgoing& message) override;
  void on_publisher_async(Incoming&& incoming);
  void on_publisher_closed(const Error& error);
  void fail_everything(const Error& error);

  // Settling received messages.
  boost::asio::awaitable<void> republish_for(std::shared_ptr<AmqpSubscription> subscription,
                                             client::Settlement settlement);
  boost::asio::awaitable<void> ensure_queue(std::string name, FieldTable arguments);

  // Topology, on the IO thread; each records what it changed in topology_.
  boost::asio::awaitable<QueueInfo> declare_queue_on_broker(QueueSpec spec,
                                                            Caller caller = Caller::application);
  boost::asio::awaitable<void> declare_exchange_on_broker(ExchangeSpec spec,
                                                          Caller caller = Caller::application);
  boost::asio::awaitable<void> bind_on_broker(BindingSpec binding, bool add,
                                              Caller caller = Caller::application);
  boost::asio::awaitable<std::uint64_t> purge_on_broker(std::string name);
  boost::asio::awaitable<std::uint64_t> delete_queue_on_broker(std::string name,
                                                               DeleteQueueOptions options);
  boost::asio::awaitable<void> delete_exchange_on_broker(std::string name, bool if_unused);
  boost::asio::awaitable<void> start_subscription(std::shared_ptr<AmqpSubscription> subscription);
  // basic.qos and basic.consume on a new channel of the current connection.
  boost::asio::awaitable<void> consume(std::shared_ptr<AmqpSubscription> subscription,
                                       Caller caller);
  boost::asio::awaitable<void> close_on_io_thread(Error reason);

  // Topology calls on a pooled channel.
  template <typename Reply>
  boost::asio::awaitable<Reply> admin_call(Method request, Caller caller = Caller::application);
  template <typename T>
  T run_blocking(boost::asio::awaitable<T> operation);

  client::TransportHost& client_;
  ConnectionSettings settings_;
  std::chrono::milliseconds request_timeout_;
  std::size_t max_in_flight_;
  bool mandatory_;
  std::string dead_letter_suffix_;
  runtime::Backoff reconnect_backoff_;

  // IO thread state.
  std::shared_ptr<Connection> connection_;
  std::uint64_t connection_serial_ = 0;  // counts connections: a stale one's loss is ignored
  bool connected_ = false;               // connected and restored: the application's calls may go
  bool closing_ = false;
  bool failed_ = false;
  Error fatal_error_;
  Error last_error_;                // of the last failed reconnect, for timeout messages
  std::uint64_t incarnations_ = 0;  // consumer channels opened, to tell their tags apart
  std::shared_ptr<Channel> publisher_;
  std::vector<std::shared_ptr<Channel>> idle_channels_;
  client::SendPipeline publishing_;
  std::uint64_t next_tag_ = 1;  // the delivery tag of the next publish on publisher_
  // Delay and dead-letter queues declared on this connection, and when.
  std::map<std::string, std::chrono::steady_clock::time_point> declared_helpers_;
  TopologyRegistry topology_;
  std::vector<std::weak_ptr<AmqpSubscription>> subscriptions_;
  // Calls waiting in wait_until_connected(), woken when the connection is back or gone.
  std::vector<boost::asio::steady_timer*> connection_waiters_;
};

}  // namespace postwire::amqp
