#pragma once

// A transport with no broker behind it, for testing the client layer (core/src/client) on its
// own: what the client hands it is written to a list, and the test decides each message's fate
// — confirmed, or refused (then the client layer decides whether and when to retry, exactly as
// with a real transport). Subscriptions record settlements and let the test deliver messages.

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "client/consumer_core.hpp"
#include "client/inbound_message.hpp"
#include "client/metrics.hpp"
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

class FakeTransport final : public client::Transport {
 public:
  explicit FakeTransport(client::TransportHost& host,
                         Compression compression = Compression::per_message)
      : host_(host), compression_(compression) {}

  [[nodiscard]] Compression compression() const override { return compression_; }

  void start() override {}

  void publish(client::OutgoingPtr message) override {
    boost::asio::post(host_.io().executor(),
                      [this, shared = std::shared_ptr<client::Outgoing>(std::move(message))] {
                        write(std::make_unique<client::Outgoing>(std::move(*shared)));
                      });
  }

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
    run_on_io([this, reason] {
      std::deque<client::OutgoingPtr> written;
      {
        std::lock_guard lock(mutex_);
        written.swap(written_);
      }
      for (auto& message : written) {
        host_.complete(std::move(message), reason);
      }
    });
  }

  // Test thread: waits until `count` messages wait for a decision; false after `timeout`.
  bool wait_written(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return written_.size() >= count; });
  }
  // Test thread: the broker confirms the oldest written message.
  void confirm_next() {
    run_on_io([this] { host_.complete(take(), Error()); });
  }
  // Test thread: the broker refuses the oldest written message with `failure`.
  void refuse_next(const Error& failure) {
    run_on_io([this, failure] {
      auto message = take();
      auto decision = host_.retry(*message, failure, client::Outgoing::Clock::now());
      if (!decision.when) {
        host_.complete(std::move(message), decision.reason);
        return;
      }
      auto timer = std::make_shared<boost::asio::steady_timer>(host_.io().executor());
      timer->expires_at(*decision.when);
      timer->async_wait(
          [this, timer, shared = std::shared_ptr<client::Outgoing>(std::move(message))](
              boost::system::error_code) {
            write(std::make_unique<client::Outgoing>(std::move(*shared)));
          });
    });
  }
  // Test thread: the body and compression flag of the oldest written message.
  [[nodiscard]] std::pair<std::string, bool> oldest_written() {
    std::lock_guard lock(mutex_);
    return {written_.front()->message.body, written_.front()->compressed};
  }
  [[nodiscard]] std::shared_ptr<FakeSubscription> subscription(std::size_t i) {
    std::lock_guard lock(mutex_);
    return subscriptions_.at(i);
  }

 private:
  void write(client::OutgoingPtr message) {
    ++message->attempts;
    host_.metrics().sent.add();
    std::lock_guard lock(mutex_);
    written_.push_back(std::move(message));
    changed_.notify_all();
  }

  client::OutgoingPtr take() {
    std::lock_guard lock(mutex_);
    auto message = std::move(written_.front());
    written_.pop_front();
    return message;
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
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<client::OutgoingPtr> written_;
  std::vector<std::shared_ptr<FakeSubscription>> subscriptions_;
};

}  // namespace postwire::testing
