#include "runtime/uuid7.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>
#include <thread>
#include <vector>

namespace postwire::runtime {
namespace {

std::uint64_t wall_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

TEST(Uuid7, HasVersionSevenVariantTenAndTheCurrentTime) {
  const std::uint64_t before = wall_ms();
  const Uuid id = new_uuid7();
  const std::uint64_t after = wall_ms();
  EXPECT_EQ(id.version(), 7U);
  EXPECT_EQ(id.variant_bits(), 0b10U);
  EXPECT_GE(id.unix_ms(), before);
  EXPECT_LE(id.unix_ms(), after + 1);
}

TEST(Uuid7, TimestampLayoutMatchesRfc9562) {
  // RFC 9562 appendix A.6 uses unix_ts_ms 0x017F22E279B0 (Tuesday, February 22, 2022
  // 2:22:22.00 PM GMT-05:00), which starts the id with 017f22e2-79b0-7.
  Uuid7Generator generator;
  const Uuid id = generator.next(0x017F22E279B0ULL);
  EXPECT_EQ(id.to_string().substr(0, 15), "017f22e2-79b0-7");
  EXPECT_EQ(id.unix_ms(), 0x017F22E279B0ULL);
}

TEST(Uuid7, StringFormAndParsingRoundTrip) {
  const Uuid id = new_uuid7();
  const std::string text = id.to_string();
  EXPECT_TRUE(std::regex_match(
      text, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << text;
  EXPECT_EQ(Uuid::parse(text), id);
  std::string upper = text;
  std::ranges::transform(upper, upper.begin(),
                         [](char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_EQ(Uuid::parse(upper), id);
}

TEST(Uuid7, ParseRejectsMalformedText) {
  EXPECT_FALSE(Uuid::parse(""));
  EXPECT_FALSE(Uuid::parse("017f22e2-79b0-7cc3-98c4-dc0c0c07398"));    // short
  EXPECT_FALSE(Uuid::parse("017f22e2-79b0-7cc3-98c4-dc0c0c07398ff"));  // long
  EXPECT_FALSE(Uuid::parse("017f22e2x79b0-7cc3-98c4-dc0c0c07398f"));   // separator
  EXPECT_FALSE(Uuid::parse("017f22e2-79b0-7cc3-98c4-dc0c0c07398g"));   // digit
}

TEST(Uuid7, StrictlyIncreasingWithinOneMillisecond) {
  Uuid7Generator generator;
  Uuid previous = generator.next(1'000);
  for (int i = 0; i < 100'000; ++i) {
    const Uuid next = generator.next(1'000);
    ASSERT_LT(previous, next);
    previous = next;
  }
  EXPECT_EQ(previous.unix_ms(), 1'000U);
}

TEST(Uuid7, StaysIncreasingWhenTheClockStepsBack) {
  Uuid7Generator generator;
  const Uuid late = generator.next(5'000);
  const Uuid early = generator.next(4'000);
  EXPECT_LT(late, early);
  EXPECT_EQ(early.unix_ms(), 5'000U) << "keeps the last timestamp instead of going back";
  EXPECT_EQ(generator.next(6'000).unix_ms(), 6'000U);
}

TEST(Uuid7, UniqueAndOrderedPerThreadAcrossThreads) {
  constexpr std::size_t kThreads = 4;
  constexpr int kEach = 25'000;
  std::vector<std::vector<Uuid>> ids(kThreads);
  std::vector<std::thread> threads;
  for (auto& list : ids) {
    threads.emplace_back([&list] {
      for (int i = 0; i < kEach; ++i) {
        list.push_back(new_uuid7());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<Uuid> all;
  for (const auto& list : ids) {
    EXPECT_TRUE(std::ranges::is_sorted(list));
    all.insert(list.begin(), list.end());
  }
  EXPECT_EQ(all.size(), kThreads * static_cast<std::size_t>(kEach));
}

TEST(Uuid7, AForkedChildDoesNotRepeatItsParentsIds) {
  Uuid7Generator generator;
  static_cast<void>(generator.next(7'000));  // seed the parent's state
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const Uuid id = generator.next(7'000);
    const auto written = ::write(fds[1], id.bytes.data(), id.bytes.size());
    ::_exit(written == 16 ? 0 : 1);
  }
  const Uuid parent_id = generator.next(7'000);
  Uuid child_id;
  ASSERT_EQ(::read(fds[0], child_id.bytes.data(), child_id.bytes.size()), 16);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(parent_id, child_id);
}

}  // namespace
}  // namespace postwire::runtime
