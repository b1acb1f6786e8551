// The client layer's send semantics on a fake transport, no broker: the send pipeline (retries
// with backoff, the retry budget, expiry after delivery.timeout.ms, writing again what a lost
// link had written), the bounded send buffer, compression, and dedup of deliveries — what
// every transport gets from core/src/client.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "client_layer_fixture.hpp"

namespace postwire::client {
namespace {

using namespace std::chrono_literals;
using testing::FakeTransport;

const Error kRefused(ErrorCode::broker_nacked, "the broker could not store it");

TEST_F(ClientLayer, refused_message_is_retried_then_confirmed) {
  connect({{"retry.backoff.ms", "1"}, {"retry.backoff.max.ms", "5"}});
  send("m", 7);
  for (int refusal = 0; refusal < 2; ++refusal) {
    ASSERT_TRUE(fake_->wait_written(1, kWait));
    fake_->refuse_next(kRefused);
  }
  ASSERT_TRUE(fake_->wait_written(1, kWait)) << "not retried";
  fake_->confirm_next();
  const auto report = next_report();
  EXPECT_TRUE(report.error.is_ok()) << report.error.to_string();
  EXPECT_EQ(report.token, 7U);
  EXPECT_EQ(report.attempts, 3U);
}

TEST_F(ClientLayer, retry_budget_stops_retries) {
  connect({{"retry.budget.capacity", "10"},
           {"retry.budget.retry.cost", "5"},
           {"retry.backoff.ms", "1"},
           {"retry.backoff.max.ms", "5"}});
  send("m", 1);
  for (int refusal = 0; refusal < 3; ++refusal) {
    ASSERT_TRUE(fake_->wait_written(1, kWait)) << "attempt " << refusal + 1;
    fake_->refuse_next(kRefused);
  }
  const auto report = next_report();
  EXPECT_EQ(report.error.code(), ErrorCode::retry_budget_exhausted) << report.error.to_string();
  EXPECT_EQ(report.attempts, 3U);
}

TEST_F(ClientLayer, confirmed_retry_refunds_the_budget) {
  // One retry's worth of tokens: it is spent, refunded by the confirm, and spent again.
  connect({{"retry.budget.capacity", "5"},
           {"retry.budget.retry.cost", "5"},
           {"retry.backoff.ms", "1"},
           {"retry.backoff.max.ms", "5"}});
  for (std::uint64_t token = 1; token <= 2; ++token) {
    send("m", token);
    ASSERT_TRUE(fake_->wait_written(1, kWait));
    fake_->refuse_next(kRefused);
    ASSERT_TRUE(fake_->wait_written(1, kWait)) << "message " << token << " not retried";
    fake_->confirm_next();
    const auto report = next_report();
    EXPECT_TRUE(report.error.is_ok()) << report.error.to_string();
    EXPECT_EQ(report.attempts, 2U);
  }
}

TEST_F(ClientLayer, answers_out_of_order_free_their_room_and_report_each_message_once) {
  connect({});
  const std::size_t window = FakeTransport::max_in_flight;
  for (std::uint64_t token = 1; token <= window + 1; ++token) {
    send("m" + std::to_string(token), token);
  }
  ASSERT_TRUE(fake_->wait_written(window, kWait));
  EXPECT_FALSE(fake_->wait_written(window + 1, 100ms)) << "the window was overrun";
  // The newest is answered first: its room goes to the one waiting.
  fake_->confirm_newest();
  EXPECT_EQ(next_report().token, window);
  ASSERT_TRUE(fake_->wait_written(window, kWait)) << "the room was not handed on";
  std::set<std::uint64_t> reported{window};
  for (std::size_t i = 0; i < window; ++i) {
    fake_->confirm_next();
    const auto report = next_report();
    EXPECT_TRUE(report.error.is_ok()) << report.error.to_string();
    EXPECT_TRUE(reported.insert(report.token).second) << "reported twice: " << report.token;
  }
  EXPECT_EQ(reported.size(), window + 1);
}

TEST_F(ClientLayer, a_message_the_transport_gives_up_on_fails_without_a_retry) {
  connect({{"retry.backoff.ms", "1"}});
  send("m", 5);
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  fake_->fail_next(Error(ErrorCode::message_too_large, "the broker refused the batch"));
  const auto report = next_report();
  EXPECT_EQ(report.error.code(), ErrorCode::message_too_large);
  EXPECT_EQ(report.attempts, 1U);
  EXPECT_FALSE(fake_->wait_written(1, 100ms)) << "written again";
}

TEST_F(ClientLayer, what_a_lost_link_wrote_is_written_again_in_order) {
  connect({});
  for (std::uint64_t token = 1; token <= 3; ++token) {
    send("m" + std::to_string(token), token);
  }
  ASSERT_TRUE(fake_->wait_written(3, kWait));
  fake_->lose_link();
  ASSERT_TRUE(fake_->wait_written(3, kWait)) << "not written again";
  for (std::uint64_t token = 1; token <= 3; ++token) {
    EXPECT_EQ(fake_->oldest_written().first, "m" + std::to_string(token));
    fake_->confirm_next();
    const auto report = next_report();
    EXPECT_EQ(report.token, token);
    EXPECT_EQ(report.attempts, 2U);
  }
}

TEST_F(ClientLayer, message_expires_after_the_delivery_timeout) {
  connect(
      {{"delivery.timeout.ms", "100"}, {"retry.backoff.ms", "20"}, {"retry.backoff.max.ms", "20"}});
  send("m", 1);
  std::vector<Event> events;
  DeliveryReport report;
  bool reported = false;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!reported && std::chrono::steady_clock::now() < deadline) {
    if (fake_->wait_written(1, 50ms)) {
      fake_->refuse_next(kRefused);
    }
    events.clear();
    core_->poll(events, 1, 0ms);
    for (auto& event : events) {
      if (auto* found = std::get_if<DeliveryReport>(&event)) {
        report = std::move(*found);
        reported = true;
      }
    }
  }
  ASSERT_TRUE(reported);
  // Two outcomes are right, depending on where the deadline finds the message: a refusal
  // whose retry would come too late fails with that refusal ("spent"); a retry waiting to be
  // written when the deadline passes fails with delivery_timeout.
  const bool gave_up_on_refusal =
      report.error.code() == ErrorCode::broker_nacked &&
      report.error.message().find("delivery.timeout.ms spent") != std::string::npos;
  const bool expired_waiting = report.error.code() == ErrorCode::delivery_timeout;
  EXPECT_TRUE(gave_up_on_refusal || expired_waiting) << report.error.to_string();
  EXPECT_GT(report.attempts, 1U);
}

TEST_F(ClientLayer, full_send_buffer_blocks_then_refuses) {
  connect({{"queue.buffering.max.messages", "2"}, {"max.block.ms", "100"}});
  send("a", 1);
  send("b", 2);
  try {
    send("c", 3);
    FAIL() << "a third message fitted in a buffer of two";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::queue_full) << e.what();
    EXPECT_NE(std::string(e.what()).find("max.block.ms=100"), std::string::npos) << e.what();
  }
  // A confirm makes room.
  ASSERT_TRUE(fake_->wait_written(2, kWait));
  fake_->confirm_next();
  EXPECT_TRUE(next_report().error.is_ok());
  send("c", 3);
}

