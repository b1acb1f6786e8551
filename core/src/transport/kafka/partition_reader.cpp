#include "transport/kafka/partition_reader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <map>

#include "client/consumer_core.hpp"
#include "client/envelope_headers.hpp"
#include "client/inbound_message.hpp"
#include "client/subscribe_options.hpp"
#include "protocol/kafka/error_codes.hpp"
#include "protocol/kafka/messages/fetch.hpp"
#include "protocol/kafka/record_batch.hpp"
#include "runtime/backoff.hpp"
#include "transport/kafka/kafka_errors.hpp"
#include "transport/kafka/kafka_transport.hpp"
#include "transport/kafka/message_mapping.hpp"

namespace postwire::kafka {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

std::vector<std::int32_t> partition_list(const client::OptionReader& read, std::string_view text) {
  std::vector<std::int32_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, end - start);
    std::int32_t value = -1;
    const auto parsed = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || parsed.ec != std::errc{} || parsed.ptr != item.data() + item.size() ||
        value < 0) {
      read.fail("a comma-separated list of partition numbers, e.g. 0,1,5");
    }
    out.push_back(value);
    start = end + 1;
  }
  return out;
}

}  // namespace

PartitionReader::Options PartitionReader::options_from(const SubscribeOptions& options) {
  Options out;
  if (options.prefetch) out.prefetch = *options.prefetch;
  if (options.exclusive) {
    throw Exception(
        ErrorCode::not_supported,
        "subscribe: Kafka has no exclusive consumers (capabilities().exclusive_consumers)");
  }
  client::read_subscribe_settings(
      options, "partitions, start, start.offset, start.timestamp.ms",
      [&](const client::OptionReader& read, std::string_view key) {
        if (key == "partitions") {
          if (read.text() != "all") out.partitions = partition_list(read, read.text());
        } else if (key == "start") {
          out.start = read.choice({std::pair{std::string_view("earliest"), Start::earliest},
                                   std::pair{std::string_view("latest"), Start::latest}});
        } else if (key == "start.offset") {
          out.start = Start::offset;
          out.start_value = read.integer(0, std::numeric_limits<std::int64_t>::max());
        } else if (key == "start.timestamp.ms") {
          out.start = Start::timestamp;
          out.start_value = read.integer(0, std::numeric_limits<std::int64_t>::max());
        } else {
          return false;
        }
        return true;
      });
  return out;
}

PartitionReader::PartitionReader(KafkaTransport& transport,
                                 std::shared_ptr<client::ConsumerCore> consumer, Options options)
    : transport_(transport),
      consumer_(std::move(consumer)),
      options_(std::move(options)),
      topic_(consumer_->source()),
      wake_signal_(transport.host().io().executor()),
      pauses_(transport.host().io().executor()) {}

PartitionReader::~PartitionReader() = default;

asio::awaitable<void> PartitionReader::start() {
  const auto* metadata = co_await transport_.topic_metadata(topic_);
  const auto count = static_cast<std::int32_t>(metadata->partitions.size());
  std::vector<std::int32_t> wanted;
  if (options_.partitions) {
    for (const auto p : *options_.partitions) {
      if (p >= count) {
        throw Exception(ErrorCode::not_found, "subscribe: topic '" + topic_ + "' has " +
                                                  std::to_string(count) + " partitions (0 to " +
                                                  std::to_string(count - 1) + "), not " +
                                                  std::to_string(p));
      }
      wanted.push_back(p);
    }
  } else {
    for (std::int32_t p = 0; p < count; ++p) wanted.push_back(p);
  }
  for (const auto p : wanted) {
    Partition partition;
    partition.id = p;
    partition.leader = metadata->partitions[static_cast<std::size_t>(p)].leader;
    partition.leader_epoch = metadata->partitions[static_cast<std::size_t>(p)].leader_epoch;
    partitions_.push_back(partition);
  }
  co_await reset_offsets(partitions_);
  auto self = shared_from_this();
  asio::co_spawn(
      transport_.host().io().executor(),
      [self]() -> asio::awaitable<void> { co_await self->fetch_loop(); }, asio::detached);
}

