// ConsumerCore with the dedup window on: a copy of a message that the application holds
// unsettled (as a broker redelivers after a lost connection) is not handed out a second time;
// it is settled the way the application settles the first one.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <vector>

#include "client/consumer_core.hpp"
#include "client/metrics.hpp"

namespace postwire::client {
namespace {

using namespace std::chrono_literals;

// Records what the consumer asks its transport to settle.
class RecordingSubscription final : public Subscription {
 public:
  void settle(Settlement settlement) override {
    std::lock_guard lock(mutex);
    settled.push_back(std::move(settlement));
  }
  void flush_settlements() override {}
  void cancel() override {}

  std::mutex mutex;
  std::vector<Settlement> settled;
};

class ConsumerCopies : public ::testing::Test {
 protected:
  void SetUp() override {
    consumer = std::make_shared<ConsumerCore>(
        ConsumerCore::Options{.source = "q", .buffer_capacity = 64, .dedup_window = 100}, metrics,
        nullptr);
    consumer->attach(subscription);
  }

  std::shared_ptr<InboundMessage> copy_of(const std::string& id, std::uint64_t tag) {
    auto message = std::make_shared<InboundMessage>();
    message->message.id = id;
    message->message.body = "body of " + id;
    message->source = "q";
    message->settle.numbers[0] = tag;
    message->consumer = consumer;
    return message;
  }

  std::vector<Delivery> poll() {
    std::vector<Delivery> out;
    consumer->poll(out, 64, 0ms);
    return out;
  }

  Metrics metrics;
  std::shared_ptr<RecordingSubscription> subscription = std::make_shared<RecordingSubscription>();
  std::shared_ptr<ConsumerCore> consumer;
};

TEST_F(ConsumerCopies, copy_of_a_message_in_hand_is_acked_with_it) {
  consumer->deliver(copy_of("a", 1));
  auto first = poll();
  ASSERT_EQ(first.size(), 1U);
  consumer->deliver(copy_of("a", 7));  // redelivered on a new channel
  EXPECT_TRUE(poll().empty()) << "the copy was handed out while the first was unsettled";
  first[0].ack();
  ASSERT_EQ(subscription->settled.size(), 2U);
  EXPECT_EQ(subscription->settled[0].message->settle.numbers[0],
            7U);  // the copy, acked on its channel
  EXPECT_EQ(subscription->settled[0].kind, SettleKind::ack);
  EXPECT_EQ(subscription->settled[1].message->settle.numbers[0], 1U);
  EXPECT_EQ(metrics.snapshot().deduplicated, 1U);
  EXPECT_TRUE(poll().empty());
}

TEST_F(ConsumerCopies, copy_goes_back_when_the_first_is_sent_back) {
  consumer->deliver(copy_of("b", 1));
  auto first = poll();
  consumer->deliver(copy_of("b", 2));
  EXPECT_TRUE(poll().empty());
  first.at(0).nack(250ms);
  ASSERT_EQ(subscription->settled.size(), 2U);
  EXPECT_EQ(subscription->settled[0].kind, SettleKind::redeliver);
  EXPECT_EQ(subscription->settled[0].delay, 250ms);
  // The id is no longer in hand: its next delivery is handed out.
  consumer->deliver(copy_of("b", 3));
  EXPECT_EQ(poll().size(), 1U);
}

TEST_F(ConsumerCopies, copy_is_handed_out_when_the_first_is_let_go_unsettled) {
  consumer->deliver(copy_of("c", 1));
  {
    auto first = poll();
    ASSERT_EQ(first.size(), 1U);
    consumer->deliver(copy_of("c", 2));
  }  // released without ack, nack or dead_letter
  auto again = poll();
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].message().id, "c");
}

TEST_F(ConsumerCopies, copies_in_one_batch_reach_the_application_once) {
  std::vector<std::shared_ptr<InboundMessage>> batch = {copy_of("e", 1), copy_of("e", 2)};
  consumer->deliver(batch);
  auto handed = poll();
  ASSERT_EQ(handed.size(), 1U) << "both copies were handed out";
  handed[0].ack();
  ASSERT_EQ(subscription->settled.size(), 2U);
  EXPECT_EQ(subscription->settled[0].message->settle.numbers[0], 2U);
}

TEST_F(ConsumerCopies, many_messages_let_go_unsettled_hold_nothing_back) {
  // Far more messages than the buffer holds, each released without being settled (their
  // records are swept as they pile up): a later copy of one is handed out, not held back.
  for (std::uint64_t i = 0; i < 1000; ++i) {
    consumer->deliver(copy_of("let-go-" + std::to_string(i), i));
    EXPECT_EQ(poll().size(), 1U);
  }
  consumer->deliver(copy_of("let-go-999", 5000));
  EXPECT_EQ(poll().size(), 1U);
}

TEST_F(ConsumerCopies, acked_id_drops_a_later_copy) {
  consumer->deliver(copy_of("d", 1));
  poll().at(0).ack();
  consumer->deliver(copy_of("d", 2));
  EXPECT_TRUE(poll().empty());
  EXPECT_EQ(subscription->settled.back().message->settle.numbers[0], 2U);
  EXPECT_EQ(subscription->settled.back().kind, SettleKind::ack);
}

TEST(ConsumerBackpressure, deliver_says_what_it_took_and_leaves_the_rest) {
  Metrics metrics;
  auto consumer = std::make_shared<ConsumerCore>(
      ConsumerCore::Options{.source = "q", .buffer_capacity = 2}, metrics, nullptr);
  consumer->attach(std::make_shared<RecordingSubscription>());
  std::vector<std::shared_ptr<InboundMessage>> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(std::make_shared<InboundMessage>());
    batch.back()->message.id = std::to_string(i);
  }
  EXPECT_EQ(consumer->deliver(batch), 2U);
  ASSERT_EQ(batch.size(), 3U) << "what did not fit is left to the transport";
  EXPECT_EQ(batch.front()->message.id, "2");
  std::vector<Delivery> out;
  consumer->poll(out, 8, 0ms);
  EXPECT_EQ(out.size(), 2U);
  EXPECT_EQ(consumer->deliver(batch), 2U) << "room again after a poll";
}

TEST(ConsumerCopiesWithoutWindow, every_copy_is_handed_out) {
  Metrics metrics;
  auto subscription = std::make_shared<RecordingSubscription>();
  auto consumer = std::make_shared<ConsumerCore>(
      ConsumerCore::Options{.source = "q", .buffer_capacity = 8}, metrics, nullptr);
  consumer->attach(subscription);
  for (std::uint64_t tag = 1; tag <= 2; ++tag) {
    auto message = std::make_shared<InboundMessage>();
    message->message.id = "same";
    message->settle.numbers[0] = tag;
    consumer->deliver(message);
  }
  std::vector<Delivery> out;
  consumer->poll(out, 8, 0ms);
  EXPECT_EQ(out.size(), 2U);
}

}  // namespace
}  // namespace postwire::client
