// AmqpTransport: topology calls and subscriptions. The connection life cycle and recovery are
// in amqp_recovery.cpp, the publishing path in amqp_publishing.cpp, settling in
// amqp_settling.cpp.
#include "transport/amqp/amqp_transport.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <limits>

#include "client/subscribe_options.hpp"
#include "client/topology_options.hpp"
#include "runtime/tls_context.hpp"
#include "runtime/uuid7.hpp"
#include "transport/amqp/amqp_subscription.hpp"
#include "transport/amqp/message_mapping.hpp"

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr std::size_t kMaxIdleChannels = 8;
constexpr std::size_t kMaxNameBytes = 255;  // queue and exchange names are short strings
constexpr milliseconds kCloseTimeout{2000};

ConnectionSettings settings_from(const BrokerUrl& url, const Config& config) {
  ConnectionSettings settings;
  settings.hosts = url.hosts();
  for (auto& host : settings.hosts) {
    if (host.port == 0) {
      host.port = url.tls() ? 5671 : 5672;  // IANA ports for amqps and amqp
    }
  }
  settings.connect.timeout = config.get_duration("socket.connection.setup.timeout.ms");
  if (url.tls()) {
    const auto tls = runtime::TlsOptions::from(config);
    settings.connect.tls = runtime::make_tls_context(tls);
    settings.connect.server_name = tls.server_name;
    settings.connect.verify_hostname = tls.verify_hostname;
  }
  // Kafka's codecs compress record batches; RabbitMQ bodies have only the zstd envelope.
  if (const auto codec = config.get_string("compression.codec");
      codec != "zstd" && codec != "none") {
    throw Exception(ErrorCode::config_invalid_value,
                    "compression.codec=" + codec +
                        " compresses Kafka record batches; RabbitMQ bodies take zstd or none");
  }
  // The option is case-insensitive; SASL names are upper case on the wire (RFC 4422).
  const auto mechanism = config.get_string("sasl.mechanism");
  if (mechanism != "plain" && mechanism != "external") {
    throw Exception(
        ErrorCode::config_invalid_value,
        "sasl.mechanism=" + mechanism + " is not offered by RabbitMQ (plain or external)");
  }
  settings.mechanism = mechanism == "external" ? "EXTERNAL" : "PLAIN";
  if (settings.mechanism == "EXTERNAL" && !url.tls()) {
    throw Exception(ErrorCode::config_invalid_value,
                    "sasl.mechanism=EXTERNAL needs an amqps:// URL and a client certificate "
                    "(tls.certificate.location)");
  }
  settings.username = url.username().value_or("guest");
  settings.password = url.password().value_or("guest");
  settings.vhost = url.vhost().empty() ? "/" : url.vhost();
  settings.connection_name = config.get_string("client.id");
  settings.frame_max = static_cast<std::uint32_t>(config.get_int("amqp.frame.max"));
  settings.heartbeat = config.get_duration("heartbeat.interval.ms");
  // Compressed bodies are at most as large as the limit (postwire only compresses when that
  // saves bytes); other clients' bodies get the same bound.
  settings.max_body_size = static_cast<std::uint64_t>(config.get_int("message.max.bytes"));
  return settings;
}

}  // namespace

AmqpTransport::AmqpTransport(const BrokerUrl& url, client::TransportHost& client)
    : client_(client),
      settings_(settings_from(url, client.config())),
      request_timeout_(client.config().get_duration("request.timeout.ms")),
      max_in_flight_(static_cast<std::size_t>(client.config().get_int("max.in.flight"))),
      mandatory_(client.config().get_bool("send.mandatory")),
      dead_letter_suffix_(client.config().get_string("dead.letter.suffix")),
      reconnect_backoff_(client.config().get_duration("reconnect.backoff.ms"),
                         client.config().get_duration("reconnect.backoff.max.ms")),
      publishing_(client, *this, max_in_flight_) {}

AmqpTransport::~AmqpTransport() = default;

