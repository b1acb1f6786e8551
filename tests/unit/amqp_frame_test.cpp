#include <gtest/gtest.h>

#include "amqp_test_util.hpp"
#include "protocol/amqp/frame.hpp"
#include "protocol/amqp/properties.hpp"

namespace postwire::amqp {
namespace {

using test::bytes;
using test::Bytes;
using test::concat;
using test::expect_protocol_error;
using test::text;

// A content header payload computed by hand from spec section 4.2.6.1: class 60, weight 0,
// body size 5, flags content-type (bit 15) | headers (13) | delivery-mode (12) |
// timestamp (6) = 0xB040, then those properties in order.
Bytes golden_content_header() {
  return concat({bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xB0, 0x40}),
                 bytes({3, 't', '/', 'p'}),                     // content-type
                 bytes({0, 0, 0, 7, 1, 'a', 'I', 0, 0, 0, 1}),  // headers {a: 1}
                 bytes({2}),                                    // delivery-mode
                 bytes({0, 0, 0, 0, 0, 0, 0, 0x10})});          // timestamp
}

ContentHeader sample_header() {
  ContentHeader header;
  header.body_size = 5;
  header.properties.content_type = "t/p";
  header.properties.headers = FieldTable{};
  header.properties.headers->set("a", 1);
  header.properties.delivery_mode = 2;
  header.properties.timestamp = 0x10;
  return header;
}

TEST(AmqpProperties, EncodesGoldenContentHeader) {
  Bytes out;
  append_content_header(out, sample_header());
  EXPECT_EQ(out, golden_content_header());
}

TEST(AmqpProperties, DecodesGoldenContentHeader) {
  EXPECT_EQ(decode_content_header(golden_content_header()), sample_header());
}

TEST(AmqpProperties, RoundTripsAllFourteenProperties) {
  ContentHeader header;
  header.body_size = 1ULL << 40U;
  auto& p = header.properties;
  p.content_type = "application/json";
  p.content_encoding = "gzip";
  p.headers = FieldTable{};
  p.headers->set("x-retry", std::int64_t{3});
  p.delivery_mode = 2;
  p.priority = 9;
  p.correlation_id = "corr";
  p.reply_to = "amq.rabbitmq.reply-to";
  p.expiration = "60000";
  p.message_id = "01890a5d-ac96-774b-bcce-b302099a8057";
  p.timestamp = 1700000000;
  p.type = "order.created";
  p.user_id = "guest";
  p.app_id = "postwire";
  p.cluster_id = "";
  Bytes out;
  append_content_header(out, header);
  EXPECT_EQ(out[12], 0xFF) << "flags high byte";
  EXPECT_EQ(out[13], 0xFC) << "flags low byte: bits 7..2 set, 1 and 0 clear";
  EXPECT_EQ(decode_content_header(out), header);
}

TEST(AmqpProperties, NoPropertiesIsFourteenBytes) {
  Bytes out;
  append_content_header(out, ContentHeader{});
  EXPECT_EQ(out, bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(decode_content_header(out), ContentHeader{});
}

TEST(AmqpProperties, RejectsMalformedHeaders) {
  expect_protocol_error([] { decode_content_header(bytes({0, 60, 0, 0, 0})); }, "truncated");
  expect_protocol_error(
      [] {
        decode_content_header(bytes({0, 90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
      },
      "class 90");
  // Flags say content-type is present; its short string claims 9 bytes, 2 remain.
  expect_protocol_error(
      [] {
        decode_content_header(bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 9, 'a', 'b'}));
      },
      "content-type: short string length 9 overruns");
  // Bit 1 is not a basic property.
  expect_protocol_error(
      [] {
        decode_content_header(bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}));
      },
      "bit 1");
  // A continuation word that sets a property basic does not have.
  expect_protocol_error(
      [] {
        decode_content_header(bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0}));
      },
      "continued property flags");
  // Headers table overrunning the payload.
  expect_protocol_error(
      [] {
        decode_content_header(bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 1, 0}));
      },
      "field table length 256 overruns");
  expect_protocol_error(
      [] {
        decode_content_header(bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
      },
      "unexpected bytes");
}

TEST(AmqpProperties, AcceptsAnEmptyContinuationWord) {
  const auto header =
      decode_content_header(bytes({0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0x10, 1, 0, 0, 2}));
  EXPECT_EQ(header.body_size, 3U);
  EXPECT_EQ(header.properties.delivery_mode, 2);
}

// --- frames ---

