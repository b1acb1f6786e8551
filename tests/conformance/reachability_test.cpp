// Every selected broker is reached through the runtime (URL parsing, name resolution, TCP
// connect) and answers in its own protocol. The byte strings here are the smallest valid
// greeting of each protocol, written out by hand; the protocol codecs replace them as the
// transports land.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "conformance/brokers.hpp"
#include "postwire/broker_url.hpp"
#include "runtime/connect.hpp"
#include "runtime/io_thread.hpp"

namespace postwire {
namespace {

namespace asio = boost::asio;
using runtime::Stream;

// Reads until `wanted` bytes have arrived (or the peer closes, which throws).
asio::awaitable<std::string> read_exactly(Stream& stream, std::size_t wanted) {
  std::string data;
  std::array<char, 1024> buffer{};
  while (data.size() < wanted) {
    const std::size_t n = co_await stream.read_some(
        asio::buffer(buffer.data(), std::min(buffer.size(), wanted - data.size())));
    data.append(buffer.data(), n);
  }
  co_return data;
}

std::uint32_t be32(std::string_view bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8U) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

// AMQP 0-9-1 section 4.2.2: the client sends "AMQP" 0 0 9 1; the server answers with a method
// frame (type 1) on channel 0 carrying connection.start (class 10, method 10).
asio::awaitable<void> amqp_greeting(Stream& stream) {
  co_await stream.write_all(asio::buffer(std::string_view("AMQP\x00\x00\x09\x01", 8)));
  const std::string header = co_await read_exactly(stream, 7);
  EXPECT_EQ(header[0], 1) << "frame type";
  EXPECT_EQ(header[1], 0);
  EXPECT_EQ(header[2], 0) << "channel 0";
  const std::uint32_t size = be32(header.substr(3));
  if (size < 4 || size > (1U << 20U)) {
    ADD_FAILURE() << "implausible frame size " << size;
    co_return;
  }
  const std::string payload = co_await read_exactly(stream, size + 1);
  EXPECT_EQ(payload.substr(0, 4), std::string("\x00\x0a\x00\x0a", 4)) << "connection.start";
  EXPECT_EQ(static_cast<unsigned char>(payload.back()), 0xCE) << "frame end";
}

// Kafka ApiVersions (api key 18) version 0 with request header v1: the broker answers with
// the same correlation id and error code 0 (NONE).
asio::awaitable<void> kafka_api_versions(Stream& stream) {
  const std::string client_id = "postwire-test";
  std::string request;
  request += std::string("\x00\x12", 2);          // api_key 18
  request += std::string("\x00\x00", 2);          // api_version 0
  request += std::string("\x00\x00\x30\x39", 4);  // correlation_id 12345
  request += static_cast<char>(client_id.size() >> 8U);
  request += static_cast<char>(client_id.size() & 0xFFU);
  request += client_id;
  std::string framed;
  for (int shift = 24; shift >= 0; shift -= 8) {
    framed += static_cast<char>((request.size() >> static_cast<unsigned>(shift)) & 0xFFU);
  }
  framed += request;
  co_await stream.write_all(asio::buffer(framed));
  const std::uint32_t size = be32(co_await read_exactly(stream, 4));
  if (size < 6 || size > (1U << 20U)) {
    ADD_FAILURE() << "implausible response size " << size;
    co_return;
  }
  const std::string response = co_await read_exactly(stream, size);
  EXPECT_EQ(be32(response), 12345U) << "correlation id";
  EXPECT_EQ(response.substr(4, 2), std::string("\x00\x00", 2)) << "error code NONE";
}

// SQS's JSON protocol: ListQueues answers 200 with a JSON body.
asio::awaitable<void> sqs_list_queues(Stream& stream, const std::string& host) {
  const std::string request =
      "POST / HTTP/1.1\r\nHost: " + host +
      "\r\nX-Amz-Target: AmazonSQS.ListQueues\r\nContent-Type: application/x-amz-json-1.0\r\n"
      "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
  co_await stream.write_all(asio::buffer(request));
  const std::string status = co_await read_exactly(stream, 12);
  EXPECT_EQ(status, "HTTP/1.1 200");
}

class Reachability : public ::testing::TestWithParam<std::string> {};

TEST_P(Reachability, BrokerAnswersInItsProtocol) {
  const std::string url_text = testing::broker_url(GetParam());
  ASSERT_FALSE(url_text.empty());
  const BrokerUrl url = BrokerUrl::parse(url_text);
  runtime::IoThread io("test-io");
  io.run([&]() -> asio::awaitable<void> {
    Stream stream = co_await runtime::connect_first(url.hosts(), {});
    switch (url.kind()) {
      case BrokerKind::amqp:
        co_await amqp_greeting(stream);
        break;
      case BrokerKind::kafka:
        co_await kafka_api_versions(stream);
        break;
      case BrokerKind::sqs:
        co_await sqs_list_queues(stream, stream.peer());
        break;
    }
    stream.close();
  }());
}

INSTANTIATE_TEST_SUITE_P(Brokers, Reachability, ::testing::ValuesIn(testing::selected_brokers()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace postwire