template <typename T>
T AmqpTransport::run_blocking(asio::awaitable<T> operation) {
  return client_.io().run(std::move(operation));
}

void AmqpTransport::start() { run_blocking(connect_and_restore()); }

template <typename Reply>
asio::awaitable<Reply> AmqpTransport::admin_call(Method request, Caller caller) {
  if (caller == Caller::application) {
    co_await wait_until_connected();
  }
  std::shared_ptr<Channel> channel;
  while (!idle_channels_.empty() && !channel) {
    channel = std::move(idle_channels_.back());
    idle_channels_.pop_back();
    if (!channel->is_open()) {
      channel.reset();
    }
  }
  if (!channel) {
    channel = co_await Channel::open(connection_, request_timeout_);
  }
  Reply reply = co_await channel->call_for<Reply>(std::move(request));
  // A channel the broker closed (the request failed) is not reused: the throw above skips this.
  if (channel->is_open() && idle_channels_.size() < kMaxIdleChannels &&
      &channel->connection() == connection_.get()) {
    idle_channels_.push_back(std::move(channel));
  }
  co_return reply;
}

// Topology

asio::awaitable<QueueInfo> AmqpTransport::declare_queue_on_broker(QueueSpec spec, Caller caller) {
  Method request = QueueDeclare{.queue = spec.name,
                                .passive = false,
                                .durable = spec.durable,
                                .exclusive = spec.exclusive,
                                .auto_delete = spec.auto_delete,
                                .no_wait = false,
                                .arguments = queue_arguments(spec)};
  auto ok = co_await admin_call<QueueDeclareOk>(std::move(request), caller);
  topology_.add(spec);
  co_return QueueInfo{.name = std::move(ok.queue),
                      .message_count = ok.message_count,
                      .consumer_count = ok.consumer_count};
}

asio::awaitable<void> AmqpTransport::declare_exchange_on_broker(ExchangeSpec spec, Caller caller) {
  Method request = ExchangeDeclare{.exchange = spec.name,
                                   .type = std::string(exchange_type_name(spec.type)),
                                   .passive = false,
                                   .durable = spec.durable,
                                   .auto_delete = spec.auto_delete,
                                   .internal = spec.internal,
                                   .no_wait = false,
                                   .arguments = {}};
  co_await admin_call<ExchangeDeclareOk>(std::move(request), caller);
  topology_.add(spec);
}

asio::awaitable<void> AmqpTransport::bind_on_broker(BindingSpec binding, bool add, Caller caller) {
  auto arguments = binding_arguments(binding);
  if (binding.destination_is_exchange) {
    if (add) {
      Method request = ExchangeBind{.destination = binding.destination,
                                    .source = binding.exchange,
                                    .routing_key = binding.routing_key,
                                    .no_wait = false,
                                    .arguments = std::move(arguments)};
      co_await admin_call<ExchangeBindOk>(std::move(request), caller);
    } else {
      Method request = ExchangeUnbind{.destination = binding.destination,
                                      .source = binding.exchange,
                                      .routing_key = binding.routing_key,
                                      .no_wait = false,
                                      .arguments = std::move(arguments)};
      co_await admin_call<ExchangeUnbindOk>(std::move(request), caller);
    }
  } else if (add) {
    Method request = QueueBind{.queue = binding.destination,
                               .exchange = binding.exchange,
                               .routing_key = binding.routing_key,
                               .no_wait = false,
                               .arguments = std::move(arguments)};
    co_await admin_call<QueueBindOk>(std::move(request), caller);
  } else {
    Method request = QueueUnbind{.queue = binding.destination,
                                 .exchange = binding.exchange,
                                 .routing_key = binding.routing_key,
                                 .arguments = std::move(arguments)};
    co_await admin_call<QueueUnbindOk>(std::move(request), caller);
  }
  if (add) {
    topology_.add(binding);
  } else {
    topology_.remove_binding(binding);
  }
}