TEST(AmqpFrame, ProtocolHeaderIsAmqp0091) {
  const auto header = protocol_header();
  EXPECT_EQ(Bytes(header.begin(), header.end()), bytes({'A', 'M', 'Q', 'P', 0, 0, 9, 1}));
}

TEST(AmqpFrame, HeartbeatGolden) {
  Bytes out;
  append_heartbeat_frame(out);
  EXPECT_EQ(out, bytes({8, 0, 0, 0, 0, 0, 0, 0xCE}));
  FrameReader reader;
  reader.feed(out);
  const auto frame = reader.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->type, FrameType::heartbeat);
  EXPECT_EQ(frame->channel, 0);
  EXPECT_TRUE(frame->payload.empty());
  EXPECT_FALSE(reader.next());
}

TEST(AmqpFrame, ReadsFramesByteByByte) {
  Bytes stream =
      concat({bytes({1, 0, 7, 0, 0, 0, 4, 0, 60, 0, 80, 0xCE}),
              bytes({3, 0, 7, 0, 0, 0, 2, 'h', 'i', 0xCE}), bytes({8, 0, 0, 0, 0, 0, 0, 0xCE})});
  FrameReader reader;
  std::vector<std::pair<FrameType, Bytes>> frames;
  for (const auto byte : stream) {
    auto space = reader.prepare(1);
    ASSERT_GE(space.size(), 1U);
    space[0] = byte;
    reader.commit(1);
    while (auto frame = reader.next()) {
      frames.emplace_back(frame->type, Bytes(frame->payload.begin(), frame->payload.end()));
      if (frame->type != FrameType::heartbeat) {
        EXPECT_EQ(frame->channel, 7);
      }
    }
  }
  ASSERT_EQ(frames.size(), 3U);
  EXPECT_EQ(frames[0].first, FrameType::method);
  EXPECT_EQ(frames[0].second, bytes({0, 60, 0, 80}));
  EXPECT_EQ(frames[1].first, FrameType::body);
  EXPECT_EQ(frames[1].second, text("hi"));
  EXPECT_EQ(frames[2].first, FrameType::heartbeat);
  EXPECT_EQ(reader.buffered(), 0U);
}

TEST(AmqpFrame, ReadsManyFramesFromOneChunk) {
  Bytes stream;
  for (int i = 0; i < 100; ++i) {
    append_heartbeat_frame(stream);
  }
  FrameReader reader;
  reader.feed(stream);
  int count = 0;
  while (reader.next()) {
    ++count;
  }
  EXPECT_EQ(count, 100);
}

TEST(AmqpFrame, SplitsBodyAtFrameMax) {
  Bytes body(10000);
  for (std::size_t i = 0; i < body.size(); ++i) {
    body[i] = static_cast<std::uint8_t>(i * 7);
  }
  ContentHeader header;
  header.body_size = 1;  // ignored: the body's size is what goes on the wire
  Bytes out;
  append_content_frames(out, 3, header, body, 4096);

  // Header frame (7 + 14 + 1), then body frames of 4088, 4088 and 1824 bytes.
  ASSERT_EQ(out.size(), 22U + (4088 + 8) * 2 + (1824 + 8));
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 22),
            bytes({2, 0, 3, 0, 0, 0, 14, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0x27, 0x10, 0, 0, 0xCE}));
  EXPECT_EQ(Bytes(out.begin() + 22, out.begin() + 29), bytes({3, 0, 3, 0, 0, 0x0F, 0xF8}));

  FrameReader reader(4096);
  reader.feed(out);
  Bytes reassembled;
  std::vector<std::size_t> sizes;
  while (auto frame = reader.next()) {
    if (frame->type == FrameType::body) {
      sizes.push_back(frame->payload.size());
      reassembled.insert(reassembled.end(), frame->payload.begin(), frame->payload.end());
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4088, 4088, 1824}));
  EXPECT_EQ(reassembled, body);
}

TEST(AmqpFrame, EmptyBodyIsOnlyAHeaderFrame) {
  Bytes out;
  append_content_frames(out, 1, ContentHeader{}, {}, 4096);
  EXPECT_EQ(out.size(), 22U);
}

TEST(AmqpFrame, ContentFramesRejectSmallFrameMax) {
  Bytes out;
  EXPECT_THROW(append_content_frames(out, 1, ContentHeader{}, {}, 4095), Exception);
}

TEST(AmqpFrame, FrameMaxBelowMinimumIsRejected) {
  expect_protocol_error([] { FrameReader reader(4095); }, "frame_max of 4095 bytes is below");
  FrameReader reader;
  expect_protocol_error([&] { reader.set_frame_max(100); }, "below the protocol minimum of 4096");
  reader.set_frame_max(0);
  EXPECT_EQ(reader.frame_max(), frame_max_unlimited);
}

