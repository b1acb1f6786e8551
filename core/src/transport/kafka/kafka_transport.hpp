#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client/transport.hpp"
#include "runtime/pauses.hpp"
#include "transport/kafka/cluster.hpp"
#include "transport/kafka/kafka_settings.hpp"
#include "transport/kafka/producer.hpp"

namespace postwire::kafka {

class PartitionReader;

// Apache Kafka: the cluster's metadata and one connection per broker (cluster.hpp), the
// produce path (producer.hpp), partition reads without a consumer group
// (partition_reader.hpp), and topics as the generic topology's queues (topic_admin.cpp).
// Application threads call the Transport entry points; everything else runs on the client's
// IO thread.
class KafkaTransport final : public client::Transport {
 public:
  KafkaTransport(const BrokerUrl& url, client::TransportHost& host);
  ~KafkaTransport() override;

  void start() override;
  void publish(client::OutgoingPtr message) override;
  std::shared_ptr<client::Subscription> subscribe(std::shared_ptr<client::ConsumerCore> consumer,
                                                  const SubscribeOptions& options) override;
  QueueInfo declare_queue(const QueueSpec& spec) override;
  std::uint64_t purge_queue(std::string_view name) override;
  std::uint64_t delete_queue(std::string_view name, const DeleteQueueOptions& options) override;
  [[nodiscard]] Capabilities capabilities() const override;
  [[nodiscard]] Compression compression() const override { return Compression::per_batch; }
  void check_message(std::string_view destination, const Message& message) const override;
  void close(const Error& reason) override;

  // For partition readers (IO thread).
  // A message postwire sends on its own behalf (a dead letter).
  void publish_internal(client::OutgoingPtr message) {
    producer_->publish_internal(std::move(message));
  }
  [[nodiscard]] Cluster& cluster() noexcept { return *cluster_; }
  [[nodiscard]] client::TransportHost& host() noexcept { return host_; }
  [[nodiscard]] const KafkaSettings& settings() const noexcept { return settings_; }
  // Each partition's offset at `timestamp` (-1: the next offset to be written, -2: the
  // earliest kept), asked of the partitions' leaders.
  boost::asio::awaitable<std::vector<std::int64_t>> list_offsets(std::string topic,
                                                                 std::int64_t timestamp);
  // Creates `topic` with the broker's defaults unless it exists (a dead-letter topic).
  boost::asio::awaitable<void> ensure_topic(std::string topic);
  // Partitions of `topic`, from fresh metadata; not_found when it does not exist.
  boost::asio::awaitable<const TopicMetadata*> topic_metadata(std::string topic);
  void forget(PartitionReader& reader);

 private:
  boost::asio::awaitable<void> connect();
  boost::asio::awaitable<QueueInfo> create_topic(QueueSpec spec);
  boost::asio::awaitable<std::uint64_t> delete_topic(std::string name);
  boost::asio::awaitable<std::uint64_t> purge_topic(std::string name);
  boost::asio::awaitable<std::uint64_t> count_messages(std::string topic);
  // One round of list_offsets: `retriable` is set when a partition must be asked again.
  boost::asio::awaitable<std::vector<std::int64_t>> list_offsets_once(std::string topic,
                                                                      std::int64_t timestamp,
                                                                      Error& retriable);
  boost::asio::awaitable<void> close_on_io_thread(Error reason);
  template <typename T>
  T run_blocking(boost::asio::awaitable<T> operation) {
    if (closed_) throw Exception(ErrorCode::closed, "the Kafka transport is closed");
    return host_.io().run(std::move(operation));
  }

  client::TransportHost& host_;
  KafkaSettings settings_;
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<Producer> producer_;
  std::vector<std::weak_ptr<PartitionReader>> readers_;
  std::set<std::string, std::less<>> ensured_topics_;
  runtime::Pauses pauses_;  // waits of the topology calls, cut short at close
  bool closed_ = false;
};

}  // namespace postwire::kafka
