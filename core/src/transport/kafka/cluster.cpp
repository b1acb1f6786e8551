#include "transport/kafka/cluster.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/kafka/messages/metadata.hpp"

namespace postwire::kafka {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

asio::awaitable<void> wait_on(asio::steady_timer& timer) {
  boost::system::error_code ignored;
  timer.expires_at(Clock::time_point::max());
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

}  // namespace

Cluster::Cluster(asio::any_io_executor executor, std::vector<HostPort> bootstrap,
                 ConnectionSettings settings, const runtime::Logger* logger,
                 std::chrono::milliseconds metadata_max_age)
    : executor_(std::move(executor)),
      bootstrap_(std::move(bootstrap)),
      settings_(std::move(settings)),
      logger_(logger),
      metadata_max_age_(metadata_max_age) {}

asio::awaitable<void> Cluster::bootstrap() { co_await refresh(); }

asio::awaitable<std::shared_ptr<BrokerConnection>> Cluster::open(std::int32_t node,
                                                                 HostPort address) {
  std::string broker = address.to_string();
  auto on_lost = [this, node, broker](const Error& error) {
    if (closed_) return;
    if (auto it = brokers_.find(node); it != brokers_.end()) {
      it->second.connection.reset();
      it->second.lost = true;
    }
    if (node < 0) {
      bootstrap_connection_.reset();
    }
    if (logger_ != nullptr) {
      logger_->log(LogLevel::info, "kafka",
                   "connection to broker " + std::to_string(node) + " lost: " + error.to_string());
    }
    if (on_connection_lost) {
      on_connection_lost(node, broker, error);
    }
  };
  co_return co_await BrokerConnection::open(std::move(address), node, settings_, logger_,
                                            std::move(on_lost));
}

void Cluster::wake(Node& node) {
  for (auto* waiter : node.waiters) {
    waiter->cancel();
  }
  node.waiters.clear();
}

asio::awaitable<std::shared_ptr<BrokerConnection>> Cluster::connection(std::int32_t id) {
  while (true) {
    if (closed_) throw Exception(close_reason_);
    auto it = brokers_.find(id);
    if (it == brokers_.end()) {
      throw Exception(ErrorCode::not_found,
                      "kafka broker " + std::to_string(id) + " is not in the cluster's metadata");
    }
    Node& node = it->second;
    if (node.connection && node.connection->alive()) {
      co_return node.connection;
    }
    if (node.connecting) {
      asio::steady_timer waiter(executor_);
      node.waiters.push_back(&waiter);
      co_await wait_on(waiter);
      continue;  // the map may have changed meanwhile
    }
    node.connecting = true;
    std::exception_ptr failure;
    std::shared_ptr<BrokerConnection> opened;
    try {
      opened = co_await open(id, node.address);
    } catch (...) {
      failure = std::current_exception();
    }
    auto again = brokers_.find(id);
    bool restored = false;
    if (again != brokers_.end()) {
      again->second.connecting = false;
      again->second.connection = opened;
      restored = opened && again->second.lost;
      if (restored) again->second.lost = false;
      wake(again->second);
    }
    if (restored && on_connection_restored) on_connection_restored(id, opened->peer());
    if (failure) std::rethrow_exception(failure);
    if (closed_) {
      opened->abort(close_reason_);
      throw Exception(close_reason_);
    }
    co_return opened;
  }
}

std::shared_ptr<BrokerConnection> Cluster::open_connection(std::int32_t node) const {
  const auto it = brokers_.find(node);
  if (it == brokers_.end() || !it->second.connection || !it->second.connection->alive()) {
    return nullptr;
  }
  return it->second.connection;
}

asio::awaitable<std::shared_ptr<BrokerConnection>> Cluster::any_connection() {
  for (auto& [id, node] : brokers_) {
    if (node.connection && node.connection->alive()) {
      co_return node.connection;
    }
  }
  if (bootstrap_connection_ && bootstrap_connection_->alive()) {
    co_return bootstrap_connection_;
  }
  // Known brokers first (they are where the cluster is now), then the URL's hosts.
  std::string attempts;
  Error last;
  for (auto& [id, node] : brokers_) {
    try {
      co_return co_await connection(id);
    } catch (const Exception& e) {
      last = e.error();
      attempts += "\n  " + node.address.to_string() + ": " + e.error().message();
    }
  }
  for (const auto& host : bootstrap_) {
    if (closed_) throw Exception(close_reason_);
    try {
      bootstrap_connection_ = co_await open(-1, host);
      co_return bootstrap_connection_;
    } catch (const Exception& e) {
      // A broker that refuses the login will refuse it on every host: stop here.
      if (e.code() == ErrorCode::authentication_failed || e.code() == ErrorCode::not_supported ||
          e.code() == ErrorCode::tls_certificate_rejected) {
        throw;
      }
      last = e.error();
      attempts += "\n  " + host.to_string() + ": " + e.error().message();
    }
  }
  throw Exception(Error(last.code() == ErrorCode::ok ? ErrorCode::connection_refused : last.code(),
                        "no Kafka broker could be reached; tried:" + attempts, true, false));
}

asio::awaitable<void> Cluster::refresh(std::vector<std::string> topics) {
  for (auto& name : topics) {
    refresh_wanted_.insert(std::move(name));
  }
  if (refreshing_) {
    // One request at a time; those who asked meanwhile are served by the next one.
    asio::steady_timer waiter(executor_);
    refresh_waiters_.push_back(&waiter);
    co_await wait_on(waiter);
    if (!refresh_wanted_.empty() && !refreshing_) {
      co_await refresh();
    }
    co_return;
  }
  refreshing_ = true;
  std::exception_ptr failure;
  try {
    while (true) {
      std::set<std::string> wanted = std::move(refresh_wanted_);
      refresh_wanted_.clear();
      for (const auto& [name, topic] : topics_) {
        wanted.insert(name);
      }
      MetadataRequest request;
      request.topics.emplace();
      for (const auto& name : wanted) {
        MetadataRequest::Topic topic;
        topic.name = name;
        request.topics->push_back(std::move(topic));
      }
      request.allow_auto_topic_creation = false;
      auto connection = co_await any_connection();
      apply(co_await connection->call<MetadataResponse>(request));
      if (refresh_wanted_.empty()) break;
    }
  } catch (...) {
    failure = std::current_exception();
  }
  refreshing_ = false;
  auto waiters = std::move(refresh_waiters_);
  refresh_waiters_.clear();
  for (auto* waiter : waiters) {
    waiter->cancel();
  }
  if (failure) std::rethrow_exception(failure);
}

asio::awaitable<void> Cluster::refresh_if_stale() {
  if (Clock::now() - refreshed_at_ >= metadata_max_age_) {
    co_await refresh();
  }
}

void Cluster::apply(const MetadataResponse& response) {
  refreshed_at_ = Clock::now();
  for (const auto& broker : response.brokers) {
    HostPort address(broker.host, static_cast<std::uint16_t>(broker.port));
    auto& node = brokers_[broker.node_id];
    if (node.address != address && node.connection) {
      node.connection->abort(Error(ErrorCode::connection_closed, "the broker moved"));
      node.connection.reset();
    }
    node.address = std::move(address);
  }
  for (const auto& topic : response.topics) {
    if (topic.name.empty()) continue;
    TopicMetadata metadata;
    metadata.name = topic.name;
    metadata.id = topic.topic_id;
    metadata.error = topic.error_code;
    for (const auto& partition : topic.partitions) {
      if (partition.partition_index < 0) continue;
      const auto index = static_cast<std::size_t>(partition.partition_index);
      if (metadata.partitions.size() <= index) metadata.partitions.resize(index + 1);
      metadata.partitions[index] = PartitionMetadata{.leader = partition.leader_id,
                                                     .leader_epoch = partition.leader_epoch,
                                                     .error = partition.error_code};
    }
    topics_[metadata.name] = std::move(metadata);
  }
}

const TopicMetadata* Cluster::topic(std::string_view name) const {
  const auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : &it->second;
}

void Cluster::forget(std::string_view name) {
  if (auto it = topics_.find(name); it != topics_.end()) topics_.erase(it);
}

void Cluster::close(const Error& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  for (auto& [id, node] : brokers_) {
    if (node.connection) node.connection->abort(reason);
    wake(node);
  }
  if (bootstrap_connection_) bootstrap_connection_->abort(reason);
  for (auto* waiter : refresh_waiters_) waiter->cancel();
  refresh_waiters_.clear();
}

}  // namespace postwire::kafka
