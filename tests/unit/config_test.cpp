#include "postwire/config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace postwire {
namespace {

TEST(OptionTable, IsSortedDocumentedAndHasValidDefaults) {
  std::string_view previous;
  for (const auto& spec : option_specs()) {
    EXPECT_LT(previous, spec.key);
    previous = spec.key;
    EXPECT_FALSE(spec.doc.empty()) << spec.key;
    Config config;
    // Every default must pass its own validation.
    EXPECT_FALSE(config.set(spec.key, spec.default_value)) << spec.key;
  }
}

TEST(Config, ReadsDefaultsWhenUnset) {
  const Config config;
  EXPECT_EQ(config.get_duration("retry.backoff.ms"), std::chrono::milliseconds(100));
  EXPECT_EQ(config.get_int("retry.budget.capacity"), 500);
  EXPECT_TRUE(config.get_bool("tls.verify.peer"));
  EXPECT_EQ(config.get_string("log.level"), "info");
  EXPECT_EQ(config.get_string("tls.ca.location"), "");
  EXPECT_FALSE(config.is_set("retry.backoff.ms"));
}

TEST(Config, StoresValidatedValues) {
  Config config;
  EXPECT_FALSE(config.set("retry.backoff.ms", "250"));
  EXPECT_FALSE(config.set("tls.verify.peer", "FALSE"));
  EXPECT_FALSE(config.set("log.level", "Debug"));
  EXPECT_FALSE(config.set("client.id", "orders"));
  EXPECT_EQ(config.get_duration("retry.backoff.ms"), std::chrono::milliseconds(250));
  EXPECT_FALSE(config.get_bool("tls.verify.peer"));
  EXPECT_EQ(config.get_string("log.level"), "debug");
  EXPECT_EQ(config.get_string("client.id"), "orders");
  EXPECT_TRUE(config.is_set("retry.backoff.ms"));
}

TEST(Config, UnknownKeyIsAnErrorNamingItWithASuggestion) {
  Config config;
  const Error error = config.set("retry.backof.ms", "5");
  EXPECT_EQ(error.code(), ErrorCode::config_unknown_key);
  EXPECT_EQ(error.message(),
            "unknown configuration key 'retry.backof.ms' (did you mean 'retry.backoff.ms'?)");
  const Error far = config.set("colour", "blue");
  EXPECT_EQ(far.message(), "unknown configuration key 'colour'");
}

TEST(Config, NearMissesOfEveryKindGetASuggestion) {
  Config config;
  const auto suggestion = [&](const char* key) {
    const Error error = config.set(key, "s3cret-value");
    EXPECT_EQ(error.code(), ErrorCode::config_unknown_key) << key;
    // The key is named, the value never (it may be a password).
    EXPECT_NE(error.message().find(std::string("'") + key + "'"), std::string::npos) << key;
    EXPECT_EQ(error.message().find("s3cret"), std::string::npos) << error.message();
    const auto start = error.message().find("did you mean '");
    if (start == std::string::npos) {
      return std::string();
    }
    const auto from = start + std::string_view("did you mean '").size();
    return error.message().substr(from, error.message().find('\'', from) - from);
  };
  EXPECT_EQ(suggestion("max_deliveries"), "max.deliveries");  // another separator
  EXPECT_EQ(suggestion("max-deliveries"), "max.deliveries");
  EXPECT_EQ(suggestion("Max.Deliveries"), "max.deliveries");  // another case
  EXPECT_EQ(suggestion("max.delivery"), "max.deliveries");    // the singular
  EXPECT_EQ(suggestion("max.delivereis"), "max.deliveries");  // two letters swapped
  EXPECT_EQ(suggestion("retry_backof_ms"), "retry.backoff.ms");
  EXPECT_EQ(suggestion("tls.key.pasword"), "tls.key.password");
  EXPECT_EQ(suggestion("log.levle"), "log.level");
  EXPECT_EQ(suggestion("colour"), "");
  EXPECT_EQ(suggestion("no.such.option"), "");
}

TEST(Config, BadIntegersNameTheKeyAndTheRange) {
  Config config;
  for (const char* bad : {"", "abc", "12x", "-1", "3600001", " 5", "99999999999999999999"}) {
    const Error error = config.set("retry.backoff.ms", bad);
    EXPECT_EQ(error.code(), ErrorCode::config_invalid_value) << bad;
    EXPECT_EQ(error.message(), std::string("retry.backoff.ms: expected a whole number of "
                                           "milliseconds from 1 to 3600000, got '") +
                                   bad + "'");
  }
  EXPECT_FALSE(config.is_set("retry.backoff.ms"));
}

TEST(Config, BadBooleansAndChoicesSayWhatIsAccepted) {
  Config config;
  EXPECT_EQ(config.set("tls.verify.peer", "yes").message(),
            "tls.verify.peer: expected true or false, got 'yes'");
  EXPECT_EQ(config.set("log.level", "loud").message(),
            "log.level: expected one of trace, debug, info, warn, error, off, got 'loud'");
}

TEST(Config, RejectsEmbeddedNulBytes) {
  Config config;
  const std::string value("a\0b", 3);
  EXPECT_EQ(config.set("client.id", value).code(), ErrorCode::config_invalid_value);
}

TEST(Config, AFailedSetKeepsThePreviousValue) {
  Config config;
  ASSERT_FALSE(config.set("retry.backoff.ms", "300"));
  EXPECT_TRUE(config.set("retry.backoff.ms", "zero"));
  EXPECT_EQ(config.get_duration("retry.backoff.ms"), std::chrono::milliseconds(300));
}

TEST(Config, SecretsNeverAppearInDescriptions) {
  Config config;
  ASSERT_FALSE(config.set("tls.key.password", "hunter2"));
  ASSERT_FALSE(config.set("client.id", "svc"));
  const std::string text = config.describe();
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_NE(text.find("tls.key.password=<redacted>"), std::string::npos);
  EXPECT_NE(text.find("client.id=svc"), std::string::npos);
}

TEST(Config, InitializerListThrowsOnTheFirstBadPair) {
  EXPECT_NO_THROW((Config{{"retry.backoff.ms", "10"}, {"log.level", "warn"}}));
  try {
    Config config{{"retry.backoff.ms", "10"}, {"nope", "1"}};
    FAIL() << "expected an exception";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::config_unknown_key);
  }
}

TEST(Config, ReadingWithTheWrongTypeIsAnInternalError) {
  const Config config;
  try {
    static_cast<void>(config.get_int("tls.verify.peer"));
    FAIL() << "expected an exception";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
  EXPECT_THROW(static_cast<void>(config.get_bool("no.such.key")), Exception);
}

}  // namespace
}  // namespace postwire
