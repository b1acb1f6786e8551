#include "postwire/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace postwire {
namespace {

TEST(ErrorCodes, AreUniqueSortedAndNamed) {
  std::set<int> numbers;
  std::set<std::string_view> names;
  int previous = -1;
  for (const auto& info : error_codes()) {
    const int number = static_cast<int>(info.code);
    EXPECT_GT(number, previous);
    previous = number;
    EXPECT_TRUE(numbers.insert(number).second);
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
  }
}

TEST(ErrorCodes, KeepTheirStableNumbers) {
  // The C ABI exposes these numbers; changing one breaks every binding.
  EXPECT_EQ(static_cast<int>(ErrorCode::ok), 0);
  EXPECT_EQ(static_cast<int>(ErrorCode::config_unknown_key), 101);
  EXPECT_EQ(static_cast<int>(ErrorCode::connection_refused), 200);
  EXPECT_EQ(static_cast<int>(ErrorCode::tls_certificate_rejected), 211);
  EXPECT_EQ(static_cast<int>(ErrorCode::queue_full), 400);
  EXPECT_EQ(static_cast<int>(ErrorCode::protocol_error), 500);
  EXPECT_EQ(static_cast<int>(ErrorCode::internal), 900);
}

TEST(ErrorCodes, UnknownValueMapsToInternal) {
  EXPECT_EQ(error_code_info(static_cast<ErrorCode>(12345)).code, ErrorCode::internal);
  EXPECT_EQ(error_code_name(ErrorCode::timed_out), "timed_out");
}

TEST(Error, DefaultIsSuccess) {
  const Error ok;
  EXPECT_TRUE(ok.is_ok());
  EXPECT_FALSE(static_cast<bool>(ok));
  EXPECT_EQ(ok.to_string(), "ok");
}

TEST(Error, TakesFlagsFromTheCodeUnlessGiven) {
  const Error refused(ErrorCode::connection_refused, "cannot connect to h:1");
  EXPECT_TRUE(refused.retriable());
  EXPECT_FALSE(refused.fatal());
  EXPECT_EQ(refused.to_string(), "connection_refused: cannot connect to h:1");

  const Error overridden(ErrorCode::connection_refused, "x", false, true);
  EXPECT_FALSE(overridden.retriable());
  EXPECT_TRUE(overridden.fatal());

  EXPECT_TRUE(Error(ErrorCode::authentication_failed, "bad password").fatal());
}

TEST(Exception, CarriesTheError) {
  try {
    throw Exception(ErrorCode::invalid_url, "broker URL: no host given");
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_url);
    EXPECT_STREQ(e.what(), "invalid_url: broker URL: no host given");
    EXPECT_EQ(e.error().message(), "broker URL: no host given");
  }
}

}  // namespace
}  // namespace postwire
