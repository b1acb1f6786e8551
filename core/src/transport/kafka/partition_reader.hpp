#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "client/transport.hpp"
#include "postwire/client.hpp"
#include "protocol/kafka/messages/fetch.hpp"
#include "runtime/pauses.hpp"
#include "transport/kafka/kafka_settings.hpp"

namespace postwire::kafka {

class KafkaTransport;

// Reads partitions of one topic without a consumer group: the partitions asked for (all by
// default), from a start position (earliest, latest, an offset, or the first offset at or
// after a timestamp), fetched from each partition's leader. At most consumer.prefetch.count
// messages are handed out and not yet settled; fetching waits while that many are. Without a
// group nothing is committed: ack releases the message, nack(delay) hands it out again after
// the delay (in this process), dead_letter sends a copy to the source's dead-letter topic.
class PartitionReader final : public client::Subscription,
                              public std::enable_shared_from_this<PartitionReader> {
 public:
  enum class Start : std::uint8_t { earliest, latest, offset, timestamp };
  struct Options {
    std::optional<std::vector<std::int32_t>> partitions;  // nothing: every partition
    Start start = Start::earliest;
    std::int64_t start_value = 0;  // the offset, or the timestamp in ms
    std::size_t prefetch = 256;
  };
  // From SubscribeOptions: its fields and the settings `partitions` ("0,2,5"), `start`
  // (earliest, latest), `start.offset` and `start.timestamp.ms`. Throws invalid_argument
  // naming an unknown or bad setting.
  static Options options_from(const SubscribeOptions& options);

  PartitionReader(KafkaTransport& transport, std::shared_ptr<client::ConsumerCore> consumer,
                  Options options);
  ~PartitionReader() override;

  // IO thread: learns the partitions and their start offsets, then fetches.
  boost::asio::awaitable<void> start();
  // IO thread: stops fetching (the transport closes).
  void stop(const Error& reason);

  void settle(client::Settlement settlement) override;
  void flush_settlements() override {}
  void cancel() override;

 private:
  struct Partition {
    std::int32_t id = 0;
    std::int64_t next_offset = 0;
    // The leader's epoch as the metadata says, sent with each fetch so that a deposed leader
    // refuses it (FENCED_LEADER_EPOCH) and a newer one is learnt. Never a batch's
    // partitionLeaderEpoch: that is the epoch the batch was written in, which a later leader
    // fences for ever.
    std::int32_t leader_epoch = -1;
    std::int32_t leader = -1;
    bool failed = false;  // a batch that cannot be read: reported, fetching stopped
  };

  boost::asio::awaitable<void> fetch_loop();
  boost::asio::awaitable<bool> fetch_round();
  // Where `partitions` start, as the start option says (also after an offset out of range).
  boost::asio::awaitable<void> reset_offsets(std::span<Partition> partitions);
  // Takes one broker's answer; false when a partition needs a metadata refresh or a reset.
  bool handle_fetch(const FetchResponse& response);
  void read_records(Partition& partition, const FetchResponse::Partition& answered,
                    const FetchSettings& fetch);
  // Hands the consumer what it has room for (the prefetch less what it holds unsettled).
  void deliver_held();
  void settle_on_io_thread(client::Settlement settlement);
  void redeliver(const std::shared_ptr<client::InboundMessage>& message);
  void wake();
  void emit_state(ConsumerState state, const Error& error);

  KafkaTransport& transport_;
  std::shared_ptr<client::ConsumerCore> consumer_;
  Options options_;
  std::string topic_;

  // IO thread.
  std::vector<Partition> partitions_;
  std::size_t outstanding_ = 0;  // handed to the consumer and not settled
  // Read and not yet handed out: a fetch returns whole batches, often more than the prefetch.
  std::deque<std::shared_ptr<client::InboundMessage>> held_;
  bool stopped_ = false;
  boost::asio::steady_timer wake_signal_;
  runtime::Pauses pauses_;  // the fetch loop's backoff, cut short by stop()
  // nack(delay)s waiting to hand their message out again.
  std::set<std::shared_ptr<boost::asio::steady_timer>> redelivery_timers_;
  bool waiting_ = false;
};

}  // namespace postwire::kafka