TEST_F(ClientLayer, duplicate_deliveries_are_handed_out_once) {
  connect({{"dedup.window.size", "16"}});
  auto consumer = core_->subscribe("q", {});
  auto subscription = fake_->subscription(0);
  const auto delivery = [&](std::uint64_t tag) {
    auto message = std::make_shared<InboundMessage>();
    message->message.id = "same-id";
    message->source = "q";
    message->settle.numbers[0] = tag;
    message->consumer = consumer;
    return message;
  };
  consumer->deliver(delivery(1));
  std::vector<Delivery> out;
  ASSERT_EQ(consumer->poll(out, 8, kWait), 1U);
  out.front().ack();
  consumer->deliver(delivery(2));
  out.clear();
  EXPECT_EQ(consumer->poll(out, 8, 50ms), 0U) << "the copy was handed out";
  std::lock_guard lock(subscription->mutex);
  ASSERT_EQ(subscription->settled.size(), 2U);
  EXPECT_EQ(subscription->settled[1].message->settle.numbers[0], 2U) << "the copy is acked";
}

TEST_F(ClientLayer, bodies_are_compressed_only_where_the_transport_leaves_it_to_the_client) {
  const std::string compressible(64 * 1024, 'a');  // above compression.threshold.bytes
  connect({{"compression.codec", "zstd"}});
  send(compressible, 1);
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  const auto [envelope_body, enveloped] = fake_->oldest_written();
  EXPECT_TRUE(enveloped);
  EXPECT_LT(envelope_body.size(), compressible.size());
  core_->close(0ms);

  connect({{"compression.codec", "zstd"}}, Transport::Compression::per_batch);
  send(compressible, 2);
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  const auto [batch_body, batch_flag] = fake_->oldest_written();
  EXPECT_FALSE(batch_flag) << "the transport compresses its batches itself";
  EXPECT_EQ(batch_body, compressible);
}

}  // namespace
}  // namespace postwire::client
