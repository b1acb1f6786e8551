#include "transport/kafka/producer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <limits>

#include "client/metrics.hpp"
#include "protocol/kafka/error_codes.hpp"
#include "protocol/kafka/messages/init_producer_id.hpp"
#include "protocol/kafka/messages/produce.hpp"
#include "runtime/backoff.hpp"
#include "transport/kafka/kafka_errors.hpp"
#include "transport/kafka/message_mapping.hpp"

namespace postwire::kafka {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// The idempotent producer keeps order with at most this many batches in flight per partition
// (KIP-98; the broker remembers the last five batches of each producer and partition).
constexpr std::size_t kMaxBatchesInFlightPerPartition = 5;

std::string where(const std::string& topic, std::int32_t partition) {
  return topic + "[" + std::to_string(partition) + "]";
}

}  // namespace

struct Producer::Batch {
  Batch(Codec codec, int level) : builder(codec, level) {}

  RecordBatchBuilder builder;
  std::vector<std::uint64_t> sequences;  // the SendPipeline's numbers, in record order
  // The records' messages, in the same order: the pipeline holds each until it is answered.
  std::vector<client::Outgoing*> messages;
  client::Outgoing* first = nullptr;  // for the retry decision (its deadline and attempts)
  Clock::time_point opened;
  std::vector<std::uint8_t> bytes;  // the finished batch
  std::int32_t base_sequence = -1;
  std::uint32_t sends = 0;
  std::size_t body_bytes = 0;  // the records' bodies, for the bytes_sent counter
  Clock::time_point not_before{};
};

struct Producer::PartitionSink {
  std::string topic;
  std::int32_t partition = 0;
  std::int32_t leader = -1;
  std::unique_ptr<Batch> open;
  std::deque<std::unique_ptr<Batch>> ready;  // closed, in sequence order
  std::size_t in_flight = 0;
  std::int32_t next_sequence = 0;
  // A batch failed and is sent again: until it succeeds, one batch at a time goes, so that
  // the broker sees the sequence numbers in order again.
  bool retrying = false;
};

struct Producer::TopicSink {
  TopicSink(std::string topic_name, std::size_t batch_size, std::uint64_t seed)
      : name(std::move(topic_name)), sticky(batch_size, seed) {}

  std::string name;
  Uuid id{};
  std::vector<std::unique_ptr<PartitionSink>> partitions;
  std::vector<std::int32_t> available;  // partitions with a leader
  StickyPartitioner sticky;
  // Messages that came before the topic's metadata, in order.
  std::deque<std::pair<std::uint64_t, client::Outgoing*>> waiting;
  bool metadata_requested = false;
};

struct Producer::ProduceCall {
  std::int32_t node = -1;
  std::vector<std::pair<PartitionSink*, std::unique_ptr<Batch>>> batches;
};

Producer::Producer(client::TransportHost& host, Cluster& cluster, ProducerSettings settings)
    : host_(host),
      cluster_(cluster),
      settings_(settings),
      pipeline_(host, *this, settings.max_in_flight),
      timer_(host.io().executor()),
      pauses_(host.io().executor()) {}

Producer::~Producer() = default;

asio::awaitable<void> Producer::start() {
  if (!settings_.idempotent) co_return;
  // The broker answers COORDINATOR_LOAD_IN_PROGRESS and the like while it starts: those are
  // retried until request.timeout.ms.
  const runtime::Backoff backoff(host_.config());
  const auto deadline = Clock::now() + settings_.request_timeout;
  for (unsigned attempt = 0;; ++attempt) {
    auto connection = co_await cluster_.any_connection();
    InitProducerIdRequest request;
    request.transaction_timeout_ms = std::numeric_limits<std::int32_t>::max();
    const auto response = co_await connection->call<InitProducerIdResponse>(request);
    if (response.error_code == kafka_errc::none) {
      producer_id_ = response.producer_id;
      producer_epoch_ = response.producer_epoch;
      co_return;
    }
    const Error failure = kafka_failure(response.error_code, "obtaining a producer id");
    if (!failure.retriable() || Clock::now() >= deadline) throw Exception(failure);
    co_await pauses_.sleep(backoff.delay(attempt));
  }
}

