// The copies that settling by copy sends: what the dead-letter copy carries, and that a
// redelivery counts one delivery more.
#include <gtest/gtest.h>

#include "client/envelope_headers.hpp"
#include "client/republish.hpp"

namespace postwire::client {
namespace {

std::unique_ptr<InboundMessage> make_received() {
  auto message = std::make_unique<InboundMessage>();
  message->message.id = "order-42";
  message->message.body = "body";
  message->message.headers = {{"tenant", "acme"}, {std::string(dead_letter_reason_header), "old"}};
  message->source = "orders";
  message->delivery_count = 3;
  return message;
}

std::string header(const Message& message, std::string_view name) {
  std::string found;
  int count = 0;
  for (const auto& h : message.headers) {
    if (h.name == name) {
      found = std::string(h.value.begin(), h.value.end());
      ++count;
    }
  }
  EXPECT_LE(count, 1) << name << " appears " << count << " times";
  return found;
}

TEST(Republish, dead_letter_copy_carries_the_reason_and_where_it_came_from) {
  const auto copy = dead_letter_copy(*make_received(), "orders.dlq", "card declined");
  EXPECT_EQ(copy.destination, "orders.dlq");
  EXPECT_EQ(copy.message.id, "order-42");
  EXPECT_EQ(copy.message.body, "body");
  EXPECT_EQ(header(copy.message, "tenant"), "acme");
  EXPECT_EQ(header(copy.message, dead_letter_reason_header), "card declined");
  EXPECT_EQ(header(copy.message, original_destination_header), "orders");
  EXPECT_EQ(copy.delivery_attempt, 3U);
}

TEST(Republish, redelivery_copy_counts_one_delivery_more) {
  const auto copy = redelivery_copy(*make_received(), "pw.delay.orders.250");
  EXPECT_EQ(copy.destination, "pw.delay.orders.250");
  EXPECT_EQ(copy.message.id, "order-42");
  EXPECT_EQ(copy.delivery_attempt, 4U);
}

}  // namespace
}  // namespace postwire::client