TEST(AmqpFrame, RejectsPayloadOverFrameMaxBeforeBufferingIt) {
  FrameReader reader(65536);
  // Only the 7-byte header of a 70000-byte frame has arrived.
  reader.feed(bytes({3, 0, 1, 0, 0x01, 0x11, 0x70}));
  expect_protocol_error([&] { reader.next(); },
                        "frame payload of 70000 bytes exceeds frame_max 65536");
  FrameReader exact(4096);
  exact.feed(bytes({3, 0, 1, 0, 0, 0x0F, 0xF9}));  // 4089 = frame_max - 7
  expect_protocol_error([&] { exact.next(); }, "4089 bytes exceeds frame_max 4096");
}

TEST(AmqpFrame, RejectsWrongEndByte) {
  FrameReader reader;
  reader.feed(bytes({3, 0, 1, 0, 0, 0, 1, 'x', 0xCD}));
  expect_protocol_error([&] { reader.next(); }, "ends with byte 205 instead of 206 (0xCE)");
}

TEST(AmqpFrame, RejectsUnknownFrameType) {
  FrameReader reader;
  reader.feed(bytes({4}));
  expect_protocol_error([&] { reader.next(); }, "unknown frame type 4");
}

TEST(AmqpFrame, RejectsUndersizedFrames) {
  {
    FrameReader reader;
    reader.feed(bytes({1, 0, 1, 0, 0, 0, 3, 0, 60, 0, 0xCE}));
    expect_protocol_error([&] { reader.next(); },
                          "method frame payload of 3 bytes is shorter than its 4-byte");
  }
  {
    FrameReader reader;
    reader.feed(bytes({2, 0, 1, 0, 0, 0, 13}));
    expect_protocol_error([&] { reader.next(); }, "content header frame payload of 13 bytes");
  }
}

TEST(AmqpFrame, RejectsHeartbeatsOffChannelZeroOrWithPayload) {
  {
    FrameReader reader;
    reader.feed(bytes({8, 0, 5, 0, 0, 0, 0, 0xCE}));
    expect_protocol_error([&] { reader.next(); }, "heartbeat frame on channel 5");
  }
  {
    FrameReader reader;
    reader.feed(bytes({8, 0, 0, 0, 0, 0, 1, 0, 0xCE}));
    expect_protocol_error([&] { reader.next(); }, "heartbeat frame with a 1-byte payload");
  }
}

TEST(AmqpFrame, ReportsTheVersionAServerOffersInstead) {
  FrameReader reader;
  reader.feed(text("AMQP"));
  EXPECT_FALSE(reader.next()) << "waits for the version bytes";
  reader.feed(bytes({1, 1, 0, 10}));
  expect_protocol_error([&] { reader.next(); },
                        "does not support AMQP 0-9-1 and offered protocol id 1 version 1-0-10");
}

TEST(AmqpFrame, WaitsForIncompleteFrames) {
  FrameReader reader;
  reader.feed(bytes({3, 0, 1, 0, 0, 0, 5, 'a', 'b'}));
  EXPECT_FALSE(reader.next());
  reader.feed(bytes({'c', 'd', 'e'}));
  EXPECT_FALSE(reader.next()) << "end byte missing";
  reader.feed(bytes({0xCE}));
  const auto frame = reader.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(Bytes(frame->payload.begin(), frame->payload.end()), text("abcde"));
}

TEST(AmqpFrame, PrepareStaysBoundedWhenDrained) {
  FrameReader reader(4096);
  Bytes body(3000, 'z');
  Bytes stream;
  for (int i = 0; i < 50; ++i) {
    append_content_frames(stream, 1, ContentHeader{}, body, 4096);
  }
  std::size_t offset = 0;
  int frames = 0;
  while (offset < stream.size()) {
    auto space = reader.prepare(1000000);
    EXPECT_LE(space.size(), 2U * 4096);
    const std::size_t n = std::min(space.size(), stream.size() - offset);
    std::copy_n(stream.begin() + static_cast<std::ptrdiff_t>(offset), n, space.begin());
    reader.commit(n);
    offset += n;
    while (reader.next()) {
      ++frames;
    }
  }
  EXPECT_EQ(frames, 100);
}

TEST(AmqpFrame, CommitBeyondPreparedSpaceThrows) {
  FrameReader reader;
  const auto space = reader.prepare(16);
  EXPECT_THROW(reader.commit(space.size() + 1), Exception);
}

}  // namespace
}  // namespace postwire::amqp
