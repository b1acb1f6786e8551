#include <gtest/gtest.h>

#include <string>

#include "client/dedup_window.hpp"

namespace postwire::client {
namespace {

TEST(ClientDedupWindow, RemembersUpToItsCapacityAndForgetsTheOldestFirst) {
  DedupWindow window(3);
  window.remember("a");
  window.remember("b");
  window.remember("c");
  EXPECT_EQ(window.size(), 3U);
  EXPECT_TRUE(window.contains("a"));

  window.remember("d");
  EXPECT_EQ(window.size(), 3U);
  EXPECT_FALSE(window.contains("a"));
  EXPECT_TRUE(window.contains("b"));
  EXPECT_TRUE(window.contains("c"));
  EXPECT_TRUE(window.contains("d"));

  window.remember("e");
  EXPECT_FALSE(window.contains("b"));
  EXPECT_TRUE(window.contains("c"));
}

TEST(ClientDedupWindow, SeeingAnIdAgainDoesNotKeepItLonger) {
  DedupWindow window(2);
  window.remember("a");
  window.remember("b");
  window.remember("a");
  EXPECT_EQ(window.size(), 2U);
  window.remember("c");
  EXPECT_FALSE(window.contains("a")) << "ordered by first sight";
  EXPECT_TRUE(window.contains("b"));
  EXPECT_TRUE(window.contains("c"));
}

TEST(ClientDedupWindow, CapacityZeroIsDisabled) {
  DedupWindow window(0);
  window.remember("a");
  EXPECT_FALSE(window.contains("a"));
  EXPECT_EQ(window.size(), 0U);
}

TEST(ClientDedupWindow, StaysBoundedOverManyIds) {
  DedupWindow window(100);
  for (int i = 0; i < 10'000; ++i) {
    // Long ids live on the heap and short ones inside the string: both must stay findable.
    window.remember((i % 2 == 0 ? "id-" : "a-much-longer-message-id-that-is-not-inline-") +
                    std::to_string(i));
  }
  EXPECT_EQ(window.size(), 100U);
  EXPECT_TRUE(window.contains("id-9998"));
  EXPECT_TRUE(window.contains("a-much-longer-message-id-that-is-not-inline-9901"));
  EXPECT_FALSE(window.contains("id-9898"));
  EXPECT_FALSE(window.contains("id-0"));
}

TEST(ClientDedupWindow, EmptyIdIsAnIdLikeAnyOther) {
  DedupWindow window(1);
  EXPECT_FALSE(window.contains(""));
  window.remember("");
  EXPECT_TRUE(window.contains(""));
}

}  // namespace
}  // namespace postwire::client