bool Producer::ready() const { return !closing_; }

Producer::TopicSink& Producer::topic_sink(const std::string& name) {
  auto it = topics_.find(name);
  if (it == topics_.end()) {
    const auto seed = static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
    it = topics_
             .emplace(name, std::make_unique<TopicSink>(name, settings_.batch_size,
                                                        seed ^ std::hash<std::string>{}(name)))
             .first;
    if (const auto* metadata = cluster_.topic(name); metadata != nullptr && metadata->error == 0) {
      sync_partitions(*it->second, *metadata);
    }
  }
  return *it->second;
}

std::uint64_t Producer::write(client::Outgoing& message) {
  const std::uint64_t sequence = next_sequence_++;
  TopicSink& topic = topic_sink(message.destination);
  if (topic.partitions.empty() || !topic.waiting.empty()) {
    topic.waiting.emplace_back(sequence, &message);
    request_metadata(topic.name);
  } else {
    place(topic, sequence, message);
  }
  return sequence;
}

void Producer::place(TopicSink& topic, std::uint64_t sequence, client::Outgoing& message) {
  const auto count = static_cast<std::int32_t>(topic.partitions.size());
  const auto& key = message.message.key;
  const std::int32_t index =
      key.empty() ? topic.sticky.partition(count, topic.available)
                  : partition_for_key(
                        {reinterpret_cast<const std::uint8_t*>(key.data()), key.size()}, count);
  PartitionSink& sink = *topic.partitions[static_cast<std::size_t>(index)];
  const RecordView record = record_view(message, scratch_);
  // A record that does not fit in what the open batch has left of batch.size starts the next
  // batch (a record larger than batch.size gets a batch of its own), as Java's producer does.
  if (sink.open && !sink.open->builder.empty()) {
    const auto& builder = sink.open->builder;
    const std::size_t grows = RecordBatchBuilder::record_size_estimate(
        record, record.timestamp_ms - builder.base_timestamp(),
        static_cast<std::int32_t>(builder.record_count()));
    if (builder.uncompressed_bytes() + grows > settings_.batch_size) {
      close_batch(sink);
      schedule_drain();
    }
  }
  if (!sink.open) {
    sink.open = std::make_unique<Batch>(settings_.codec, settings_.compression_level);
    sink.open->opened = Clock::now();
  }
  Batch& batch = *sink.open;
  const std::size_t before = batch.builder.uncompressed_bytes();
  // Throws for a record Kafka cannot carry (a field over int32): the message fails alone.
  const std::size_t size = batch.builder.append(record);
  if (batch.sequences.empty()) batch.first = &message;
  batch.sequences.push_back(sequence);
  batch.messages.push_back(&message);
  batch.body_bytes += message.message.body.size();
  if (key.empty()) topic.sticky.on_appended(index, size - before);
  if (size >= settings_.batch_size || settings_.linger.count() == 0) {
    schedule_drain();
  } else {
    arm_timer(batch.opened + settings_.linger);
  }
}

void Producer::request_metadata(const std::string& topic) {
  TopicSink& sink = topic_sink(topic);
  if (sink.metadata_requested) return;
  sink.metadata_requested = true;
  asio::co_spawn(host_.io().executor(), fetch_metadata(topic), asio::detached);
}