asio::awaitable<std::uint64_t> AmqpTransport::purge_on_broker(std::string name) {
  Method request = QueuePurge{.queue = name, .no_wait = false};
  auto ok = co_await admin_call<QueuePurgeOk>(std::move(request));
  co_return ok.message_count;
}

asio::awaitable<std::uint64_t> AmqpTransport::delete_queue_on_broker(std::string name,
                                                                     DeleteQueueOptions options) {
  Method request = QueueDelete{.queue = name,
                               .if_unused = options.if_unused,
                               .if_empty = options.if_empty,
                               .no_wait = false};
  auto ok = co_await admin_call<QueueDeleteOk>(std::move(request));
  topology_.remove_queue(name);
  co_return ok.message_count;
}

asio::awaitable<void> AmqpTransport::delete_exchange_on_broker(std::string name, bool if_unused) {
  Method request = ExchangeDelete{.exchange = name, .if_unused = if_unused, .no_wait = false};
  co_await admin_call<ExchangeDeleteOk>(std::move(request));
  topology_.remove_exchange(name);
}

namespace {

void check_name(std::string_view what, std::string_view name, bool allow_empty) {
  if (name.empty() && !allow_empty) {
    throw Exception(ErrorCode::invalid_argument, std::string(what) + " is empty");
  }
  if (name.size() > kMaxNameBytes) {
    throw Exception(ErrorCode::invalid_argument, std::string(what) + " name of " +
                                                     std::to_string(name.size()) +
                                                     " bytes is longer than AMQP's 255");
  }
}

// basic.consume's arguments: x-priority for a consumer subscribed with a priority (RabbitMQ
// sends to the highest-priority consumers with room first).
FieldTable consume_arguments(const AmqpSubscription& subscription) {
  FieldTable arguments;
  if (subscription.priority) {
    arguments.set("x-priority", FieldValue(*subscription.priority));
  }
  return arguments;
}

}  // namespace

QueueInfo AmqpTransport::declare_queue(const QueueSpec& spec) {
  client::refuse_queue_settings(spec, "");
  check_name("queue name", spec.name, true);
  return run_blocking(declare_queue_on_broker(spec));
}

void AmqpTransport::declare_exchange(const ExchangeSpec& spec) {
  check_name("exchange name", spec.name, false);
  run_blocking(declare_exchange_on_broker(spec));
}

void AmqpTransport::bind(const BindingSpec& binding) {
  check_name("exchange name", binding.exchange, false);
  check_name("binding destination name", binding.destination, false);
  run_blocking(bind_on_broker(binding, true));
}

void AmqpTransport::unbind(const BindingSpec& binding) {
  check_name("exchange name", binding.exchange, false);
  check_name("binding destination name", binding.destination, false);
  run_blocking(bind_on_broker(binding, false));
}

std::uint64_t AmqpTransport::purge_queue(std::string_view name) {
  check_name("queue name", name, false);
  return run_blocking(purge_on_broker(std::string(name)));
}

std::uint64_t AmqpTransport::delete_queue(std::string_view name,
                                          const DeleteQueueOptions& options) {
  check_name("queue name", name, false);
  return run_blocking(delete_queue_on_broker(std::string(name), options));
}

void AmqpTransport::delete_exchange(std::string_view name, bool if_unused) {
  check_name("exchange name", name, false);
  run_blocking(delete_exchange_on_broker(std::string(name), if_unused));
}

Capabilities AmqpTransport::capabilities() const {
  return Capabilities{.exchanges = true,
                      .priorities = true,
                      .per_message_ttl = true,
                      .delayed_nack = true,
                      .broker_dead_letter = true,
                      .exclusive_consumers = true,
                      .single_active_consumer = true,
                      .quorum_queues = true,
                      .partitions = false,
                      .seek = false,
                      .consumer_groups = false,
                      .fifo = false,
                      .native_delay = false,
                      .visibility_extension = false};
}

