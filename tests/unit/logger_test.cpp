#include "runtime/logger.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "runtime/event_queue.hpp"

namespace postwire::runtime {
namespace {

TEST(Logger, DeliversRecordsAtOrAboveTheThreshold) {
  std::vector<LogRecord> records;
  const Logger logger("svc", LogLevel::info,
                      [&](LogRecord&& r) { records.push_back(std::move(r)); });
  logger.log(LogLevel::debug, "runtime", "hidden");
  logger.log(LogLevel::info, "runtime", "shown");
  logger.log(LogLevel::error, "amqp", "also shown");
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].message, "shown");
  EXPECT_EQ(records[0].client_id, "svc");
  EXPECT_EQ(records[0].category, "runtime");
  EXPECT_EQ(records[1].level, LogLevel::error);
  EXPECT_GT(records[1].time.time_since_epoch().count(), 0);
}

TEST(Logger, WithoutASinkNothingIsEnabled) {
  const Logger logger("svc", LogLevel::trace, nullptr);
  EXPECT_FALSE(logger.enabled(LogLevel::error));
  logger.log(LogLevel::error, "runtime", "dropped");  // must not crash or print
}

TEST(Logger, OffSilencesEverythingAndTheThresholdCanChange) {
  int delivered = 0;
  Logger logger("svc", LogLevel::off, [&](LogRecord&&) { ++delivered; });
  logger.log(LogLevel::error, "runtime", "x");
  EXPECT_EQ(delivered, 0);
  logger.set_threshold(LogLevel::warn);
  logger.log(LogLevel::warn, "runtime", "x");
  logger.log(LogLevel::off, "runtime", "off is not a level to log at");
  EXPECT_EQ(delivered, 1);
}

TEST(Logger, ReadsClientIdAndLevelFromConfig) {
  std::vector<LogRecord> records;
  Config config{{"client.id", "orders"}, {"log.level", "warn"}};
  const Logger logger(config, [&](LogRecord&& r) { records.push_back(std::move(r)); });
  logger.log(LogLevel::info, "runtime", "below");
  logger.log(LogLevel::warn, "runtime", "at");
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].client_id, "orders");
}

TEST(Logger, CanFeedABoundedEventQueueWithoutBlocking) {
  EventQueue<LogRecord> queue(2);
  int dropped = 0;
  const Logger logger("svc", LogLevel::info, [&](LogRecord&& record) {
    if (queue.try_push(std::move(record)) != PushResult::ok) {
      ++dropped;
    }
  });
  for (int i = 0; i < 5; ++i) {
    logger.log(LogLevel::info, "runtime", "message " + std::to_string(i));
  }
  EXPECT_EQ(queue.size(), 2U);
  EXPECT_EQ(dropped, 3);
}

TEST(LogLevel, NamesRoundTrip) {
  for (const auto level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn,
                           LogLevel::error, LogLevel::off}) {
    EXPECT_EQ(parse_log_level(log_level_name(level)), level);
  }
  EXPECT_FALSE(parse_log_level("verbose"));
}

}  // namespace
}  // namespace postwire::runtime
