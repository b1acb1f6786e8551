#include "faults/fault_traffic.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace postwire::testing {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kFailuresKept = 5;
constexpr std::size_t kLostKept = 10;
// After the last message arrived: time for late copies (republished or redelivered) to show.
constexpr milliseconds kLinger{1500};

std::size_t sequence_of(const Message& message) {
  for (const auto& header : message.headers) {
    if (header.name == "seq") {
      return std::stoul(std::string(header.value.begin(), header.value.end()));
    }
  }
  ADD_FAILURE() << "a message without its seq header: id " << message.id;
  return SIZE_MAX;
}

milliseconds since(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

}  // namespace

Traffic::Traffic(const std::string& url, std::string queue, const Config& config,
                 TrafficOptions options)
    : queue_(std::move(queue)),
      options_(options),
      producer_client_(Client::connect(url, config)),
      consumer_client_(Client::connect(url, config)),
      confirmed_(options.messages, false) {}

Traffic::~Traffic() {
  stop_consumer_ = true;
  producer_done_ = true;
  if (producer_thread_.joinable()) {
    producer_thread_.join();
  }
  if (consumer_thread_.joinable()) {
    consumer_thread_.join();
  }
}

void Traffic::start() {
  // Subscribed first, so that the consumer is there before the first message.
  auto consumer = std::make_shared<Consumer>(
      consumer_client_.subscribe(queue_, SubscribeOptions{.prefetch = options_.prefetch}));
  consumer_thread_ = std::thread([this, consumer] { consume_with(*consumer); });
  producer_thread_ = std::thread([this] { produce(); });
}

void Traffic::network_restored() {
  std::lock_guard lock(mutex_);
  restored_.push_back(Clock::now());
  producer_back_.emplace_back();
  consumer_back_.emplace_back();
}

void Traffic::mark_back(std::vector<std::optional<Clock::time_point>>& back,
                        Clock::time_point now) {
  for (std::size_t i = 0; i < back.size(); ++i) {
    if (!back[i] && now > restored_[i]) {
      back[i] = now;
    }
  }
}

void Traffic::record_losses(const std::vector<Event>& events,
                            std::vector<Clock::time_point>& lost) {
  for (const auto& event : events) {
    if (const auto* connection = std::get_if<ConnectionEvent>(&event);
        connection != nullptr && connection->state == ConnectionState::recovering) {
      lost.push_back(Clock::now());
    }
  }
}

std::optional<Clock::time_point> Traffic::lost_since(const std::vector<Clock::time_point>& lost,
                                                     Clock::time_point since) {
  const auto found = std::ranges::find_if(lost, [&](auto at) { return at >= since; });
  return found == lost.end() ? std::nullopt : std::optional(*found);
}

std::optional<Clock::time_point> Traffic::producer_lost_since(Clock::time_point since) {
  std::lock_guard lock(mutex_);
  return lost_since(producer_lost_, since);
}

std::optional<Clock::time_point> Traffic::consumer_lost_since(Clock::time_point since) {
  std::lock_guard lock(mutex_);
  return lost_since(consumer_lost_, since);
}

void Traffic::produce() {
  Producer producer = producer_client_.producer();
  const std::string filler(options_.body_bytes, 'x');
  const auto started = Clock::now();
  std::vector<Event> events;
  const auto take_events = [&](milliseconds wait) {
    events.clear();
    producer_client_.poll(events, 1000, wait);
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    record_losses(events, producer_lost_);
    for (const auto& event : events) {
      const auto* report = std::get_if<DeliveryReport>(&event);
      if (report == nullptr) {
        continue;
      }
      ++reported_;
      if (report->error) {
        ++failed_;
        if (failures_.size() < kFailuresKept) {
          failures_.push_back("message " + std::to_string(report->token) + ": " +
                              report->error.to_string());
        }
      } else {
        confirmed_.at(report->token) = true;
        mark_back(producer_back_, now);
      }
    }
  };
  for (std::size_t i = 0; i < options_.messages && !producer_done_; ++i) {
    const auto due =
        started + options_.send_over * static_cast<long>(i) / static_cast<long>(options_.messages);
    while (Clock::now() < due) {
      take_events(
          std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(due - Clock::now())));
    }
    Message message;
    message.body = std::to_string(i) + ":" + filler;
    message.headers = {{"seq", std::to_string(i)}};
    message.persistent = true;
    producer.send(queue_, std::move(message), i);
    std::lock_guard lock(mutex_);
    ++sent_;
  }
  while (!producer_done_) {
    take_events(milliseconds(50));
    std::lock_guard lock(mutex_);
    if (reported_ >= sent_) {
      break;
    }
  }
}

void Traffic::consume_with(Consumer& consumer) {
  std::vector<Delivery> batch;
  std::vector<Event> events;
  while (!stop_consumer_) {
    batch.clear();
    consumer.poll(batch, options_.prefetch, milliseconds(50));
    events.clear();
    consumer_client_.poll(events, 1000, milliseconds(0));
    const auto now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      record_losses(events, consumer_lost_);
      if (!batch.empty()) {
        mark_back(consumer_back_, now);
      }
      for (const auto& delivery : batch) {
        ++handed_[sequence_of(delivery.message())];
      }
    }
    for (auto& delivery : batch) {
      std::this_thread::sleep_for(options_.processing);
      delivery.ack();
    }
  }
  consumer.close();
}

TrafficResult Traffic::finish(milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  const auto everything_in = [&] {
    std::lock_guard lock(mutex_);
    if (sent_ < options_.messages || reported_ < sent_) {
      return false;
    }
    for (std::size_t i = 0; i < confirmed_.size(); ++i) {
      if (confirmed_[i] && !handed_.contains(i)) {
        return false;
      }
    }
    return true;
  };
  while (!everything_in() && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  std::this_thread::sleep_for(kLinger);
  producer_done_ = true;
  stop_consumer_ = true;
  producer_thread_.join();
  consumer_thread_.join();

  TrafficResult result;
  const auto stats = consumer_client_.stats();
  result.repeated = stats.deduplicated;
  result.redelivered = stats.redelivered;
  const auto close_started = Clock::now();
  producer_client_.close(std::chrono::seconds(10));
  consumer_client_.close(std::chrono::seconds(10));
  result.close_time = since(close_started, Clock::now());

  std::lock_guard lock(mutex_);
  result.sent = sent_;
  result.failed = failed_;
  result.failures = failures_;
  for (std::size_t i = 0; i < confirmed_.size(); ++i) {
    result.confirmed += confirmed_[i] ? 1U : 0U;
    if (confirmed_[i] && !handed_.contains(i) && result.lost.size() < kLostKept) {
      result.lost.push_back(i);
    }
  }
  result.consumed = handed_.size();
  result.handed_twice = static_cast<std::size_t>(
      std::ranges::count_if(handed_, [](const auto& entry) { return entry.second > 1; }));
  for (std::size_t i = 0; i < restored_.size(); ++i) {
    const auto measure = [&](const std::optional<Clock::time_point>& back) {
      return back ? std::optional(since(restored_[i], *back)) : std::nullopt;
    };
    result.producer_recovery.push_back(measure(producer_back_[i]));
    result.consumer_recovery.push_back(measure(consumer_back_[i]));
  }
  return result;
}

}  // namespace postwire::testing
