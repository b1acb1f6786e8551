#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client/send_pipeline.hpp"
#include "client/transport.hpp"
#include "protocol/kafka/partitioner.hpp"
#include "protocol/kafka/record_batch.hpp"
#include "runtime/pauses.hpp"
#include "transport/kafka/cluster.hpp"
#include "transport/kafka/kafka_settings.hpp"
#include "transport/kafka/message_mapping.hpp"

namespace postwire::kafka {

// The produce path: messages from the SendPipeline are placed on a partition (murmur2 of the
// key as the Java client places it, keyless ones sticky), gathered into one record batch per
// partition until batch.size or linger.ms, and sent to each partition's leader, one request
// per broker carrying a batch for each of its partitions, at most
// max.in.flight.requests.per.connection at a time. The idempotent producer numbers each
// partition's records; a batch that fails retriably is sent again as it was (same sequence
// numbers, in order), and a batch given up on bumps the producer epoch so that the numbers can
// start again. IO thread, but for publish().
class Producer final : private client::SendLink {
 public:
  Producer(client::TransportHost& host, Cluster& cluster, ProducerSettings settings);
  ~Producer() override;
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Any thread.
  void publish(client::OutgoingPtr message) { pipeline_.submit(std::move(message)); }

  // IO thread: a message postwire sends on its own behalf (TransportHost::make_internal).
  void publish_internal(client::OutgoingPtr message) {
    pipeline_.submit_internal(std::move(message));
  }
  // Obtains the producer id of the idempotent producer.
  boost::asio::awaitable<void> start();
  // A broker's connection is gone: its requests have failed and will be sent again.
  void on_connection_lost(std::int32_t node);
  // Metadata changed (a refresh): partitions waiting for a leader may go.
  void on_metadata();
  // Fails everything not yet confirmed with `reason`. The cluster must be closed first.
  void close(const Error& reason);

 private:
  struct Batch;
  struct PartitionSink;
  struct TopicSink;
  struct ProduceCall;

  [[nodiscard]] bool ready() const override;
  std::uint64_t write(client::Outgoing& message) override;

  TopicSink& topic_sink(const std::string& name);
  void place(TopicSink& topic, std::uint64_t sequence, client::Outgoing& message);
  void request_metadata(const std::string& topic);
  boost::asio::awaitable<void> fetch_metadata(std::string topic);
  void place_waiting(TopicSink& topic);
  void sync_partitions(TopicSink& topic, const TopicMetadata& metadata);

  void schedule_drain();
  void drain();
  void close_batch(PartitionSink& sink);
  void send_to(std::int32_t node, std::vector<PartitionSink*>& sinks);
  void connect_to(std::int32_t node);
  void arm_timer(std::chrono::steady_clock::time_point when);

  void on_answer(ProduceCall& call, const Error& error, std::span<const std::uint8_t> body,
                 std::int16_t version);
  void succeeded(PartitionSink& sink, Batch& batch, std::int64_t base_offset,
                 std::int64_t log_append_time);
  void retry_later(PartitionSink& sink, std::unique_ptr<Batch> batch, const Error& failure,
                   bool refresh_metadata);
  void fail_batch(PartitionSink& sink, Batch& batch, const Error& failure);
  void end_retrying_when_resent(PartitionSink& sink);
  void requeue(PartitionSink& sink, std::unique_ptr<Batch> batch, const Error& failure);
  void expire_ready(PartitionSink& sink, std::chrono::steady_clock::time_point now);
  void expire_waiting(TopicSink& topic, const Error& why);
  [[nodiscard]] Error expiry_error(const Error& why) const;
  void sequence_trouble(PartitionSink& sink, std::unique_ptr<Batch> batch, const Error& failure);

  void request_epoch_bump();
  boost::asio::awaitable<void> bump_epoch();
  void resequence();

  client::TransportHost& host_;
  Cluster& cluster_;
  ProducerSettings settings_;
  client::SendPipeline pipeline_;
  std::uint64_t next_sequence_ = 1;

  std::map<std::string, std::unique_ptr<TopicSink>, std::less<>> topics_;
  std::set<std::int32_t> connecting_;
  std::map<std::int32_t, std::size_t> requests_in_flight_;  // per broker
  std::size_t total_requests_in_flight_ = 0;

  std::int64_t producer_id_ = -1;
  std::int16_t producer_epoch_ = -1;
  bool bump_wanted_ = false;
  bool bumping_ = false;

  boost::asio::steady_timer timer_;
  runtime::Pauses pauses_;  // the backoff waits of its coroutines, cut short at close
  std::chrono::steady_clock::time_point timer_at_ = std::chrono::steady_clock::time_point::max();
  bool drain_scheduled_ = false;
  bool closing_ = false;
  RecordScratch scratch_;
};

}  // namespace postwire::kafka