asio::awaitable<void> PartitionReader::reset_offsets(std::span<Partition> partitions) {
  if (options_.start == Start::offset) {
    for (auto& partition : partitions) partition.next_offset = options_.start_value;
    co_return;
  }
  const std::int64_t timestamp = options_.start == Start::earliest ? -2
                                 : options_.start == Start::latest ? -1
                                                                   : options_.start_value;
  // One ListOffsets round for every partition; a second for those with no record at or after
  // the timestamp, which start where the next record will be written.
  const auto offsets = co_await transport_.list_offsets(topic_, timestamp);
  std::vector<std::int64_t> latest;
  for (auto& partition : partitions) {
    const auto index = static_cast<std::size_t>(partition.id);
    std::int64_t offset = index < offsets.size() ? offsets[index] : -1;
    if (offset < 0) {
      if (latest.empty()) latest = co_await transport_.list_offsets(topic_, -1);
      offset = index < latest.size() ? latest[index] : 0;
    }
    partition.next_offset = offset;
  }
}

void PartitionReader::wake() {
  if (waiting_) wake_signal_.cancel();
}

asio::awaitable<void> PartitionReader::fetch_loop() {
  const runtime::Backoff backoff(transport_.host().config());
  unsigned failures = 0;
  while (!stopped_) {
    if (!held_.empty()) {
      deliver_held();
    }
    if (outstanding_ >= options_.prefetch || !held_.empty()) {
      waiting_ = true;
      wake_signal_.expires_at(Clock::time_point::max());
      boost::system::error_code ignored;
      co_await wake_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      waiting_ = false;
      continue;
    }
    bool ok = false;
    try {
      ok = co_await fetch_round();
    } catch (const Exception& e) {
      if (stopped_) break;
      transport_.host().logger().log(LogLevel::warn, "kafka",
                                     "reading " + topic_ + ": " + e.error().to_string());
    }
    if (ok) {
      failures = 0;
      continue;
    }
    try {
      std::vector<std::string> names{topic_};
      co_await transport_.cluster().refresh(std::move(names));
      if (const auto* metadata = transport_.cluster().topic(topic_); metadata != nullptr) {
        for (auto& partition : partitions_) {
          const auto index = static_cast<std::size_t>(partition.id);
          if (index < metadata->partitions.size()) {
            partition.leader = metadata->partitions[index].leader;
            partition.leader_epoch = metadata->partitions[index].leader_epoch;
          }
        }
      }
    } catch (const Exception&) {
    }
    co_await pauses_.sleep(backoff.delay(failures++));
  }
}

void PartitionReader::deliver_held() {
  const std::size_t room = options_.prefetch > outstanding_ ? options_.prefetch - outstanding_ : 0;
  if (room == 0 || held_.empty()) return;
  std::vector<std::shared_ptr<client::InboundMessage>> batch;
  const std::size_t n = std::min(room, held_.size());
  batch.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(held_.front()));
    held_.pop_front();
  }
  const std::size_t taken = consumer_->deliver(batch);
  outstanding_ += taken;
  // What the consumer could not take (it is closing) goes back in front, in order.
  for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
    if (*it) held_.push_front(std::move(*it));
  }
}

