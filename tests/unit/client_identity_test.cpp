// What the client layer carries from a transport to the application unchanged: positions of
// received and confirmed messages, the consumer each message belongs to, assignment events.
#include "client_layer_fixture.hpp"

namespace postwire::client {
namespace {

std::shared_ptr<InboundMessage> inbound(const std::shared_ptr<ConsumerCore>& consumer,
                                        std::string id, Position position = {}) {
  auto message = std::make_shared<InboundMessage>();
  message->message.id = std::move(id);
  message->source = consumer->source();
  message->position = std::move(position);
  message->consumer = consumer;
  return message;
}

TEST_F(ClientLayer, a_report_says_where_the_broker_stored_the_message) {
  connect({});
  send("m", 1);
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  const auto stored_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1234));
  fake_->confirm_next_at(Position{.partition = 3,
                                  .offset = 42,
                                  .broker_timestamp = stored_at,
                                  .broker_message_id = "mid-1",
                                  .sequence_number = "18446744073709551616"});
  const auto report = next_report();
  ASSERT_TRUE(report.error.is_ok()) << report.error.to_string();
  EXPECT_EQ(report.position.partition, 3);
  EXPECT_EQ(report.position.offset, 42);
  EXPECT_EQ(report.position.broker_timestamp, stored_at);
  EXPECT_EQ(report.position.broker_message_id, "mid-1");
  EXPECT_EQ(report.position.sequence_number, "18446744073709551616");
}

TEST_F(ClientLayer, a_report_without_a_position_has_none) {
  connect({});
  send("m", 1);
  ASSERT_TRUE(fake_->wait_written(1, kWait));
  fake_->confirm_next();
  const auto report = next_report();
  EXPECT_FALSE(report.position.partition.has_value());
  EXPECT_FALSE(report.position.offset.has_value());
  EXPECT_TRUE(report.position.broker_message_id.empty());
}

TEST_F(ClientLayer, each_consumer_gets_an_id_its_messages_carry) {
  connect({});
  auto first = core_->subscribe("q", {});
  auto second = core_->subscribe("q", {});
  ASSERT_NE(first->id(), second->id()) << "two consumers of one source share an id";
  EXPECT_NE(first->id(), 0U);
  first->deliver(inbound(first, "a", Position{.partition = 1, .offset = 7}));
  second->deliver(inbound(second, "b"));
  std::vector<Delivery> out;
  ASSERT_EQ(first->poll(out, 8, kWait), 1U);
  EXPECT_EQ(out[0].consumer_id(), first->id());
  EXPECT_EQ(out[0].position().partition, 1);
  EXPECT_EQ(out[0].position().offset, 7);
  out.clear();
  ASSERT_EQ(second->poll(out, 8, kWait), 1U);
  EXPECT_EQ(out[0].consumer_id(), second->id());
  EXPECT_FALSE(out[0].position().offset.has_value());
}

TEST_F(ClientLayer, messages_delivered_as_events_carry_their_consumer) {
  connect({});
  auto first = core_->subscribe("q", SubscribeOptions{.deliver_as_events = true});
  auto second = core_->subscribe("q", SubscribeOptions{.deliver_as_events = true});
  second->deliver(inbound(second, "for-second"));
  first->deliver(inbound(first, "for-first"));
  std::vector<Event> events;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  std::vector<std::pair<std::string, std::uint64_t>> seen;
  while (seen.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    events.clear();
    core_->poll(events, 8, 100ms);
    for (const auto& event : events) {
      if (const auto* delivery = std::get_if<Delivery>(&event)) {
        seen.emplace_back(delivery->message().id, delivery->consumer_id());
      }
    }
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::uint64_t>>{{"for-second", second->id()},
                                                                      {"for-first", first->id()}}));
}

TEST_F(ClientLayer, subscribe_settings_reach_the_fields_they_name) {
  connect({});
  auto consumer = core_->subscribe(
      "q", SubscribeOptions{.settings = {{"prefetch", "7"}, {"deliver_as_events", "true"}}});
  // deliver_as_events given by name took effect: polling the consumer is refused.
  std::vector<Delivery> out;
  try {
    consumer->poll(out, 1, 0ms);
    FAIL() << "deliver_as_events given as a setting was ignored";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
  }
  try {
    (void)core_->subscribe("q", SubscribeOptions{.settings = {{"prefetch", "none"}}});
    FAIL() << "a bad prefetch was taken";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_NE(std::string(e.what()).find("'prefetch'"), std::string::npos) << e.what();
  }
}

TEST_F(ClientLayer, assignment_events_reach_the_application) {
  connect({});
  auto consumer = core_->subscribe("orders", {});
  core_->emit(AssignmentEvent{
      .consumer_id = consumer->id(), .source = "orders", .assigned = false, .partitions = {0, 2}});
  std::vector<Event> events;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    events.clear();
    core_->poll(events, 8, 100ms);
    for (const auto& event : events) {
      if (const auto* assignment = std::get_if<AssignmentEvent>(&event)) {
        EXPECT_EQ(assignment->consumer_id, consumer->id());
        EXPECT_FALSE(assignment->assigned);
        EXPECT_EQ(assignment->partitions, (std::vector<std::int32_t>{0, 2}));
        return;
      }
    }
  }
  FAIL() << "no assignment event";
}

}  // namespace
}  // namespace postwire::client