asio::awaitable<void> Producer::fetch_metadata(std::string topic) {
  const runtime::Backoff backoff(host_.config());
  for (unsigned attempt = 0;; ++attempt) {
    Error failure;
    try {
      std::vector<std::string> names{topic};
      co_await cluster_.refresh(std::move(names));
    } catch (const Exception& e) {
      failure = e.error();
    }
    if (closing_) co_return;
    auto it = topics_.find(topic);
    if (it == topics_.end()) co_return;
    TopicSink& sink = *it->second;
    const auto* metadata = cluster_.topic(topic);
    if (!failure && metadata != nullptr && metadata->error == kafka_errc::none) {
      sink.metadata_requested = false;
      sync_partitions(sink, *metadata);
      place_waiting(sink);
      drain();
      co_return;
    }
    if (!failure && metadata != nullptr) {
      const std::int16_t code = metadata->error;
      const bool for_good = code == kafka_errc::unknown_topic_or_partition ||
                            code == kafka_errc::invalid_topic_exception ||
                            code == kafka_errc::topic_authorization_failed;
      failure = kafka_failure(code, "producing to " + topic,
                              code == kafka_errc::unknown_topic_or_partition
                                  ? std::string("the topic does not exist (declare it first)")
                                  : std::string());
      if (for_good) {
        // A topic that does not exist fails its messages now, not at delivery.timeout.ms.
        const Error final_error(failure.code(), failure.message(), false, false);
        auto waiting = std::move(sink.waiting);
        sink.waiting.clear();
        for (const auto& [sequence, message] : waiting) {
          pipeline_.failed(sequence, final_error);
        }
        sink.metadata_requested = false;
        if (sink.partitions.empty()) {
          cluster_.forget(topic);
          topics_.erase(it);
        }
        co_return;
      }
    }
    // No broker answered (the network), or the topic is between leaders: its messages wait,
    // and those past delivery.timeout.ms fail with what kept them.
    expire_waiting(sink, failure);
    if (sink.waiting.empty()) {
      sink.metadata_requested = false;
      co_return;
    }
    co_await pauses_.sleep(backoff.delay(attempt));
  }
}

void Producer::expire_waiting(TopicSink& topic, const Error& why) {
  const auto now = Clock::now();
  std::deque<std::pair<std::uint64_t, client::Outgoing*>> keep;
  for (const auto& entry : topic.waiting) {
    if (host_.expired(*entry.second, now)) {
      pipeline_.failed(entry.first, expiry_error(why));
    } else {
      keep.push_back(entry);
    }
  }
  topic.waiting = std::move(keep);
}

Error Producer::expiry_error(const Error& why) const {
  return {ErrorCode::delivery_timeout,
          "not confirmed within delivery.timeout.ms=" +
              std::to_string(host_.config().get_duration("delivery.timeout.ms").count()) +
              (why ? "; the last failure: " + why.to_string() : std::string())};
}

void Producer::place_waiting(TopicSink& topic) {
  auto waiting = std::move(topic.waiting);
  topic.waiting.clear();
  for (const auto& [sequence, message] : waiting) {
    try {
      place(topic, sequence, *message);
    } catch (const Exception& e) {
      pipeline_.failed(sequence, e.error());
    }
  }
}

void Producer::sync_partitions(TopicSink& topic, const TopicMetadata& metadata) {
  topic.id = metadata.id;
  while (topic.partitions.size() < metadata.partitions.size()) {
    auto sink = std::make_unique<PartitionSink>();
    sink->topic = topic.name;
    sink->partition = static_cast<std::int32_t>(topic.partitions.size());
    topic.partitions.push_back(std::move(sink));
  }
  topic.available.clear();
  for (std::size_t i = 0; i < metadata.partitions.size(); ++i) {
    topic.partitions[i]->leader = metadata.partitions[i].leader;
    if (metadata.partitions[i].leader >= 0) {
      topic.available.push_back(static_cast<std::int32_t>(i));
    }
  }
}

void Producer::on_metadata() {
  for (auto& [name, topic] : topics_) {
    if (const auto* metadata = cluster_.topic(name); metadata != nullptr && metadata->error == 0) {
      sync_partitions(*topic, *metadata);
    }
  }
  drain();
}

void Producer::schedule_drain() {
  if (drain_scheduled_) return;
  drain_scheduled_ = true;
  asio::post(host_.io().executor(), [this] {
    drain_scheduled_ = false;
    drain();
  });
}

