// KafkaTransport: topics as the generic topology's queues. declare_queue creates a topic
// (CreateTopics), delete_queue deletes it (DeleteTopics), purge_queue deletes its records up to
// the high watermark (DeleteRecords); ListOffsets answers where partitions start and end.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "client/option_reader.hpp"
#include "client/topology_options.hpp"
#include "protocol/kafka/error_codes.hpp"
#include "protocol/kafka/messages/create_topics.hpp"
#include "protocol/kafka/messages/delete_records.hpp"
#include "protocol/kafka/messages/delete_topics.hpp"
#include "protocol/kafka/messages/list_offsets.hpp"
#include "runtime/backoff.hpp"
#include "transport/kafka/kafka_errors.hpp"
#include "transport/kafka/kafka_transport.hpp"
#include "transport/kafka/topic_name.hpp"

namespace postwire::kafka {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kTopicOptions =
    "partitions, replication.factor, and topic configs "
    "(retention.ms, cleanup.policy, ...)";
constexpr std::chrono::milliseconds kMetadataPoll{50};

// What declare_queue's options ask of a new topic.
struct TopicRequest {
  std::int32_t partitions = -1;          // the broker's num.partitions
  std::int16_t replication_factor = -1;  // the broker's default.replication.factor
  std::vector<std::pair<std::string, std::string>> configs;
};

TopicRequest topic_request(const QueueSpec& spec) {
  const auto unsupported = [](std::string_view option, std::string_view instead) {
    throw Exception(ErrorCode::not_supported,
                    "declare_queue: Kafka topics have no " + std::string(option) +
                        (instead.empty() ? "" : "; " + std::string(instead)));
  };
  if (spec.exclusive) unsupported("exclusive", "");
  if (spec.auto_delete) unsupported("auto_delete", "");
  if (spec.type != QueueType::classic) unsupported("queue type", "");
  if (spec.dead_letter_exchange || spec.dead_letter_routing_key) {
    unsupported("dead-letter exchange", "dead letters go to the topic named by dead.letter.suffix");
  }
  if (spec.expires) unsupported("expiry when unused", "");
  if (spec.max_length) unsupported("max_length", "retention.bytes bounds a partition's bytes");
  if (spec.overflow) unsupported("overflow behaviour", "");
  if (spec.max_priority) unsupported("priorities", "");
  if (spec.delivery_limit) unsupported("delivery_limit", "use max.deliveries");
  if (spec.single_active_consumer) unsupported("single active consumer", "");
  if (!spec.durable) unsupported("non-durable topics", "");

  TopicRequest request;
  if (spec.message_ttl) {
    request.configs.emplace_back("retention.ms", std::to_string(spec.message_ttl->count()));
  }
  if (spec.max_length_bytes) {
    request.configs.emplace_back("retention.bytes", std::to_string(*spec.max_length_bytes));
  }
  for (const auto& [key, value] : spec.settings) {
    const client::OptionReader read("declare_queue", key, value);
    if (key == "partitions") {
      request.partitions = static_cast<std::int32_t>(read.integer(1, 1'000'000));
    } else if (key == "replication.factor") {
      request.replication_factor = static_cast<std::int16_t>(read.integer(1, 32767));
    } else if (key.find('.') != std::string::npos) {
      // A topic config: the broker checks its name and value and names it when it refuses.
      request.configs.emplace_back(key, value);
    } else {
      client::unknown_option(
          "declare_queue", key,
          std::string(client::queue_option_names) + ", " + std::string(kTopicOptions));
    }
  }
  return request;
}

}  // namespace

asio::awaitable<const TopicMetadata*> KafkaTransport::topic_metadata(std::string topic) {
  std::vector<std::string> names{topic};
  co_await cluster_->refresh(std::move(names));
  const auto* metadata = cluster_->topic(topic);
  if (metadata == nullptr || metadata->error != kafka_errc::none) {
    const std::int16_t code =
        metadata == nullptr ? kafka_errc::unknown_topic_or_partition : metadata->error;
    cluster_->forget(topic);
    const std::string detail =
        code == kafka_errc::unknown_topic_or_partition ? "it does not exist" : "";
    throw Exception(kafka_failure(code, "topic '" + topic + "'", detail));
  }
  co_return metadata;
}

