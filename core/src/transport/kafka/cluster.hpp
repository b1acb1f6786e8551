#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/kafka/wire.hpp"
#include "transport/kafka/broker_connection.hpp"

namespace postwire::kafka {

struct PartitionMetadata {
  std::int32_t leader = -1;  // node id; -1 while the partition has none
  std::int32_t leader_epoch = -1;
  std::int16_t error = 0;
};

struct TopicMetadata {
  std::string name;
  Uuid id{};
  std::int16_t error = 0;  // UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist
  std::vector<PartitionMetadata> partitions;
};

// What this client knows of a Kafka cluster — its brokers, the topics it uses and their
// partition leaders — and one connection per broker, opened when first needed. Metadata is
// refreshed on demand (an error that points at stale metadata, a topic seen for the first time)
// and when it is older than metadata.max.age.ms. IO thread only.
class Cluster {
 public:
  Cluster(boost::asio::any_io_executor executor, std::vector<HostPort> bootstrap,
          ConnectionSettings settings, const runtime::Logger* logger,
          std::chrono::milliseconds metadata_max_age);
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Connects to a bootstrap host and learns the brokers: what start() waits for. Throws the
  // error of the last host tried, every attempt listed.
  boost::asio::awaitable<void> bootstrap();

  // The connection to broker `node`, opened (once, however many ask at the same time) if there
  // is none. Throws its connect error.
  boost::asio::awaitable<std::shared_ptr<BrokerConnection>> connection(std::int32_t node);
  // The open connection to broker `node`, or null: for callers that must not suspend.
  [[nodiscard]] std::shared_ptr<BrokerConnection> open_connection(std::int32_t node) const;
  // A connection to any broker: an open one if there is one.
  boost::asio::awaitable<std::shared_ptr<BrokerConnection>> any_connection();

  // Asks for the metadata of `topics` and of every topic already known; concurrent calls share
  // one request where they can. Throws when no broker answers.
  boost::asio::awaitable<void> refresh(std::vector<std::string> topics = {});
  // Refreshes when the metadata is older than metadata.max.age.ms.
  boost::asio::awaitable<void> refresh_if_stale();

  [[nodiscard]] const TopicMetadata* topic(std::string_view name) const;
  [[nodiscard]] bool knows_broker(std::int32_t node) const { return brokers_.contains(node); }
  // Forgets a topic (deleted): the next use asks for its metadata again.
  void forget(std::string_view name);

  // Called when a broker's connection is lost (the caller's in-flight requests to it have
  // already failed with `error`).
  std::function<void(std::int32_t node, const std::string& broker, const Error& error)>
      on_connection_lost;
  // Called when a broker whose connection was lost is connected again.
  std::function<void(std::int32_t node, const std::string& broker)> on_connection_restored;

  // Closes every connection; every request still waiting fails with `reason`.
  void close(const Error& reason);
  [[nodiscard]] bool closed() const noexcept { return closed_; }

 private:
  struct Node {
    HostPort address;
    std::shared_ptr<BrokerConnection> connection;
    bool connecting = false;
    bool lost = false;  // its connection was lost and is not back yet
    std::vector<boost::asio::steady_timer*> waiters;
  };

  boost::asio::awaitable<std::shared_ptr<BrokerConnection>> open(std::int32_t node,
                                                                 HostPort address);
  void apply(const struct MetadataResponse& response);
  void wake(Node& node);

  boost::asio::any_io_executor executor_;
  std::vector<HostPort> bootstrap_;
  ConnectionSettings settings_;
  const runtime::Logger* logger_;
  std::chrono::milliseconds metadata_max_age_;

  std::map<std::int32_t, Node> brokers_;
  std::shared_ptr<BrokerConnection> bootstrap_connection_;
  std::map<std::string, TopicMetadata, std::less<>> topics_;
  std::chrono::steady_clock::time_point refreshed_at_{};
  bool refreshing_ = false;
  std::vector<boost::asio::steady_timer*> refresh_waiters_;
  std::set<std::string> refresh_wanted_;
  bool closed_ = false;
  Error close_reason_;
};

}  // namespace postwire::kafka