void Producer::arm_timer(Clock::time_point when) {
  if (when >= timer_at_) return;
  timer_at_ = when;
  timer_.expires_at(when);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error == asio::error::operation_aborted) return;
    timer_at_ = Clock::time_point::max();
    drain();
  });
}

void Producer::close_batch(PartitionSink& sink) {
  auto batch = std::move(sink.open);
  const auto records = static_cast<std::int32_t>(batch->sequences.size());
  if (settings_.idempotent) {
    batch->base_sequence = sink.next_sequence;
    // Sequence numbers wrap to 0 after the largest int32 (the broker expects that too).
    const std::int64_t next = std::int64_t{sink.next_sequence} + records;
    sink.next_sequence = static_cast<std::int32_t>(next % (std::int64_t{1} << 31U));
  }
  batch->bytes = batch->builder.finish(producer_id_, producer_epoch_, batch->base_sequence);
  sink.ready.push_back(std::move(batch));
}

void Producer::drain() {
  if (closing_) return;
  const auto now = Clock::now();
  std::map<std::int32_t, std::vector<PartitionSink*>> by_leader;
  Clock::time_point next_wake = Clock::time_point::max();
  const std::size_t per_partition = settings_.idempotent ? kMaxBatchesInFlightPerPartition
                                                         : std::numeric_limits<std::size_t>::max();
  std::vector<std::string> leaderless;
  for (auto& [name, topic] : topics_) {
    for (auto& owned : topic->partitions) {
      PartitionSink& sink = *owned;
      if (sink.open && sink.open->sequences.empty()) {
        sink.open.reset();  // its only record was refused by the builder
      }
      if (sink.open) {
        const bool full = sink.open->builder.uncompressed_bytes() >= settings_.batch_size;
        const auto due = sink.open->opened + settings_.linger;
        if (full || due <= now) {
          close_batch(sink);
        } else {
          next_wake = std::min(next_wake, due);
        }
      }
      if (sink.in_flight == 0) expire_ready(sink, now);
      if (sink.ready.empty()) continue;
      if (sink.leader < 0) {
        if (leaderless.empty() || leaderless.back() != name) leaderless.push_back(name);
        continue;
      }
      const Batch& front = *sink.ready.front();
      if (front.not_before > now) {
        next_wake = std::min(next_wake, front.not_before);
        continue;
      }
      const bool may_send = sink.retrying ? sink.in_flight == 0 : sink.in_flight < per_partition;
      if (may_send && !bump_wanted_) by_leader[sink.leader].push_back(&sink);
    }
  }
  for (auto& [node, sinks] : by_leader) {
    send_to(node, sinks);
  }
  for (const auto& name : leaderless) request_metadata(name);
  if (next_wake != Clock::time_point::max()) arm_timer(next_wake);
  if (bump_wanted_ && !bumping_ && total_requests_in_flight_ == 0) {
    bumping_ = true;
    asio::co_spawn(host_.io().executor(), bump_epoch(), asio::detached);
  }
}

void Producer::connect_to(std::int32_t node) {
  if (!connecting_.insert(node).second) return;
  asio::co_spawn(
      host_.io().executor(),
      [this, node]() -> asio::awaitable<void> {
        bool reached = true;
        try {
          co_await cluster_.connection(node);
        } catch (const Exception& e) {
          reached = false;
          host_.logger().log(
              LogLevel::warn, "kafka",
              "cannot reach broker " + std::to_string(node) + ": " + e.error().to_string());
        }
        if (!reached && !closing_) {
          // Its partitions may have moved: ask, then try again after the backoff.
          try {
            co_await cluster_.refresh();
          } catch (const Exception&) {
          }
          co_await pauses_.sleep(host_.config().get_duration("reconnect.backoff.ms"));
        }
        connecting_.erase(node);
        if (!closing_) on_metadata();
      },
      asio::detached);
}

