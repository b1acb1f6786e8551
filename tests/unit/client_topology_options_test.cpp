// Topology specs from string options, as the C ABI and the bindings pass them.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "client/topology_options.hpp"
#include "postwire/error.hpp"

namespace postwire::client {
namespace {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

ErrorCode code_of(auto&& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const Exception& e) {
    if (message != nullptr) {
      *message = e.what();
    }
    return e.code();
  }
  return ErrorCode::ok;
}

TEST(TopologyOptions, queue_options_fill_every_field) {
  const Pairs options = {{"durable", "false"},
                         {"exclusive", "true"},
                         {"auto_delete", "1"},
                         {"type", "quorum"},
                         {"dead_letter_exchange", "dlx"},
                         {"dead_letter_routing_key", "dead"},
                         {"message_ttl_ms", "60000"},
                         {"expires_ms", "120000"},
                         {"max_length", "1000"},
                         {"max_length_bytes", "1048576"},
                         {"overflow", "reject-publish"},
                         {"max_priority", "9"},
                         {"delivery_limit", "5"},
                         {"single_active_consumer", "true"}};
  const QueueSpec spec = queue_spec_from("orders", options);
  EXPECT_EQ(spec.name, "orders");
  EXPECT_FALSE(spec.durable);
  EXPECT_TRUE(spec.exclusive);
  EXPECT_TRUE(spec.auto_delete);
  EXPECT_EQ(spec.type, QueueType::quorum);
  EXPECT_EQ(spec.dead_letter_exchange, "dlx");
  EXPECT_EQ(spec.dead_letter_routing_key, "dead");
  EXPECT_EQ(spec.message_ttl, std::chrono::milliseconds(60000));
  EXPECT_EQ(spec.expires, std::chrono::milliseconds(120000));
  EXPECT_EQ(spec.max_length, 1000);
  EXPECT_EQ(spec.max_length_bytes, 1048576);
  EXPECT_EQ(spec.overflow, Overflow::reject_publish);
  EXPECT_EQ(spec.max_priority, 9);
  EXPECT_EQ(spec.delivery_limit, 5);
  EXPECT_TRUE(spec.single_active_consumer);
}

TEST(TopologyOptions, no_options_give_the_spec_defaults) {
  const QueueSpec spec = queue_spec_from("q", {});
  const QueueSpec defaults;
  EXPECT_EQ(spec.durable, defaults.durable);
  EXPECT_FALSE(spec.max_length.has_value());
  EXPECT_FALSE(spec.overflow.has_value());
}

TEST(TopologyOptions, unknown_keys_and_bad_values_name_the_key) {
  std::string message;
  EXPECT_EQ(code_of(
                [] {
                  // A name that is none of the spec's is the broker's to know; RabbitMQ knows
                  // no others.
                  refuse_queue_settings(queue_spec_from("q", Pairs{{"durabel", "true"}}), "");
                },
                &message),
            ErrorCode::invalid_argument);
  EXPECT_NE(message.find("'durabel'"), std::string::npos) << message;
  EXPECT_NE(message.find("durable"), std::string::npos) << message;

  EXPECT_EQ(code_of(
                [] {
                  (void)queue_spec_from("q", Pairs{{"max_priority", "256"}});
                },
                &message),
            ErrorCode::invalid_argument);
  EXPECT_NE(message.find("'max_priority'"), std::string::npos) << message;
  EXPECT_NE(message.find("0 to 255"), std::string::npos) << message;

  EXPECT_EQ(code_of(
                [] {
                  (void)queue_spec_from("q", Pairs{{"durable", "yes"}});
                },
                &message),
            ErrorCode::invalid_argument);
  EXPECT_NE(message.find("true or false"), std::string::npos) << message;

  EXPECT_EQ(code_of([] {
              (void)queue_spec_from("q", Pairs{{"max_length", "12x"}});
            }),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([] {
              (void)queue_spec_from("q", Pairs{{"max_length", ""}});
            }),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(
                [] {
                  (void)queue_spec_from("q", Pairs{{"type", "stream"}});
                },
                &message),
            ErrorCode::invalid_argument);
  EXPECT_NE(message.find("classic, quorum"), std::string::npos) << message;
}

TEST(TopologyOptions, exchange_binding_and_delete_options) {
  const ExchangeSpec exchange = exchange_spec_from(
      "events", Pairs{{"type", "headers"}, {"durable", "false"}, {"internal", "true"}});
  EXPECT_EQ(exchange.type, ExchangeType::headers);
  EXPECT_FALSE(exchange.durable);
  EXPECT_TRUE(exchange.internal);

  const BindingSpec binding = binding_spec_from("events", "audit",
                                                Pairs{{"routing_key", "order.*"},
                                                      {"match", "any"},
                                                      {"header.region", "eu"},
                                                      {"header.tier", "gold"},
                                                      {"destination_is_exchange", "true"}});
  EXPECT_EQ(binding.exchange, "events");
  EXPECT_EQ(binding.destination, "audit");
  EXPECT_EQ(binding.routing_key, "order.*");
  EXPECT_FALSE(binding.match_all);
  EXPECT_TRUE(binding.destination_is_exchange);
  ASSERT_EQ(binding.match_headers.size(), 2U);
  EXPECT_EQ(binding.match_headers[0].name, "region");
  EXPECT_EQ(binding.match_headers[1].value, "gold");
  EXPECT_EQ(code_of([] {
              (void)binding_spec_from("e", "q", Pairs{{"header.", "x"}});
            }),
            ErrorCode::invalid_argument);

  const DeleteQueueOptions del =
      delete_queue_options_from(Pairs{{"if_unused", "true"}, {"if_empty", "false"}});
  EXPECT_TRUE(del.if_unused);
  EXPECT_FALSE(del.if_empty);
  EXPECT_EQ(code_of([] {
              (void)delete_queue_options_from(Pairs{{"force", "true"}});
            }),
            ErrorCode::invalid_argument);

  EXPECT_TRUE(delete_exchange_if_unused_from(Pairs{{"if_unused", "true"}}));
  EXPECT_FALSE(delete_exchange_if_unused_from({}));
  EXPECT_EQ(code_of([] {
              (void)delete_exchange_if_unused_from(Pairs{{"if_empty", "true"}});
            }),
            ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace postwire::client
