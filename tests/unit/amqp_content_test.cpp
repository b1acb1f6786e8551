#include <gtest/gtest.h>

#include <memory>

#include "amqp_test_util.hpp"
#include "protocol/amqp/content.hpp"

namespace postwire::amqp {
namespace {

using test::Bytes;
using test::expect_protocol_error;

// Owns the bytes of frames built for a test and hands out FrameViews of them.
class Frames {
 public:
  FrameView method(const Method& m) {
    Bytes payload;
    append_method(payload, m);
    return keep(FrameType::method, std::move(payload));
  }
  FrameView header(std::uint64_t body_size, std::uint16_t class_id = 60) {
    ContentHeader header;
    header.body_size = body_size;
    header.properties.message_id = "m1";
    Bytes payload;
    append_content_header(payload, header);
    payload[0] = static_cast<std::uint8_t>(class_id >> 8U);
    payload[1] = static_cast<std::uint8_t>(class_id);
    return keep(FrameType::header, std::move(payload));
  }
  FrameView body(std::string_view text) {
    return keep(FrameType::body, Bytes(text.begin(), text.end()));
  }

 private:
  FrameView keep(FrameType type, Bytes payload) {
    kept_.push_back(std::make_unique<Bytes>(std::move(payload)));
    return FrameView{type, 1, *kept_.back()};
  }
  std::vector<std::unique_ptr<Bytes>> kept_;
};

TEST(AmqpContent, MethodWithoutContentCompletesAtOnce) {
  Frames f;
  ContentAssembler assembler(1024);
  const auto incoming = assembler.feed(f.method(BasicAck{.delivery_tag = 3}));
  ASSERT_TRUE(incoming);
  EXPECT_EQ(std::get<BasicAck>(incoming->method).delivery_tag, 3U);
  EXPECT_FALSE(incoming->header);
  EXPECT_TRUE(incoming->body.empty());
}

TEST(AmqpContent, AssemblesDeliverFromSeveralBodyFrames) {
  Frames f;
  ContentAssembler assembler(1024);
  EXPECT_FALSE(assembler.feed(f.method(BasicDeliver{.consumer_tag = "c", .delivery_tag = 9})));
  EXPECT_TRUE(assembler.in_content());
  EXPECT_FALSE(assembler.feed(f.header(11)));
  EXPECT_FALSE(assembler.feed(f.body("hello ")));
  const auto incoming = assembler.feed(f.body("world"));
  ASSERT_TRUE(incoming);
  EXPECT_EQ(std::get<BasicDeliver>(incoming->method).delivery_tag, 9U);
  ASSERT_TRUE(incoming->header);
  EXPECT_EQ(incoming->header->body_size, 11U);
  EXPECT_EQ(incoming->header->properties.message_id, "m1");
  EXPECT_EQ(incoming->body, "hello world");
  EXPECT_FALSE(assembler.in_content());

  // The assembler is ready for the next message.
  EXPECT_FALSE(assembler.feed(f.method(BasicDeliver{.delivery_tag = 10})));
  EXPECT_FALSE(assembler.feed(f.header(1)));
  const auto second = assembler.feed(f.body("!"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "!");
}

TEST(AmqpContent, EmptyBodyCompletesAtTheHeader) {
  Frames f;
  ContentAssembler assembler(1024);
  EXPECT_FALSE(assembler.feed(f.method(BasicGetOk{.delivery_tag = 1})));
  const auto incoming = assembler.feed(f.header(0));
  ASSERT_TRUE(incoming);
  EXPECT_TRUE(incoming->body.empty());
  EXPECT_TRUE(std::holds_alternative<BasicGetOk>(incoming->method));
}

TEST(AmqpContent, RejectsHeaderWithoutContentMethod) {
  Frames f;
  ContentAssembler assembler(1024);
  expect_protocol_error([&] { assembler.feed(f.header(1)); },
                        "content header frame on channel 1 without a preceding content method");
}

TEST(AmqpContent, RejectsBodyWithoutContentMethod) {
  Frames f;
  ContentAssembler assembler(1024);
  expect_protocol_error([&] { assembler.feed(f.body("x")); },
                        "content body frame on channel 1 without a preceding content method");
}

TEST(AmqpContent, RejectsBodyBeforeHeader) {
  Frames f;
  ContentAssembler assembler(1024);
  assembler.feed(f.method(BasicDeliver{}));
  expect_protocol_error([&] { assembler.feed(f.body("x")); },
                        "before the content header of basic.deliver");
}

TEST(AmqpContent, RejectsSecondHeader) {
  Frames f;
  ContentAssembler assembler(1024);
  assembler.feed(f.method(BasicDeliver{}));
  assembler.feed(f.header(5));
  expect_protocol_error([&] { assembler.feed(f.header(5)); },
                        "second content header frame on channel 1 for basic.deliver");
}

TEST(AmqpContent, RejectsMethodMidContent) {
  Frames f;
  {
    ContentAssembler assembler(1024);
    assembler.feed(f.method(BasicDeliver{}));
    expect_protocol_error([&] { assembler.feed(f.method(BasicAck{})); },
                          "basic.ack arrived on channel 1 before the content of basic.deliver "
                          "was complete (no content header yet)");
  }
  {
    ContentAssembler assembler(1024);
    assembler.feed(f.method(BasicReturn{}));
    assembler.feed(f.header(10));
    assembler.feed(f.body("abc"));
    expect_protocol_error([&] { assembler.feed(f.method(BasicDeliver{})); },
                          "(3 of 10 body bytes received)");
  }
}

TEST(AmqpContent, RejectsBodyBeyondBodySize) {
  Frames f;
  ContentAssembler assembler(1024);
  assembler.feed(f.method(BasicDeliver{}));
  assembler.feed(f.header(4));
  assembler.feed(f.body("ab"));
  expect_protocol_error([&] { assembler.feed(f.body("cde")); },
                        "overruns its body size of 4 bytes (5 bytes received)");
}

TEST(AmqpContent, RejectsHeaderClassMismatch) {
  Frames f;
  ContentAssembler assembler(1024);
  assembler.feed(f.method(BasicDeliver{}));
  expect_protocol_error([&] { assembler.feed(f.header(4, 61)); },
                        "content header for class 61 on channel 1 does not match basic.deliver "
                        "(class 60)");
}

TEST(AmqpContent, RejectsBodyOverTheMaximum) {
  Frames f;
  ContentAssembler assembler(1000);
  assembler.feed(f.method(BasicDeliver{}));
  expect_protocol_error([&] { assembler.feed(f.header(1001)); },
                        "announces a body of 1001 bytes, over the maximum of 1000 bytes");
  ContentAssembler huge(1000);
  huge.feed(f.method(BasicDeliver{}));
  expect_protocol_error([&] { huge.feed(f.header(~0ULL)); }, "body of 18446744073709551615 bytes");
}

TEST(AmqpContent, RejectsHeartbeat) {
  ContentAssembler assembler(1000);
  expect_protocol_error(
      [&] {
        assembler.feed(FrameView{FrameType::heartbeat, 1, {}});
      },
      "frame of type 8 on channel 1");
}

TEST(AmqpContent, EndToEndThroughFrameReader) {
  Bytes stream;
  append_method_frame(stream, 1, BasicDeliver{.consumer_tag = "c", .delivery_tag = 1});
  const std::string body(10000, 'b');
  append_content_frames(stream, 1, ContentHeader{},
                        {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()}, 4096);
  append_method_frame(stream, 1, BasicCancel{.consumer_tag = "c"});
  FrameReader reader(4096);
  reader.feed(stream);
  ContentAssembler assembler(1 << 20);
  std::vector<Incoming> got;
  while (auto frame = reader.next()) {
    if (auto incoming = assembler.feed(*frame)) {
      got.push_back(std::move(*incoming));
    }
  }
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].body, body);
  EXPECT_TRUE(std::holds_alternative<BasicCancel>(got[1].method)) << "server-sent cancel";
}

}  // namespace
}  // namespace postwire::amqp