void Producer::send_to(std::int32_t node, std::vector<PartitionSink*>& sinks) {
  std::size_t& requests = requests_in_flight_[node];
  if (requests >= settings_.max_requests_per_connection && settings_.acks != 0) return;
  std::shared_ptr<BrokerConnection> connection;
  // The cluster hands out an open connection without suspending; otherwise connect first.
  if (!cluster_.knows_broker(node)) {
    request_metadata(sinks.front()->topic);
    return;
  }
  connection = cluster_.open_connection(node);
  if (!connection) {
    connect_to(node);
    return;
  }
  auto call = std::make_shared<ProduceCall>();
  call->node = node;
  ProduceRequest request;
  request.acks = settings_.acks;
  request.timeout_ms = static_cast<std::int32_t>(settings_.request_timeout.count());
  for (PartitionSink* sink : sinks) {
    auto batch = std::move(sink->ready.front());
    sink->ready.pop_front();
    ++sink->in_flight;
    ++batch->sends;
    // Counted per write to the broker, as the AMQP transport counts each publish: the
    // delivery reports' attempts, the retry decision's attempt number, the stats.
    for (client::Outgoing* message : batch->messages) ++message->attempts;
    auto& metrics = host_.metrics();
    metrics.sent.add(batch->sequences.size());
    metrics.bytes_sent.add(batch->body_bytes);
    if (batch->sends > 1) metrics.retried.add(batch->sequences.size());
    auto topic_it = std::find_if(request.topic_data.begin(), request.topic_data.end(),
                                 [&](const auto& t) { return t.name == sink->topic; });
    if (topic_it == request.topic_data.end()) {
      ProduceRequest::TopicData data;
      data.name = sink->topic;
      request.topic_data.push_back(std::move(data));
      topic_it = std::prev(request.topic_data.end());
    }
    ProduceRequest::PartitionData partition;
    partition.index = sink->partition;
    partition.records = batch->bytes;
    topic_it->partition_data.push_back(partition);
    call->batches.emplace_back(sink, std::move(batch));
  }
  const auto unsendable = [&](const Exception& e) {
    // The request cannot be encoded (larger than a frame may be): its batches fail alone.
    for (auto& [sink, batch] : call->batches) {
      --sink->in_flight;
      fail_batch(*sink, *batch, e.error());
    }
  };
  if (settings_.acks == 0) {
    try {
      connection->send_without_answer(request);
    } catch (const Exception& e) {
      unsendable(e);
      return;
    }
    // Nothing will answer: written is all that can be known.
    for (auto& [sink, batch] : call->batches) {
      --sink->in_flight;
      for (const auto sequence : batch->sequences) {
        pipeline_.confirmed(sequence, false);
      }
    }
    return;
  }
  try {
    connection->send(
        request, [this, call](const Error& error, std::span<const std::uint8_t> body,
                              std::int16_t version) { on_answer(*call, error, body, version); });
  } catch (const Exception& e) {
    unsendable(e);
    return;
  }
  ++requests;
  ++total_requests_in_flight_;
}