void AmqpTransport::check_message(std::string_view destination, const Message& message) const {
  if (const auto exchange = exchange_of(destination)) {
    check_name("exchange name", *exchange, false);
    check_name("routing key (the message key)", message.key, true);
  } else {
    check_name("destination queue name", destination, false);
  }
  // Short strings on the wire (AMQP 0-9-1 section 4.2.5.3): at most 255 bytes.
  check_name("message id", message.id, true);
  check_name("content type", message.content_type, true);
  for (const auto& header : message.headers) {
    check_name("header name", header.name, false);
  }
}

// Subscriptions

std::shared_ptr<client::Subscription> AmqpTransport::subscribe(
    std::shared_ptr<client::ConsumerCore> consumer, const SubscribeOptions& options) {
  check_name("queue name", consumer->source(), false);
  std::optional<std::int32_t> priority;
  client::read_subscribe_settings(
      options, "priority", [&](const client::OptionReader& read, std::string_view key) {
        if (key != "priority") {
          return false;
        }
        priority = static_cast<std::int32_t>(read.integer(
            std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
        return true;
      });
  auto subscription = std::make_shared<AmqpSubscription>(
      *this, consumer, consumer->source(), options.prefetch.value_or(256), options.exclusive,
      priority, "pw-" + runtime::new_uuid7().to_string());
  try {
    run_blocking(start_subscription(subscription));
  } catch (...) {
    // Refused (no such queue, exclusive elsewhere, ...): let go of its channel and ticker, which
    // would otherwise keep the consumer, and through it the client, alive.
    subscription->cancel();
    throw;
  }
  return subscription;
}

asio::awaitable<void> AmqpTransport::start_subscription(
    std::shared_ptr<AmqpSubscription> subscription) {
  subscription->state = SubscriptionState::subscribing;
  co_await consume(subscription, Caller::application);
  subscription->state = SubscriptionState::consuming;
  subscriptions_.push_back(subscription);
}

asio::awaitable<void> AmqpTransport::consume(std::shared_ptr<AmqpSubscription> subscription,
                                             Caller caller) {
  if (caller == Caller::application) {
    co_await wait_until_connected();
  }
  auto channel = co_await Channel::open(connection_, request_timeout_);
  subscription->attach(channel, ++incarnations_);
  Method request =
      BasicQos{.prefetch_size = 0, .prefetch_count = subscription->prefetch, .global = false};
  co_await channel->call_for<BasicQosOk>(std::move(request));
  Method consume_request = BasicConsume{.queue = subscription->queue,
                                        .consumer_tag = subscription->tag,
                                        .no_local = false,
                                        .no_ack = false,
                                        .exclusive = subscription->exclusive,
                                        .no_wait = false,
                                        .arguments = consume_arguments(*subscription)};
  co_await channel->call_for<BasicConsumeOk>(std::move(consume_request));
}

void AmqpTransport::forget(AmqpSubscription& subscription) {
  std::erase_if(subscriptions_, [&](const std::weak_ptr<AmqpSubscription>& weak) {
    auto live = weak.lock();
    return !live || live.get() == &subscription;
  });
}

// Closing

void AmqpTransport::close(const Error& reason) {
  if (client_.io().forked()) {
    return;
  }
  try {
    run_blocking(close_on_io_thread(reason));
  } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): closing anyway
  }
}

asio::awaitable<void> AmqpTransport::close_on_io_thread(Error reason) {
  if (closing_) {
    co_return;
  }
  closing_ = true;
  publishing_.refuse_new(Error(ErrorCode::closed, "the client is closed"));
  for (auto& weak : subscriptions_) {
    if (auto subscription = weak.lock()) {
      subscription->cancelled = true;
    }
  }
  subscriptions_.clear();
  if (connection_ && connection_->alive()) {
    co_await connection_->close(kCloseTimeout);
  }
  fail_everything(reason);
  wake_connection_waiters();
  connection_.reset();
  publisher_.reset();
  idle_channels_.clear();
}

}  // namespace postwire::amqp
