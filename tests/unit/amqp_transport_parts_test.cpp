// The AMQP transport's pieces that need no broker: settlements as methods, the topology
// registry, reply-code mapping and the Message <-> AMQP content mapping.
#include <gtest/gtest.h>

#include <vector>

#include "transport/amqp/amqp_subscription.hpp"
#include "transport/amqp/message_mapping.hpp"
#include "transport/amqp/reply_codes.hpp"
#include "transport/amqp/topology_registry.hpp"

namespace postwire::amqp {
namespace {

TEST(SettlementMethod, RunsAreMultipleAcksAndRequeuesAreNacks) {
  using Kind = client::AckWindow::Settled::Kind;
  const Method run = settlement_method({.kind = Kind::through, .position = 3});
  ASSERT_TRUE(std::holds_alternative<BasicAck>(run));
  EXPECT_EQ(std::get<BasicAck>(run).delivery_tag, 3U);
  EXPECT_TRUE(std::get<BasicAck>(run).multiple);
  const Method one = settlement_method({.kind = Kind::one, .position = 5});
  ASSERT_TRUE(std::holds_alternative<BasicAck>(one));
  EXPECT_FALSE(std::get<BasicAck>(one).multiple);
  const Method back = settlement_method({.kind = Kind::requeue, .position = 7});
  ASSERT_TRUE(std::holds_alternative<BasicNack>(back));
  EXPECT_EQ(std::get<BasicNack>(back).delivery_tag, 7U);
  EXPECT_FALSE(std::get<BasicNack>(back).multiple);
  EXPECT_TRUE(std::get<BasicNack>(back).requeue);
}

TEST(TopologyRegistry, KeepsDeclarationOrderAndForgetsDeletedThings) {
  TopologyRegistry registry;
  registry.add(ExchangeSpec{.name = "orders", .type = ExchangeType::topic});
  registry.add(QueueSpec{.name = "billing"});
  registry.add(BindingSpec{.exchange = "orders", .destination = "billing", .routing_key = "#"});
  registry.add(QueueSpec{.name = ""});                           // server-named: not recorded
  registry.add(QueueSpec{.name = "billing", .durable = false});  // re-declared: replaced
  ASSERT_EQ(registry.items().size(), 3U);
  EXPECT_TRUE(std::holds_alternative<ExchangeSpec>(registry.items()[0]));
  EXPECT_TRUE(std::holds_alternative<BindingSpec>(registry.items()[1]));
  EXPECT_FALSE(std::get<QueueSpec>(registry.items()[2]).durable);

  registry.remove_queue("billing");  // takes its binding along
  ASSERT_EQ(registry.items().size(), 1U);
  registry.add(BindingSpec{.exchange = "orders", .destination = "audit", .routing_key = "a"});
  registry.remove_binding(
      BindingSpec{.exchange = "orders", .destination = "audit", .routing_key = "b"});
  EXPECT_EQ(registry.items().size(), 2U) << "a different routing key is another binding";
  registry.remove_exchange("orders");
  EXPECT_TRUE(registry.items().empty());
}

TEST(ReplyCodes, MapToPostwireCodesAndFatality) {
  const Error refused = error_from_close(CloseScope::connection, 403,
                                         "ACCESS_REFUSED - Login was refused", 0, 0, true);
  EXPECT_EQ(refused.code(), ErrorCode::authentication_failed);
  EXPECT_TRUE(refused.fatal());
  EXPECT_FALSE(refused.retriable());
  EXPECT_NE(refused.message().find("Login was refused"), std::string::npos);

  const Error vhost = error_from_close(CloseScope::connection, 530,
                                       "NOT_ALLOWED - vhost nope not found", 10, 40, true);
  EXPECT_EQ(vhost.code(), ErrorCode::not_found);
  EXPECT_TRUE(vhost.fatal());

  const Error exchange = error_from_close(
      CloseScope::channel, 404, "NOT_FOUND - no exchange 'x' in vhost '/'", 60, 40, false);
  EXPECT_EQ(exchange.code(), ErrorCode::not_found);
  EXPECT_FALSE(exchange.fatal());
  EXPECT_NE(exchange.message().find("class 60 method 40"), std::string::npos);

  EXPECT_EQ(error_from_close(CloseScope::channel, 406,
                             "PRECONDITION_FAILED - message size 2000 is larger than configured "
                             "max size 1000",
                             60, 40, false)
                .code(),
            ErrorCode::message_too_large);
  EXPECT_EQ(error_from_close(CloseScope::channel, 406, "PRECONDITION_FAILED - inequivalent arg", 50,
                             10, false)
                .code(),
            ErrorCode::precondition_failed);
  const Error forced =
      error_from_close(CloseScope::connection, 320, "CONNECTION_FORCED - shutdown", 0, 0, false);
  EXPECT_EQ(forced.code(), ErrorCode::connection_closed);
  EXPECT_TRUE(forced.retriable());
}

TEST(MessageMapping, RoundTripsEveryField) {
  Message message;
  message.body = std::string("\0binary\xff", 8);
  message.key = "customer-7";
  message.headers = {{"trace", "abc"}, {"empty", ""}};
  message.id = "0190b0b0-0000-7000-8000-000000000001";
  message.content_type = "application/json";
  message.priority = 5;
  message.ttl = std::chrono::milliseconds(1500);
  message.timestamp = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  message.persistent = false;

  BasicProperties properties = to_properties(message, true, 3);
  EXPECT_EQ(properties.content_encoding, "zstd");
  EXPECT_EQ(properties.delivery_mode, 1);
  EXPECT_EQ(properties.expiration, "1500");
  ASSERT_TRUE(properties.headers);
  EXPECT_NE(properties.headers->find("pw-key"), nullptr);
  EXPECT_NE(properties.headers->find("pw-attempt"), nullptr);

  auto received = from_content(properties, message.body, "the-queue", true);
  EXPECT_TRUE(received.compressed);
  EXPECT_EQ(received.facts.attempt_header, 3);
  EXPECT_TRUE(received.facts.redelivered);
  const Message& back = received.message;
  EXPECT_EQ(back.body, message.body);
  EXPECT_EQ(back.key, "customer-7") << "pw-key wins over the routing key";
  ASSERT_EQ(back.headers.size(), 2U) << "pw-key and pw-attempt are envelope, not headers";
  EXPECT_EQ(back.headers[0].name, "trace");
  EXPECT_EQ(back.headers[0].value, "abc");
  EXPECT_EQ(back.id, message.id);
  EXPECT_EQ(back.content_type, message.content_type);
  EXPECT_EQ(back.priority, 5);
  EXPECT_EQ(back.ttl, message.ttl);
  EXPECT_EQ(back.timestamp, message.timestamp);
  EXPECT_FALSE(back.persistent);
}

TEST(MessageMapping, DestinationNamesAnExchangeOrAQueue) {
  EXPECT_EQ(exchange_of("exchange/orders"), "orders");
  EXPECT_EQ(exchange_of("exchange/"), "");  // the default exchange, named explicitly
  EXPECT_EQ(exchange_of("orders"), std::nullopt);
  EXPECT_EQ(exchange_of("exchanges/orders"), std::nullopt);
}

TEST(MessageMapping, OtherClientsTypedHeadersBecomeText) {
  BasicProperties properties;
  FieldTable headers;
  headers.set("count", FieldValue(std::int32_t{-42}));
  headers.set("flag", FieldValue(true));
  headers.set("raw", FieldValue(ByteArray{"\x01\x02"}));
  headers.set("x-delivery-count", FieldValue(std::int64_t{2}));
  FieldTable nested;
  nested.set("a", FieldValue("b"));
  headers.set("x-death-like", FieldValue(std::move(nested)));
  properties.headers = std::move(headers);
  auto received = from_content(properties, "body", "routing", false);
  EXPECT_EQ(received.message.key, "routing");
  EXPECT_EQ(received.facts.broker_delivery_count, 2);
  const auto& message = received.message;
  ASSERT_NE(message.header("count"), nullptr);
  EXPECT_EQ(*message.header("count"), "-42");
  EXPECT_EQ(*message.header("flag"), "true");
  EXPECT_EQ(*message.header("raw"), "\x01\x02");
  EXPECT_EQ(message.header("x-death-like"), nullptr) << "nested tables are left out";
  EXPECT_TRUE(message.persistent == false) << "no delivery mode means transient";
}

TEST(MessageMapping, QueueArgumentsUseRabbitMqNames) {
  QueueSpec spec;
  spec.name = "q";
  spec.dead_letter_exchange = "dlx";
  spec.message_ttl = std::chrono::milliseconds(60'000);
  spec.max_length = 10;
  spec.overflow = Overflow::reject_publish;
  spec.max_priority = 9;
  spec.type = QueueType::quorum;
  spec.delivery_limit = 4;
  spec.single_active_consumer = true;
  const FieldTable arguments = queue_arguments(spec);
  EXPECT_EQ(*as_string(*arguments.find("x-dead-letter-exchange")), "dlx");
  EXPECT_EQ(as_integer(*arguments.find("x-message-ttl")), 60'000);
  EXPECT_EQ(as_integer(*arguments.find("x-max-length")), 10);
  EXPECT_EQ(*as_string(*arguments.find("x-overflow")), "reject-publish");
  EXPECT_EQ(as_integer(*arguments.find("x-max-priority")), 9);
  EXPECT_EQ(*as_string(*arguments.find("x-queue-type")), "quorum");
  EXPECT_EQ(as_integer(*arguments.find("x-delivery-limit")), 4);
  EXPECT_NE(arguments.find("x-single-active-consumer"), nullptr);
  EXPECT_EQ(arguments.find("x-expires"), nullptr);
}

}  // namespace
}  // namespace postwire::amqp