void Producer::on_answer(ProduceCall& call, const Error& error, std::span<const std::uint8_t> body,
                         std::int16_t version) {
  if (closing_) return;
  --requests_in_flight_[call.node];
  --total_requests_in_flight_;
  std::optional<ProduceResponse> response;
  Error failure = error;
  if (!failure) {
    try {
      response = ProduceResponse::decode(body, version);
    } catch (const Exception& e) {
      failure = e.error();
    }
  }
  for (auto& [sink, batch] : call.batches) {
    --sink->in_flight;
    if (failure) {
      requeue(*sink, std::move(batch), failure);
      continue;
    }
    const ProduceResponse::PartitionResponse* answer = nullptr;
    for (const auto& topic : response->responses) {
      if (topic.name != sink->topic) continue;
      for (const auto& partition : topic.partition_responses) {
        if (partition.index == sink->partition) answer = &partition;
      }
    }
    if (answer == nullptr) {
      retry_later(*sink, std::move(batch),
                  Error(ErrorCode::protocol_error, "broker " + std::to_string(call.node) +
                                                       " did not answer for " +
                                                       where(sink->topic, sink->partition)),
                  true);
      continue;
    }
    const std::int16_t code = answer->error_code;
    if (code == kafka_errc::none || code == kafka_errc::duplicate_sequence_number) {
      // DUPLICATE_SEQUENCE_NUMBER: the broker already has this batch (an earlier send whose
      // answer was lost); what it stored is what we sent.
      succeeded(*sink, *batch, answer->base_offset, answer->log_append_time_ms);
      continue;
    }
    std::string detail = answer->error_message.value_or("");
    const Error kafka =
        kafka_failure(code, "producing to " + where(sink->topic, sink->partition), detail);
    if (code == kafka_errc::out_of_order_sequence_number ||
        code == kafka_errc::unknown_producer_id || code == kafka_errc::invalid_producer_epoch) {
      sequence_trouble(*sink, std::move(batch), kafka);
    } else if (kafka.retriable()) {
      retry_later(*sink, std::move(batch), kafka, needs_metadata_refresh(code));
    } else {
      fail_batch(*sink, *batch, kafka);
    }
  }
  drain();
}

void Producer::succeeded(PartitionSink& sink, Batch& batch, std::int64_t base_offset,
                         std::int64_t log_append_time) {
  Position position;
  position.partition = sink.partition;
  if (log_append_time >= 0) {
    position.broker_timestamp =
        std::chrono::system_clock::time_point(std::chrono::milliseconds(log_append_time));
  }
  for (std::size_t i = 0; i < batch.sequences.size(); ++i) {
    position.offset = base_offset < 0 ? std::optional<std::int64_t>{}
                                      : base_offset + static_cast<std::int64_t>(i);
    pipeline_.confirmed(batch.sequences[i], false,
                        [&](const client::Outgoing&) { return position; });
  }
  if (settings_.codec != Codec::none) host_.metrics().compressed.add(batch.sequences.size());
  end_retrying_when_resent(sink);
}

void Producer::end_retrying_when_resent(PartitionSink& sink) {
  // Retrying lasts while a batch that was sent before waits to go again.
  if (sink.retrying && std::none_of(sink.ready.begin(), sink.ready.end(),
                                    [](const auto& b) { return b->sends > 0; })) {
    sink.retrying = false;
  }
}

void Producer::retry_later(PartitionSink& sink, std::unique_ptr<Batch> batch, const Error& failure,
                           bool refresh_metadata) {
  const auto now = Clock::now();
  auto decision = host_.retry(*batch->first, failure, now);
  if (!decision.when) {
    fail_batch(sink, *batch, decision.reason);
    return;
  }
  batch->not_before = *decision.when;
  // Back in sequence order: batches answered after this one went back behind it.
  auto it = std::find_if(sink.ready.begin(), sink.ready.end(), [&](const auto& other) {
    return other->sends == 0 || other->base_sequence > batch->base_sequence;
  });
  sink.ready.insert(it, std::move(batch));
  sink.retrying = true;
  if (refresh_metadata) request_metadata(sink.topic);
}

void Producer::requeue(PartitionSink& sink, std::unique_ptr<Batch> batch, const Error& failure) {
  // The connection went (or an answer did not come): the batch is sent again once there is
  // one, as it was; like a message written again after a reconnect, that is not a retry and
  // spends nothing from the retry budget. Only its deadline limits it.
  if (host_.expired(*batch->first, Clock::now())) {
    fail_batch(sink, *batch, expiry_error(failure));
    return;
  }
  auto it = std::find_if(sink.ready.begin(), sink.ready.end(), [&](const auto& other) {
    return other->sends == 0 || other->base_sequence > batch->base_sequence;
  });
  sink.ready.insert(it, std::move(batch));
  sink.retrying = true;
  request_metadata(sink.topic);
}

