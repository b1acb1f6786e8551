// The contiguous-ack window of the client layer: settlements of one ordered delivery stream,
// coalesced into runs ("everything through P") where the order allows.
#include <gtest/gtest.h>

#include <vector>

#include "client/ack_window.hpp"

namespace postwire::client {
namespace {

struct Sent {
  bool ack;
  std::uint64_t tag;
  bool multiple;
  bool operator==(const Sent&) const = default;
};

// {acked, position, covers everything up to it}
std::vector<Sent> flush(AckWindow& window) {
  using Kind = AckWindow::Settled::Kind;
  std::vector<Sent> sent;
  window.flush([&](const AckWindow::Settled& settled) {
    sent.push_back(
        {settled.kind != Kind::requeue, settled.position, settled.kind == Kind::through});
  });
  return sent;
}

TEST(AckWindow, InOrderAcksBecomeOneMultipleAck) {
  AckWindow window;
  for (std::uint64_t tag = 1; tag <= 5; ++tag) {
    window.delivered(tag);
  }
  window.ack(1);
  window.ack(2);
  window.ack(3);
  EXPECT_EQ(flush(window), (std::vector<Sent>{{true, 3, true}}));
  EXPECT_FALSE(window.idle());
}

TEST(AckWindow, AckBehindAnUnsettledDeliveryGoesAlone) {
  AckWindow window;
  for (std::uint64_t tag = 1; tag <= 3; ++tag) {
    window.delivered(tag);
  }
  window.ack(3);
  EXPECT_EQ(flush(window), (std::vector<Sent>{{true, 3, false}}));
  window.ack(1);
  window.ack(2);
  // 3 was acked already: the multiple ack stops at 2 and nothing is acked twice.
  EXPECT_EQ(flush(window), (std::vector<Sent>{{true, 2, true}}));
  EXPECT_TRUE(window.idle());
}

TEST(AckWindow, RequeueIsNeverCoveredByAMultipleAck) {
  AckWindow window;
  for (std::uint64_t tag = 10; tag <= 13; ++tag) {
    window.delivered(tag);
  }
  window.ack(10);
  window.requeue(11);
  window.ack(12);
  window.ack(13);
  EXPECT_EQ(flush(window),
            (std::vector<Sent>{{true, 10, true}, {false, 11, false}, {true, 13, true}}));
}

TEST(AckWindow, PositionsFromAnotherStreamAreIgnoredAfterReset) {
  AckWindow window;
  window.delivered(1);
  window.reset();
  window.delivered(1);
  window.ack(7);  // never delivered here
  EXPECT_TRUE(flush(window).empty());
  window.ack(1);
  window.ack(1);  // settling twice sends once
  EXPECT_EQ(flush(window), (std::vector<Sent>{{true, 1, true}}));
}

}  // namespace
}  // namespace postwire::client