asio::awaitable<bool> PartitionReader::fetch_round() {
  const FetchSettings& fetch = transport_.settings().fetch;
  std::map<std::int32_t, std::vector<Partition*>> by_leader;
  for (auto& partition : partitions_) {
    if (partition.failed) continue;
    if (partition.leader < 0) co_return false;
    by_leader[partition.leader].push_back(&partition);
  }
  if (by_leader.empty()) {
    // Every partition has failed: nothing to fetch until the consumer is closed.
    waiting_ = true;
    wake_signal_.expires_at(Clock::time_point::max());
    boost::system::error_code ignored;
    co_await wake_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    waiting_ = false;
    co_return true;
  }
  // One request per leader, all in flight together; the round ends when each has answered.
  struct Round {
    std::size_t waiting = 0;
    bool ok = true;
  };
  auto round = std::make_shared<Round>();
  auto done = std::make_shared<asio::steady_timer>(transport_.host().io().executor(),
                                                   Clock::time_point::max());
  auto self = shared_from_this();
  for (auto& [leader, members] : by_leader) {
    auto connection = co_await transport_.cluster().connection(leader);
    FetchRequest request;
    request.replica_id = -1;
    request.max_wait_ms = static_cast<std::int32_t>(fetch.max_wait.count());
    request.min_bytes = 1;
    request.max_bytes = fetch.max_bytes;
    request.isolation_level = fetch.isolation_level;
    request.session_id = 0;
    request.session_epoch = -1;
    FetchRequest::Topic topic;
    topic.topic = topic_;
    if (const auto* metadata = transport_.cluster().topic(topic_)) topic.topic_id = metadata->id;
    for (Partition* partition : members) {
      FetchRequest::Partition p;
      p.partition = partition->id;
      p.current_leader_epoch = partition->leader_epoch;
      p.fetch_offset = partition->next_offset;
      p.last_fetched_epoch = -1;
      p.log_start_offset = -1;
      p.partition_max_bytes = fetch.partition_max_bytes;
      topic.partitions.push_back(p);
    }
    request.topics.push_back(std::move(topic));
    ++round->waiting;
    connection->send(request, [self, round, done](const Error& error,
                                                  std::span<const std::uint8_t> body,
                                                  std::int16_t version) {
      if (error) {
        round->ok = false;
      } else {
        try {
          if (!self->handle_fetch(FetchResponse::decode(body, version))) round->ok = false;
        } catch (const Exception& e) {
          round->ok = false;
          self->transport_.host().logger().log(
              LogLevel::warn, "kafka", "reading " + self->topic_ + ": " + e.error().to_string());
        }
      }
      if (--round->waiting == 0) done->cancel();
    });
  }
  while (round->waiting > 0) {
    boost::system::error_code ignored;
    co_await done->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return round->ok;
}

bool PartitionReader::handle_fetch(const FetchResponse& response) {
  const FetchSettings& fetch = transport_.settings().fetch;
  bool ok = true;
  if (response.error_code != kafka_errc::none) {
    transport_.host().logger().log(
        LogLevel::warn, "kafka",
        kafka_failure(response.error_code, "fetching " + topic_).to_string());
    return false;
  }
  for (const auto& topic : response.responses) {
    for (const auto& answered : topic.partitions) {
      auto it = std::find_if(partitions_.begin(), partitions_.end(),
                             [&](const Partition& p) { return p.id == answered.partition_index; });
      if (it == partitions_.end()) continue;
      Partition& partition = *it;
      const std::string where = topic_ + "[" + std::to_string(partition.id) + "]";
      if (answered.error_code == kafka_errc::offset_out_of_range) {
        // The records were deleted (retention, a purge) or the offset is past the end: start
        // again where the start option says, as Kafka's auto.offset.reset does.
        transport_.host().logger().log(LogLevel::warn, "kafka",
                                       "offset " + std::to_string(partition.next_offset) + " of " +
                                           where + " is out of range; starting again");
        auto self = shared_from_this();
        Partition* target = &partition;
        asio::co_spawn(
            transport_.host().io().executor(),
            [self, target]() -> asio::awaitable<void> {
              co_await self->reset_offsets(std::span<Partition>(target, 1));
            },
            asio::detached);
        ok = false;
        continue;
      }
      if (answered.error_code != kafka_errc::none) {
        const Error failure = kafka_failure(answered.error_code, "fetching " + where);
        transport_.host().logger().log(LogLevel::warn, "kafka", failure.to_string());
        ok = false;
        continue;
      }
      try {
        read_records(partition, answered, fetch);
      } catch (const Exception& e) {
        // A batch that cannot be read (a corrupt CRC, a codec error) is never delivered: the
        // partition stops at it and the application is told.
        partition.failed = true;
        const Error failure(e.code(), "reading " + where + " at offset " +
                                          std::to_string(partition.next_offset) + ": " +
                                          e.error().message());
        transport_.host().logger().log(LogLevel::error, "kafka", failure.to_string());
        emit_state(ConsumerState::failed, failure);
      }
    }
  }
  deliver_held();
  return ok;
}

void PartitionReader::read_records(Partition& partition, const FetchResponse::Partition& answered,
                                   const FetchSettings& fetch) {
  std::vector<AbortedTransaction> aborted;
  if (answered.aborted_transactions) {
    for (const auto& txn : *answered.aborted_transactions) {
      aborted.push_back(AbortedTransaction{txn.producer_id, txn.first_offset});
    }
  }
  const DecodeLimits limits{
      .max_decompressed_bytes =
          fetch.max_message_bytes + static_cast<std::size_t>(fetch.partition_max_bytes),
      .verify_crc = true};
  RecordBatchReader reader = fetch.isolation_level == 1
                                 ? RecordBatchReader(answered.records, limits, aborted)
                                 : RecordBatchReader(answered.records, limits);
  while (reader.next()) {
    const BatchInfo& batch = reader.batch();
    for (const DecodedRecord& record : reader.records()) {
      if (record.offset < partition.next_offset) continue;  // a batch starts before the offset
      auto message = std::make_shared<client::InboundMessage>();
      to_inbound(record, topic_, partition.id, batch.log_append_time, *message);
      message->consumer = consumer_;
      message->settle.numbers = {static_cast<std::uint64_t>(partition.id),
                                 static_cast<std::uint64_t>(record.offset),
                                 static_cast<std::uint64_t>(batch.partition_leader_epoch)};
      held_.push_back(std::move(message));
    }
    // Control batches and aborted records count too: the next fetch starts after them.
    partition.next_offset = std::max(partition.next_offset, batch.next_offset());
  }
}

void PartitionReader::emit_state(ConsumerState state, const Error& error) {
  transport_.host().emit(ConsumerEvent{
      .source = topic_, .state = state, .error = error, .consumer_id = consumer_->id()});
}

void PartitionReader::settle(client::Settlement settlement) {
  auto self = shared_from_this();
  asio::post(transport_.host().io().executor(),
             [self, settlement = std::move(settlement)]() mutable {
               self->settle_on_io_thread(std::move(settlement));
             });
}

void PartitionReader::settle_on_io_thread(client::Settlement settlement) {
  if (outstanding_ > 0) --outstanding_;
  switch (settlement.kind) {
    case client::SettleKind::ack:
      break;
    case client::SettleKind::redeliver: {
      auto timer =
          std::make_shared<asio::steady_timer>(transport_.host().io().executor(), settlement.delay);
      redelivery_timers_.insert(timer);
      auto self = shared_from_this();
      timer->async_wait(
          [self, timer, message = std::move(settlement.message)](const boost::system::error_code&) {
            self->redelivery_timers_.erase(timer);
            self->redeliver(message);
          });
      ++outstanding_;  // still this reader's to hand out
      break;
    }
    case client::SettleKind::dead_letter: {
      const auto& original = settlement.message->message;
      Message copy = original;
      copy.headers.push_back(
          Header{std::string(client::dead_letter_reason_header), settlement.reason});
      copy.headers.push_back(Header{std::string(client::original_destination_header), topic_});
      const std::string destination = topic_ + transport_.settings().dead_letter_suffix;
      auto self = shared_from_this();
      auto outgoing = transport_.host().make_internal(
          destination, std::move(copy), settlement.message->delivery_count,
          [self, destination](const Error& error) {
            if (error) {
              self->transport_.host().logger().log(
                  LogLevel::error, "kafka",
                  "dead-lettering to " + destination + " failed: " + error.to_string());
            }
          });
      // Declared by postwire when first used, as on RabbitMQ.
      asio::co_spawn(
          transport_.host().io().executor(),
          [self, destination, message = std::move(outgoing)]() mutable -> asio::awaitable<void> {
            try {
              co_await self->transport_.ensure_topic(destination);
            } catch (const Exception& e) {
              self->transport_.host().logger().log(
                  LogLevel::error, "kafka",
                  "cannot declare dead-letter topic " + destination + ": " + e.error().to_string());
            }
            if (!self->stopped_) self->transport_.publish_internal(std::move(message));
          },
          asio::detached);
      break;
    }
  }
  wake();
}

void PartitionReader::redeliver(const std::shared_ptr<client::InboundMessage>& message) {
  if (stopped_) return;
  --outstanding_;
  auto again = std::make_shared<client::InboundMessage>();
  again->message = message->message;
  again->source = message->source;
  again->position = message->position;
  again->delivery_count = message->delivery_count + 1;
  again->redelivered = true;
  again->settle = message->settle;
  again->wire_bytes = message->wire_bytes;
  again->consumer = consumer_;
  held_.push_front(std::move(again));
  wake();
}

void PartitionReader::stop(const Error& /*reason*/) {
  stopped_ = true;
  held_.clear();
  wake_signal_.cancel();
  pauses_.cancel_all();
  // Their handlers hold this reader: they must run (and find it stopped) before the IO thread
  // goes.
  for (const auto& timer : redelivery_timers_) timer->cancel();
}

void PartitionReader::cancel() {
  auto self = shared_from_this();
  try {
    transport_.host().io().run([self]() -> asio::awaitable<void> {
      self->stop(Error(ErrorCode::closed, "consumer closed"));
      self->transport_.forget(*self);
      co_return;
    }());
  } catch (const Exception&) {
    // The client is closing: the transport stops every reader itself.
  }
}

}  // namespace postwire::kafka