asio::awaitable<QueueInfo> KafkaTransport::create_topic(QueueSpec spec) {
  const TopicRequest wanted = topic_request(spec);
  CreateTopicsRequest request;
  CreateTopicsRequest::Topic topic;
  topic.name = spec.name;
  topic.num_partitions = wanted.partitions;
  topic.replication_factor = wanted.replication_factor;
  for (const auto& [name, value] : wanted.configs) {
    CreateTopicsRequest::Config config;
    config.name = name;
    config.value = value;
    topic.configs.push_back(std::move(config));
  }
  request.topics.push_back(std::move(topic));
  request.timeout_ms = static_cast<std::int32_t>(settings_.connection.request_timeout.count());
  auto connection = co_await cluster_->any_connection();
  const auto response = co_await connection->call<CreateTopicsResponse>(request);
  for (const auto& result : response.topics) {
    if (result.error_code == kafka_errc::none ||
        result.error_code == kafka_errc::topic_already_exists) {
      continue;
    }
    throw Exception(kafka_failure(result.error_code, "creating topic '" + spec.name + "'",
                                  result.error_message.value_or("")));
  }
  // The topic exists once every broker's metadata shows it with a leader per partition.
  const auto deadline = Clock::now() + settings_.connection.request_timeout;
  while (true) {
    std::vector<std::string> names{spec.name};
    co_await cluster_->refresh(std::move(names));
    const auto* metadata = cluster_->topic(spec.name);
    const bool visible = metadata != nullptr && metadata->error == kafka_errc::none &&
                         !metadata->partitions.empty() &&
                         std::all_of(metadata->partitions.begin(), metadata->partitions.end(),
                                     [](const PartitionMetadata& p) { return p.leader >= 0; });
    if (visible) {
      if (wanted.partitions > 0 &&
          metadata->partitions.size() != static_cast<std::size_t>(wanted.partitions)) {
        throw Exception(ErrorCode::precondition_failed,
                        "declare_queue: topic '" + spec.name + "' exists with " +
                            std::to_string(metadata->partitions.size()) + " partitions, not the " +
                            std::to_string(wanted.partitions) + " asked for");
      }
      break;
    }
    if (Clock::now() >= deadline) {
      throw Exception(ErrorCode::timed_out,
                      "declare_queue: topic '" + spec.name +
                          "' has no leader for every partition within request.timeout.ms");
    }
    co_await pauses_.sleep(kMetadataPoll);
  }
  producer_->on_metadata();
  const auto count = co_await count_messages(spec.name);
  co_return QueueInfo{.name = spec.name,
                      .message_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(
                          count, std::numeric_limits<std::uint32_t>::max())),
                      .consumer_count = 0};
}

asio::awaitable<void> KafkaTransport::ensure_topic(std::string topic) {
  if (ensured_topics_.contains(topic)) co_return;
  std::vector<std::string> names{topic};
  co_await cluster_->refresh(std::move(names));
  const auto* metadata = cluster_->topic(topic);
  if (metadata == nullptr || metadata->error != kafka_errc::none) {
    QueueSpec spec;
    spec.name = topic;
    co_await create_topic(std::move(spec));
  }
  ensured_topics_.insert(std::move(topic));
}

QueueInfo KafkaTransport::declare_queue(const QueueSpec& spec) {
  check_topic_name("declare_queue: topic", spec.name);
  return run_blocking(create_topic(spec));
}

asio::awaitable<std::vector<std::int64_t>> KafkaTransport::list_offsets(std::string topic,
                                                                        std::int64_t timestamp) {
  // A partition just created, or whose leader just moved, answers NOT_LEADER_OR_FOLLOWER and
  // the like for a moment: those are asked again, with fresh metadata, until
  // request.timeout.ms.
  const runtime::Backoff backoff(host_.config());
  const auto deadline = Clock::now() + settings_.connection.request_timeout;
  for (unsigned attempt = 0;; ++attempt) {
    Error retriable;
    auto offsets = co_await list_offsets_once(topic, timestamp, retriable);
    if (!retriable) co_return offsets;
    if (Clock::now() >= deadline) throw Exception(retriable);
    co_await pauses_.sleep(backoff.delay(attempt));
  }
}

asio::awaitable<std::vector<std::int64_t>> KafkaTransport::list_offsets_once(std::string topic,
                                                                             std::int64_t timestamp,
                                                                             Error& retriable) {
  const auto* metadata = co_await topic_metadata(topic);
  std::map<std::int32_t, std::vector<std::int32_t>> by_leader;
  for (std::size_t i = 0; i < metadata->partitions.size(); ++i) {
    by_leader[metadata->partitions[i].leader].push_back(static_cast<std::int32_t>(i));
  }
  std::vector<std::int64_t> offsets(metadata->partitions.size(), -1);
  for (const auto& [leader, partitions] : by_leader) {
    if (leader < 0) {
      retriable =
          kafka_failure(kafka_errc::leader_not_available, "listing offsets of '" + topic + "'");
      co_return offsets;
    }
    ListOffsetsRequest request;
    request.replica_id = -1;
    request.isolation_level = settings_.fetch.isolation_level;
    ListOffsetsRequest::Topic t;
    t.name = topic;
    for (const auto p : partitions) {
      ListOffsetsRequest::Partition partition;
      partition.partition_index = p;
      partition.current_leader_epoch = -1;
      partition.timestamp = timestamp;
      t.partitions.push_back(partition);
    }
    request.topics.push_back(std::move(t));
    auto connection = co_await cluster_->connection(leader);
    const auto response = co_await connection->call<ListOffsetsResponse>(request);
    for (const auto& answered : response.topics) {
      for (const auto& partition : answered.partitions) {
        if (partition.error_code != kafka_errc::none) {
          const Error failure = kafka_failure(partition.error_code,
                                              "listing offsets of " + topic + "[" +
                                                  std::to_string(partition.partition_index) + "]");
          if (!failure.retriable()) throw Exception(failure);
          retriable = failure;
          continue;
        }
        if (partition.partition_index >= 0 &&
            static_cast<std::size_t>(partition.partition_index) < offsets.size()) {
          offsets[static_cast<std::size_t>(partition.partition_index)] = partition.offset;
        }
      }
    }
  }
  co_return offsets;
}