void Producer::expire_ready(PartitionSink& sink, Clock::time_point now) {
  // Batches that cannot go (no connection, no leader) fail once their first message is past
  // delivery.timeout.ms; they are in order, so the first that is not stops the scan.
  while (!sink.ready.empty() && host_.expired(*sink.ready.front()->first, now)) {
    auto batch = std::move(sink.ready.front());
    sink.ready.pop_front();
    fail_batch(
        sink, *batch,
        expiry_error(Error(ErrorCode::connection_refused,
                           "no connection to the leader of " + where(sink.topic, sink.partition))));
  }
}

void Producer::fail_batch(PartitionSink& sink, Batch& batch, const Error& failure) {
  for (const auto sequence : batch.sequences) {
    pipeline_.failed(sequence, failure);
  }
  batch.sequences.clear();
  // The broker expects the next number after the failed batch's; if it never stored that batch
  // the numbers now have a gap, which only a new epoch closes.
  if (settings_.idempotent && batch.sends > 0) request_epoch_bump();
  end_retrying_when_resent(sink);
}

void Producer::sequence_trouble(PartitionSink& sink, std::unique_ptr<Batch> batch,
                                const Error& failure) {
  // An earlier batch of the partition failed: this one was refused because of it, and goes
  // again after it. Otherwise the broker lost this producer's state (its records were deleted
  // by retention, or the leader changed without them): as librdkafka does, the epoch is bumped
  // and the partition's numbering starts again; the batches are sent again under the new epoch.
  const bool behind_a_failure = sink.retrying;
  retry_later(sink, std::move(batch), failure, false);
  if (!behind_a_failure) request_epoch_bump();
}

void Producer::request_epoch_bump() { bump_wanted_ = true; }

asio::awaitable<void> Producer::bump_epoch() {
  // KIP-360: InitProducerId with the current id and epoch gives the next epoch (or a new id).
  const runtime::Backoff backoff(host_.config());
  unsigned attempt = 0;
  while (!closing_) {
    try {
      auto connection = co_await cluster_.any_connection();
      InitProducerIdRequest request;
      request.transaction_timeout_ms = std::numeric_limits<std::int32_t>::max();
      request.producer_id = producer_id_;
      request.producer_epoch = producer_epoch_;
      const auto response = co_await connection->call<InitProducerIdResponse>(request);
      if (response.error_code != kafka_errc::none) {
        throw Exception(kafka_failure(response.error_code, "bumping the producer epoch"));
      }
      producer_id_ = response.producer_id;
      producer_epoch_ = response.producer_epoch;
      break;
    } catch (const Exception& e) {
      host_.logger().log(LogLevel::warn, "kafka", e.error().to_string());
    }
    co_await pauses_.sleep(backoff.delay(attempt++));
  }
  if (closing_) co_return;
  host_.logger().log(LogLevel::info, "kafka",
                     "producer " + std::to_string(producer_id_) + " now at epoch " +
                         std::to_string(producer_epoch_));
  resequence();
  bump_wanted_ = false;
  bumping_ = false;
  drain();
}

void Producer::resequence() {
  for (auto& [name, topic] : topics_) {
    for (auto& sink : topic->partitions) {
      sink->next_sequence = 0;
      sink->retrying = false;
      for (auto& batch : sink->ready) {
        batch->base_sequence = sink->next_sequence;
        sink->next_sequence += static_cast<std::int32_t>(batch->sequences.size());
        rewrite_producer_fields(batch->bytes, producer_id_, producer_epoch_, batch->base_sequence);
      }
    }
  }
}

void Producer::on_connection_lost(std::int32_t /*node*/) {
  // The lost requests' handlers already put their batches back; draining sends them again
  // once the connection (or a new leader) is there.
  if (!closing_) schedule_drain();
}

void Producer::close(const Error& reason) {
  closing_ = true;
  timer_.cancel();
  pauses_.cancel_all();
  topics_.clear();
  pipeline_.fail_everything(reason);
}

}  // namespace postwire::kafka
