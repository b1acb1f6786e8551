#include "client/send_buffer.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace postwire::client {
namespace {

using namespace std::chrono_literals;
using Clock = SendBuffer::Clock;

TEST(SendBuffer, BoundsMessagesAndBytes) {
  SendBuffer buffer(2, 100, 10);
  EXPECT_EQ(buffer.acquire(60, Clock::now()), SendBuffer::Acquire::ok);
  EXPECT_EQ(buffer.acquire(60, Clock::now() + 20ms), SendBuffer::Acquire::full) << "bytes";
  EXPECT_EQ(buffer.acquire(40, Clock::now()), SendBuffer::Acquire::ok);
  EXPECT_EQ(buffer.acquire(0, Clock::now()), SendBuffer::Acquire::full) << "messages";
  buffer.release(60);
  buffer.release(40);
  EXPECT_EQ(buffer.messages(), 0U);
  EXPECT_EQ(buffer.bytes(), 0U);
}

TEST(SendBuffer, OneOversizedMessageFitsAnEmptyBuffer) {
  SendBuffer buffer(10, 100, 10);
  EXPECT_EQ(buffer.acquire(500, Clock::now()), SendBuffer::Acquire::ok);
  EXPECT_EQ(buffer.acquire(1, Clock::now()), SendBuffer::Acquire::full);
}

TEST(SendBuffer, WaiterGetsRoomWhenReleased) {
  SendBuffer buffer(1, 100, 10);
  ASSERT_EQ(buffer.acquire(10, Clock::now()), SendBuffer::Acquire::ok);
  std::thread releaser([&] {
    std::this_thread::sleep_for(50ms);
    buffer.release(10);
  });
  EXPECT_EQ(buffer.acquire(10, Clock::now() + 10s), SendBuffer::Acquire::ok);
  releaser.join();
}

TEST(SendBuffer, UnpolledReportsHoldSendersUntilPolled) {
  SendBuffer buffer(100, 1000, 2);
  buffer.report_queued();
  buffer.report_queued();
  EXPECT_EQ(buffer.acquire(1, Clock::now() + 20ms), SendBuffer::Acquire::full);
  EXPECT_NE(buffer.describe_limits().find("event.queue.max.events"), std::string::npos);
  std::thread poller([&] {
    std::this_thread::sleep_for(50ms);
    buffer.reports_polled(1);
  });
  EXPECT_EQ(buffer.acquire(1, Clock::now() + 10s), SendBuffer::Acquire::ok);
  poller.join();
}

TEST(SendBuffer, BlockedBrokerHoldsSendersAndCloseWakesThem) {
  SendBuffer buffer(10, 1000, 10);
  buffer.set_blocked(true);
  EXPECT_EQ(buffer.acquire(1, Clock::now() + 20ms), SendBuffer::Acquire::blocked);
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    buffer.close();
  });
  EXPECT_EQ(buffer.acquire(1, Clock::now() + 10s), SendBuffer::Acquire::closed);
  closer.join();
  buffer.set_blocked(false);
  EXPECT_EQ(buffer.acquire(1, Clock::now()), SendBuffer::Acquire::closed);
}

}  // namespace
}  // namespace postwire::client