asio::awaitable<std::uint64_t> KafkaTransport::count_messages(std::string topic) {
  const auto earliest = co_await list_offsets(topic, -2);
  const auto latest = co_await list_offsets(topic, -1);
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < earliest.size() && i < latest.size(); ++i) {
    if (latest[i] > earliest[i]) count += static_cast<std::uint64_t>(latest[i] - earliest[i]);
  }
  co_return count;
}

asio::awaitable<std::uint64_t> KafkaTransport::purge_topic(std::string name) {
  const auto earliest = co_await list_offsets(name, -2);
  const auto* metadata = co_await topic_metadata(name);
  std::map<std::int32_t, std::vector<std::int32_t>> by_leader;
  for (std::size_t i = 0; i < metadata->partitions.size(); ++i) {
    by_leader[metadata->partitions[i].leader].push_back(static_cast<std::int32_t>(i));
  }
  std::uint64_t purged = 0;
  for (const auto& [leader, partitions] : by_leader) {
    DeleteRecordsRequest request;
    DeleteRecordsRequest::Topic topic;
    topic.name = name;
    for (const auto p : partitions) {
      DeleteRecordsRequest::Partition partition;
      partition.partition_index = p;
      partition.offset = -1;  // the high watermark
      topic.partitions.push_back(partition);
    }
    request.topics.push_back(std::move(topic));
    request.timeout_ms = static_cast<std::int32_t>(settings_.connection.request_timeout.count());
    auto connection = co_await cluster_->connection(leader);
    const auto response = co_await connection->call<DeleteRecordsResponse>(request);
    for (const auto& answered : response.topics) {
      for (const auto& partition : answered.partitions) {
        if (partition.error_code != kafka_errc::none) {
          throw Exception(kafka_failure(
              partition.error_code,
              "purging " + name + "[" + std::to_string(partition.partition_index) + "]"));
        }
        const auto index = static_cast<std::size_t>(partition.partition_index);
        if (index < earliest.size() && partition.low_watermark > earliest[index]) {
          purged += static_cast<std::uint64_t>(partition.low_watermark - earliest[index]);
        }
      }
    }
  }
  co_return purged;
}

std::uint64_t KafkaTransport::purge_queue(std::string_view name) {
  check_topic_name("purge_queue: topic", name);
  return run_blocking(purge_topic(std::string(name)));
}

asio::awaitable<std::uint64_t> KafkaTransport::delete_topic(std::string name) {
  std::uint64_t count = 0;
  try {
    count = co_await count_messages(name);
  } catch (const Exception& e) {
    if (e.code() != ErrorCode::not_found) throw;
    throw Exception(e.code(), "delete_queue: " + e.error().message());
  }
  DeleteTopicsRequest request;
  DeleteTopicsRequest::Topic topic;
  topic.name = name;
  request.topics.push_back(std::move(topic));
  request.timeout_ms = static_cast<std::int32_t>(settings_.connection.request_timeout.count());
  auto connection = co_await cluster_->any_connection();
  const auto response = co_await connection->call<DeleteTopicsResponse>(request);
  for (const auto& result : response.responses) {
    if (result.error_code != kafka_errc::none) {
      throw Exception(kafka_failure(result.error_code, "deleting topic '" + name + "'",
                                    result.error_message.value_or("")));
    }
  }
  cluster_->forget(name);
  co_return count;
}

std::uint64_t KafkaTransport::delete_queue(std::string_view name,
                                           const DeleteQueueOptions& options) {
  check_topic_name("delete_queue: topic", name);
  if (options.if_unused || options.if_empty) {
    throw Exception(ErrorCode::not_supported,
                    "delete_queue: Kafka deletes a topic whatever it holds or who reads it "
                    "(if_unused and if_empty are RabbitMQ's)");
  }
  return run_blocking(delete_topic(std::string(name)));
}

}  // namespace postwire::kafka
