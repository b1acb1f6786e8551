// send_nowait() on the fake transport: a send that finds the buffer full waits in the client's
// line, in order, for room or max.block.ms, and never blocks its caller.
#include "client_layer_fixture.hpp"

namespace postwire::client {
namespace {

std::string send_nowait(ClientCore& core, std::string body, std::uint64_t token) {
  return core.send_nowait("q", Message{.body = std::move(body)}, token);
}

TEST_F(ClientLayer, waiting_sends_go_out_in_order_as_room_comes) {
  connect({{"queue.buffering.max.messages", "2"}, {"max.block.ms", "60000"}});
  for (std::uint64_t token = 1; token <= 4; ++token) {
    send_nowait(*core_, "m" + std::to_string(token), token);  // returns at once
  }
  ASSERT_TRUE(fake_->wait_written(2, kWait));
  EXPECT_FALSE(fake_->wait_written(3, 50ms)) << "a waiting send was written without room";
  EXPECT_EQ(core_->in_flight(), 4U) << "waiting sends count as in flight";
  EXPECT_EQ(core_->stats().waiting_sends, 2);
  // Each confirm makes room for the next in line (its report, once polled, too).
  for (std::uint64_t token = 1; token <= 4; ++token) {
    ASSERT_TRUE(fake_->wait_written(1, kWait)) << "nothing written for token " << token;
    EXPECT_EQ(fake_->oldest_written().first, "m" + std::to_string(token));
    fake_->confirm_next();
    const auto report = next_report();
    EXPECT_EQ(report.token, token);
    EXPECT_TRUE(report.error.is_ok()) << report.error.to_string();
  }
}

TEST_F(ClientLayer, a_send_waiting_past_max_block_fails_in_its_report) {
  connect({{"queue.buffering.max.messages", "1"}, {"max.block.ms", "20"}});
  send_nowait(*core_, "holds the room", 1);
  const std::string id = send_nowait(*core_, "waits", 2);
  const auto report = next_report();
  EXPECT_EQ(report.token, 2U);
  EXPECT_EQ(report.id, id);
  EXPECT_EQ(report.error.code(), ErrorCode::queue_full) << report.error.to_string();
  EXPECT_NE(report.error.message().find("max.block.ms=20"), std::string::npos)
      << report.error.to_string();
  // The one that had room is untouched and still confirms.
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  fake_->confirm_next();
  EXPECT_TRUE(next_report().error.is_ok());
}

TEST_F(ClientLayer, a_full_line_refuses_at_once_and_keeps_the_message) {
  connect({{"queue.buffering.max.messages", "1"},
           {"queue.waiting.max.messages", "1"},
           {"max.block.ms", "60000"}});
  send_nowait(*core_, "holds the room", 1);
  send_nowait(*core_, "waits", 2);  // the line holds one
  Message third{.body = "refused", .key = "k"};
  try {
    core_->send_nowait("q", std::move(third), 3);
    FAIL() << "a full line took another send";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::queue_full) << e.what();
  }
  EXPECT_EQ(third.body, "refused") << "the refused message was moved from";  // NOLINT
  EXPECT_EQ(third.key, "k");                                                 // NOLINT
}

TEST_F(ClientLayer, with_max_block_zero_a_full_buffer_refuses_at_once) {
  connect({{"queue.buffering.max.messages", "1"}, {"max.block.ms", "0"}});
  send_nowait(*core_, "holds the room", 1);
  Message second{.body = "refused"};
  try {
    core_->send_nowait("q", std::move(second), 2);
    FAIL() << "a send waited although max.block.ms is 0";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::queue_full) << e.what();
    EXPECT_NE(std::string(e.what()).find("max.block.ms=0"), std::string::npos) << e.what();
  }
  EXPECT_EQ(second.body, "refused");  // NOLINT(bugprone-use-after-move): refused, so kept
}

TEST_F(ClientLayer, closing_fails_the_waiting_sends) {
  connect({{"queue.buffering.max.messages", "1"}, {"max.block.ms", "60000"}});
  send_nowait(*core_, "holds the room", 1);
  send_nowait(*core_, "waits", 2);
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  core_->close(0ms);
  std::vector<Event> events;
  core_->poll(events, 16, 0ms);
  std::vector<std::uint64_t> failed;
  for (const auto& event : events) {
    if (const auto* report = std::get_if<DeliveryReport>(&event)) {
      EXPECT_EQ(report->error.code(), ErrorCode::closed) << report->error.to_string();
      failed.push_back(report->token);
    }
  }
  std::ranges::sort(failed);
  EXPECT_EQ(failed, (std::vector<std::uint64_t>{1, 2})) << "each send gets one report";
}

}  // namespace
}  // namespace postwire::client
