// KafkaTransport: start, the produce and subscribe entry points, capabilities, close. Topics
// (the generic topology) are in topic_admin.cpp.
#include "transport/kafka/kafka_transport.hpp"

#include <boost/asio/use_awaitable.hpp>

#include "client/consumer_core.hpp"
#include "transport/kafka/partition_reader.hpp"
#include "transport/kafka/topic_name.hpp"

namespace postwire::kafka {
namespace {

namespace asio = boost::asio;

}  // namespace

KafkaTransport::KafkaTransport(const BrokerUrl& url, client::TransportHost& host)
    : host_(host), settings_(kafka_settings(url, host.config())), pauses_(host.io().executor()) {
  cluster_ =
      std::make_unique<Cluster>(host.io().executor(), settings_.bootstrap, settings_.connection,
                                &host.logger(), settings_.metadata_max_age);
  producer_ = std::make_unique<Producer>(host, *cluster_, settings_.producer);
  cluster_->on_connection_lost = [this](std::int32_t node, const std::string& broker,
                                        const Error& error) {
    host_.emit(
        ConnectionEvent{.state = ConnectionState::recovering, .broker = broker, .error = error});
    producer_->on_connection_lost(node);
  };
  cluster_->on_connection_restored = [this](std::int32_t /*node*/, const std::string& broker) {
    host_.emit(ConnectionEvent{.state = ConnectionState::connected, .broker = broker, .error = {}});
  };
}

KafkaTransport::~KafkaTransport() = default;

asio::awaitable<void> KafkaTransport::connect() {
  co_await cluster_->bootstrap();
  co_await producer_->start();
  host_.emit(ConnectionEvent{.state = ConnectionState::connected,
                             .broker = settings_.bootstrap.front().to_string(),
                             .error = {}});
}

void KafkaTransport::start() { run_blocking(connect()); }

void KafkaTransport::publish(client::OutgoingPtr message) {
  producer_->publish(std::move(message));
}

std::shared_ptr<client::Subscription> KafkaTransport::subscribe(
    std::shared_ptr<client::ConsumerCore> consumer, const SubscribeOptions& options) {
  check_topic_name("source", consumer->source());
  auto reader = std::make_shared<PartitionReader>(*this, std::move(consumer),
                                                  PartitionReader::options_from(options));
  run_blocking(reader->start());
  readers_.push_back(reader);
  return reader;
}

void KafkaTransport::forget(PartitionReader& reader) {
  std::erase_if(readers_, [&](const auto& weak) {
    const auto strong = weak.lock();
    return !strong || strong.get() == &reader;
  });
}

Capabilities KafkaTransport::capabilities() const {
  return Capabilities{.exchanges = false,
                      .priorities = false,
                      .per_message_ttl = false,
                      .delayed_nack = false,
                      .broker_dead_letter = false,
                      .exclusive_consumers = false,
                      .single_active_consumer = false,
                      .quorum_queues = false,
                      .partitions = true,
                      .seek = true,
                      .consumer_groups = false,
                      .fifo = false,
                      .native_delay = false,
                      .visibility_extension = false};
}

void KafkaTransport::check_message(std::string_view destination, const Message& message) const {
  if (destination.starts_with("exchange/")) {
    throw Exception(
        ErrorCode::not_supported,
        "Kafka has no exchanges: send to a topic name, not '" + std::string(destination) + "'");
  }
  check_topic_name("destination topic", destination);
  if (message.priority) {
    throw Exception(ErrorCode::not_supported,
                    "Kafka records have no priority (capabilities().priorities is false)");
  }
  if (message.ttl) {
    throw Exception(ErrorCode::not_supported,
                    "Kafka records have no per-message TTL (capabilities().per_message_ttl is "
                    "false); a topic's retention.ms bounds how long records are kept");
  }
}

asio::awaitable<void> KafkaTransport::close_on_io_thread(Error reason) {
  for (auto& weak : readers_) {
    if (auto reader = weak.lock()) reader->stop(reason);
  }
  readers_.clear();
  pauses_.cancel_all();
  cluster_->close(reason);
  producer_->close(reason);
  co_return;
}

void KafkaTransport::close(const Error& reason) {
  if (closed_) return;
  run_blocking(close_on_io_thread(reason));
  closed_ = true;
}

}  // namespace postwire::kafka
