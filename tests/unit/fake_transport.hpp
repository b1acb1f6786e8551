#pragma once

// A transport with no broker behind it, for testing the client layer (core/src/client) on its
// own: it publishes through the client layer's SendPipeline as a real transport does, its
// link "writes" to a list, and the test decides each message's fate — confirmed, or refused
// (the client layer then decides whether and when to retry). Subscriptions record
// settlements and let the test deliver messages.

#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "client/consumer_core.hpp"
#include "client/inbound_message.hpp"
#include "client/metrics.hpp"
#include "client/send_pipeline.hpp"
#include "client/transport.hpp"

namespace postwire::testing {

class FakeSubscription final : public client::Subscription {
 public:
  void settle(client::Settlement settlement) override {
    std::lock_guard lock(mutex);
    settled.push_back(std::move(settlement));
  }
  void flush_settlements() override {}
  void cancel() override {}

  std::mutex mutex;
  std::vector<client::Settlement> settled;
  std::shared_ptr<client::ConsumerCore> consumer;
};

class FakeTransport final : public client::Transport, private client::SendLink {
 public:
  explicit FakeTransport(client::TransportHost& host,
                         Compression compression = Compression::per_message)
      : host_(host), compression_(compression), pipeline_(host, *this, max_in_flight) {}

  [[nodiscard]] Compression compression() const override { return compression_; }

  void start() override {}

  void publish(client::OutgoingPtr message) override { pipeline_.submit(std::move(message)); }

  std::shared_ptr<client::Subscription> subscribe(std::shared_ptr<client::ConsumerCore> consumer,
                                                  const SubscribeOptions& /*options*/) override {
    auto subscription = std::make_shared<FakeSubscription>();
    subscription->consumer = std::move(consumer);
    std::lock_guard lock(mutex_);
    subscriptions_.push_back(subscription);
    return subscription;
  }

  [[nodiscard]] Capabilities capabilities() const override { return {}; }
  void check_message(std::string_view /*destination*/, const Message& /*message*/) const override {}

  void close(const Error& reason) override {
    run_on_io([this, reason] { pipeline_.fail_everything(reason); });
    // A subscription holds its consumer, which holds the client: let go, as a real transport
    // does when it closes.
    std::lock_guard lock(mutex_);
    subscriptions_.clear();
  }

  // Test thread: waits until `count` messages were written and not answered; false after
  // `timeout`.
  bool wait_written(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return unanswered_.size() >= count; });
  }
  // Test thread: the broker confirms the oldest written message.
  void confirm_next() {
    const auto sequence = take();
    run_on_io([this, sequence] { pipeline_.confirmed(sequence, false); });
  }
  // Test thread: the broker confirms the oldest written message, saying where it stored it.
  void confirm_next_at(const Position& position) {
    const auto sequence = take();
    run_on_io([this, sequence, position] {
      pipeline_.confirmed(sequence, false,
                          [&](const client::Outgoing& /*message*/) { return position; });
    });
  }
  // Test thread: the broker confirms the newest written message first (Kafka's partitions
  // answer independently of each other).
  void confirm_newest() {
    std::uint64_t sequence = 0;
    {
      std::lock_guard lock(mutex_);
      sequence = unanswered_.back().first;
      unanswered_.pop_back();
    }
    run_on_io([this, sequence] { pipeline_.confirmed(sequence, false); });
  }
  // Test thread: the transport gives up on the oldest written message (no retry).
  void fail_next(const Error& failure) {
    const auto sequence = take();
    run_on_io([this, sequence, failure] { pipeline_.failed(sequence, failure); });
  }
  static constexpr std::size_t max_in_flight = 64;
  // Test thread: the broker refuses the oldest written message with `failure`.
  void refuse_next(const Error& failure) {
    const auto sequence = take();
    run_on_io([this, sequence, failure] {
      pipeline_.refused(sequence, false,
                        [&](const client::Outgoing& /*message*/) { return failure; });
    });
  }
  // Test thread: the link is lost with what it wrote; the pipeline writes it again.
  void lose_link() {
    {
      std::lock_guard lock(mutex_);
      unanswered_.clear();
    }
    run_on_io([this] {
      pipeline_.requeue_written();
      pipeline_.pump();
    });
  }
  // Test thread: the body and compression flag of the oldest written message.
  [[nodiscard]] std::pair<std::string, bool> oldest_written() {
    std::lock_guard lock(mutex_);
    return unanswered_.front().second;
  }
  [[nodiscard]] std::shared_ptr<FakeSubscription> subscription(std::size_t i) {
    std::lock_guard lock(mutex_);
    return subscriptions_.at(i);
  }

 private:
  // SendLink, on the IO thread.
  [[nodiscard]] bool ready() const override { return true; }
  std::uint64_t write(client::Outgoing& message) override {
    ++message.attempts;
    host_.metrics().sent.add();
    std::lock_guard lock(mutex_);
    const std::uint64_t sequence = next_sequence_++;
    unanswered_.emplace_back(sequence, std::pair(message.message.body, message.compressed));
    changed_.notify_all();
    return sequence;
  }

  std::uint64_t take() {
    std::lock_guard lock(mutex_);
    const auto sequence = unanswered_.front().first;
    unanswered_.pop_front();
    return sequence;
  }

  // Runs `work` on the IO thread and waits for it.
  template <typename Work>
  void run_on_io(Work work) {
    std::mutex done_mutex;
    std::condition_variable done_signal;
    bool done = false;
    boost::asio::post(host_.io().executor(), [&] {
      work();
      std::lock_guard lock(done_mutex);
      done = true;
      done_signal.notify_all();
    });
    std::unique_lock lock(done_mutex);
    done_signal.wait(lock, [&] { return done; });
  }

  client::TransportHost& host_;
  Compression compression_;
  client::SendPipeline pipeline_;
  std::mutex mutex_;
  std::condition_variable changed_;
  // Written and not answered: sequence, then body and compression flag.
  std::deque<std::pair<std::uint64_t, std::pair<std::string, bool>>> unanswered_;
  std::uint64_t next_sequence_ = 1;
  std::vector<std::shared_ptr<FakeSubscription>> subscriptions_;
};

}  // namespace postwire::testing
