#include "runtime/event_queue.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <thread>
#include <vector>

namespace postwire::runtime {
namespace {

using std::chrono::milliseconds;

bool readable(int fd) {
  pollfd entry{.fd = fd, .events = POLLIN, .revents = 0};
  return ::poll(&entry, 1, 0) == 1 && (entry.revents & POLLIN) != 0;
}

TEST(EventQueue, DeliversInOrderUpToMaxEvents) {
  EventQueue<int> queue(8);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(queue.try_push(int{i}), PushResult::ok);
  }
  std::vector<int> out;
  EXPECT_EQ(queue.poll(out, 3, milliseconds(0)), 3U);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(queue.poll(out, 10, milliseconds(0)), 2U);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(EventQueue, IsBounded) {
  EventQueue<int> queue(2);
  EXPECT_EQ(queue.try_push(1), PushResult::ok);
  EXPECT_EQ(queue.try_push(2), PushResult::ok);
  EXPECT_EQ(queue.try_push(3), PushResult::full);
  EXPECT_EQ(queue.push(3, milliseconds(20)), PushResult::full);
  EXPECT_EQ(queue.size(), 2U);
}

TEST(EventQueue, BlockedPushProceedsWhenTheConsumerMakesRoom) {
  EventQueue<int> queue(1);
  ASSERT_EQ(queue.try_push(1), PushResult::ok);
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_EQ(queue.push(2, milliseconds(60'000)), PushResult::ok);
    pushed = true;
  });
  std::vector<int> out;
  EXPECT_EQ(queue.poll(out, 1, milliseconds(-1)), 1U);
  producer.join();
  EXPECT_TRUE(pushed);
  EXPECT_EQ(queue.poll(out, 1, milliseconds(0)), 1U);
  EXPECT_EQ(out, (std::vector<int>{1, 2}));
}

TEST(EventQueue, PollTimesOutWhenEmpty) {
  EventQueue<int> queue(4);
  std::vector<int> out;
  EXPECT_EQ(queue.poll(out, 4, milliseconds(10)), 0U);
  EXPECT_TRUE(out.empty());
}

TEST(EventQueue, WakeupFdIsReadableExactlyWhileEventsArePending) {
  EventQueue<int> queue(4);
  EXPECT_FALSE(readable(queue.wakeup_fd()));
  queue.try_push(1);
  queue.try_push(2);
  EXPECT_TRUE(readable(queue.wakeup_fd()));
  std::vector<int> out;
  queue.poll(out, 1, milliseconds(0));
  EXPECT_TRUE(readable(queue.wakeup_fd())) << "one event is still pending";
  queue.poll(out, 1, milliseconds(0));
  EXPECT_FALSE(readable(queue.wakeup_fd()));
  queue.try_push(3);
  EXPECT_TRUE(readable(queue.wakeup_fd()));
}

TEST(EventQueue, ShutdownWakesABlockedPoller) {
  EventQueue<int> queue(4);
  std::thread poller([&] {
    std::vector<int> out;
    EXPECT_EQ(queue.poll(out, 4, milliseconds(-1)), 0U);
  });
  queue.shutdown();
  poller.join();
  EXPECT_TRUE(readable(queue.wakeup_fd()));
}

TEST(EventQueue, ShutdownWakesABlockedProducerAndRefusesNewEvents) {
  EventQueue<int> queue(1);
  queue.try_push(1);
  std::thread producer(
      [&] { EXPECT_EQ(queue.push(2, milliseconds(60'000)), PushResult::shut_down); });
  queue.shutdown();
  producer.join();
  EXPECT_EQ(queue.try_push(3), PushResult::shut_down);
  // What was queued before the shutdown can still be drained.
  std::vector<int> out;
  EXPECT_EQ(queue.poll(out, 4, milliseconds(-1)), 1U);
  EXPECT_EQ(out, (std::vector<int>{1}));
}

TEST(EventQueue, ManyProducersOneConsumerLoseNothing) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 20'000;
  EventQueue<int> queue(64);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&queue, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        ASSERT_EQ(queue.push(p * kPerProducer + i, milliseconds(60'000)), PushResult::ok);
      }
    });
  }
  std::vector<int> out;
  std::vector<int> last_seen(static_cast<std::size_t>(kProducers), -1);
  while (out.size() < static_cast<std::size_t>(kProducers * kPerProducer)) {
    const std::size_t before = out.size();
    queue.poll(out, 100, milliseconds(-1));
    for (std::size_t i = before; i < out.size(); ++i) {
      const auto producer = static_cast<std::size_t>(out[i] / kPerProducer);
      // Each producer's events arrive in the order it pushed them.
      EXPECT_GT(out[i], last_seen[producer]);
      last_seen[producer] = out[i];
    }
    EXPECT_LE(queue.size(), queue.capacity());
  }
  for (auto& t : producers) {
    t.join();
  }
  for (int p = 0; p < kProducers; ++p) {
    EXPECT_EQ(last_seen[static_cast<std::size_t>(p)], p * kPerProducer + kPerProducer - 1);
  }
}

TEST(EventQueue, WakeupFdAskedForLateReflectsPendingEvents) {
  EventQueue<int> queue(8);
  ASSERT_EQ(queue.try_push(1), PushResult::ok);
  // Nobody had asked for the fd: it is brought up to date when first asked for.
  EXPECT_TRUE(readable(queue.wakeup_fd()));
}

TEST(EventQueue, PushManyAddsWhatFitsWithOneWakeup) {
  EventQueue<int> queue(3);
  const int fd = queue.wakeup_fd();
  std::vector<int> batch{1, 2, 3, 4};
  EXPECT_EQ(queue.try_push_many(batch), 3U);
  EXPECT_TRUE(readable(fd));
  std::vector<int> out;
  EXPECT_EQ(queue.poll(out, 10, milliseconds(0)), 3U);
  EXPECT_EQ(out, (std::vector<int>{1, 2, 3}));
  EXPECT_FALSE(readable(fd));
}

}  // namespace
}  // namespace postwire::runtime
