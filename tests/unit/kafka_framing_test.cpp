// Kafka's request/response framing, API versions and error codes. Golden bytes computed by
// hand from RequestHeader.json / ResponseHeader.json in Kafka's message schemas.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka_test_util.hpp"
#include "protocol/kafka/api.hpp"
#include "protocol/kafka/error_codes.hpp"
#include "protocol/kafka/framing.hpp"
#include "protocol/kafka/messages/api_versions.hpp"
#include "protocol/kafka/messages/metadata.hpp"

namespace postwire::kafka {
namespace {

using test::Bytes;
using test::bytes;
using test::concat;
using test::cstr;
using test::expect_error;
using test::expect_protocol_error;
using test::str16;

TEST(KafkaFraming, ClassicRequestHasHeaderV1) {
  // ApiVersions v2: not flexible, so header v1 and an empty body.
  Bytes out;
  encode_request(out, 2, 7, "pw", ApiVersionsRequest{});
  EXPECT_EQ(out, bytes({0, 0, 0, 12,        // size
                        0, 18, 0, 2,        // api key, version
                        0, 0, 0, 7,         // correlation id
                        0, 2, 'p', 'w'}));  // client id
}

TEST(KafkaFraming, FlexibleRequestHasHeaderV2WithAClassicClientId) {
  ApiVersionsRequest request;
  request.client_software_name = "pw";
  request.client_software_version = "1";
  Bytes out;
  encode_request(out, 4, 0x01020304, "c", request);
  EXPECT_EQ(out, concat({bytes({0, 0, 0, 18, 0, 18, 0, 4, 1, 2, 3, 4}),
                         str16("c"),  // the client id keeps its int16 length
                         bytes({0}),  // header tagged fields
                         cstr("pw"), cstr("1"), bytes({0})}));
}

TEST(KafkaFraming, AppendsAfterWhatIsAlreadyInTheBuffer) {
  Bytes out = bytes({0xAA});
  encode_request(out, 0, 1, "", ApiVersionsRequest{});
  EXPECT_EQ(out, bytes({0xAA, 0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0}));
}

TEST(KafkaFraming, RejectsAVersionTheCodecDoesNotImplement) {
  Bytes out = bytes({1});
  expect_error([&] { encode_request(out, 3, 1, "c", MetadataRequest{}); },
               ErrorCode::invalid_argument, "kafka Metadata request: version 3");
  EXPECT_EQ(out, bytes({1})) << "the buffer is left as it was";
}

TEST(KafkaFraming, RejectsAFrameOverTheLimitAndLeavesTheBufferAsItWas) {
  Bytes out = bytes({1, 2});
  MetadataRequest request;
  request.topics.emplace(1, MetadataRequest::Topic{{}, std::string(100, 't')});
  expect_error([&] { encode_request(out, 12, 1, "c", request, 64); }, ErrorCode::invalid_argument,
               "more than the 64 allowed");
  EXPECT_EQ(out, bytes({1, 2}));
}

TEST(KafkaFraming, CompleteFrameSizeWaitsForTheWholeFrame) {
  const Bytes frame = bytes({0, 0, 0, 3, 9, 9, 9, 0, 0});
  EXPECT_EQ(complete_frame_size(std::span(frame).first(3), 100), 0U);
  EXPECT_EQ(complete_frame_size(std::span(frame).first(6), 100), 0U);
  EXPECT_EQ(complete_frame_size(std::span(frame).first(7), 100), 7U);
  EXPECT_EQ(complete_frame_size(frame, 100), 7U) << "the next frame's bytes are not counted";
  EXPECT_EQ(complete_frame_size(bytes({0, 0, 0, 0}), 100), 4U) << "an empty frame";
}

TEST(KafkaFraming, CompleteFrameSizeRejectsNegativeAndOversizedFrames) {
  expect_protocol_error(
      [] {
        static_cast<void>(complete_frame_size(bytes({0xFF, 0, 0, 0}), 100));
      },
      "negative frame size");
  expect_protocol_error(
      [] {
        static_cast<void>(complete_frame_size(bytes({0, 0, 0, 101}), 100));
      },
      "frame of 101 bytes exceeds the limit of 100");
  EXPECT_EQ(complete_frame_size(bytes({0, 0, 0, 100}), 100), 0U) << "at the limit is allowed";
}

TEST(KafkaFraming, ReadsResponseHeaderV0AndV1) {
  const Bytes v0 = bytes({0, 0, 1, 0, 0xAB});
  const ResponseHeader h0 = read_response_header(v0, false);
  EXPECT_EQ(h0.correlation_id, 256);
  ASSERT_EQ(h0.body.size(), 1U);
  EXPECT_EQ(h0.body[0], 0xAB);

  // v1: the correlation id, then tagged fields (here one unknown field, skipped).
  const Bytes v1 = bytes({0, 0, 0, 5, 1, 9, 1, 0x77, 0xAB, 0xCD});
  const ResponseHeader h1 = read_response_header(v1, true);
  EXPECT_EQ(h1.correlation_id, 5);
  ASSERT_EQ(h1.body.size(), 2U);
  EXPECT_EQ(h1.body.data(), v1.data() + 8) << "the body is a view into the frame";
}

TEST(KafkaFraming, PeeksTheCorrelationId) {
  EXPECT_EQ(peek_correlation_id(bytes({0xFF, 0xFF, 0xFF, 0xFE, 1})), -2);
  expect_protocol_error(
      [] {
        static_cast<void>(peek_correlation_id(bytes({0, 0})));
      },
      "correlation_id: truncated");
}

TEST(KafkaApi, NamesAndFlexibleVersions) {
  EXPECT_EQ(api_name(ApiKey::metadata), "Metadata");
  EXPECT_EQ(api_name(ApiKey::consumer_group_heartbeat), "ConsumerGroupHeartbeat");
  EXPECT_EQ(api_name(static_cast<ApiKey>(999)), "unknown");
  EXPECT_FALSE(flexible(ApiKey::metadata, 8));
  EXPECT_TRUE(flexible(ApiKey::metadata, 9));
  EXPECT_FALSE(flexible(ApiKey::produce, 8));
  EXPECT_TRUE(flexible(ApiKey::produce, 9));
  EXPECT_TRUE(flexible(ApiKey::fetch, 12));
  EXPECT_FALSE(flexible(ApiKey::sasl_handshake, 1));
  EXPECT_TRUE(flexible(ApiKey::consumer_group_heartbeat, 0));
}

TEST(KafkaApi, ApiVersionsResponsesAlwaysUseHeaderV0) {
  EXPECT_TRUE(flexible(ApiKey::api_versions, 3));
  EXPECT_FALSE(flexible_response_header(ApiKey::api_versions, 3));
  EXPECT_FALSE(flexible_response_header(ApiKey::api_versions, 4));
  EXPECT_TRUE(flexible_response_header(ApiKey::metadata, 12));
  EXPECT_FALSE(flexible_response_header(ApiKey::metadata, 8));
}

TEST(KafkaApi, ClientVersionsStartAtKafka4Floors) {
  EXPECT_EQ(client_versions(ApiKey::produce), (VersionRange{7, 11}));
  EXPECT_EQ(client_versions(ApiKey::fetch), (VersionRange{4, 17}));
  EXPECT_EQ(client_versions(ApiKey::metadata), (VersionRange{4, 12}));
  EXPECT_EQ(client_versions(ApiKey::api_versions), (VersionRange{0, 4}));
  EXPECT_TRUE(client_versions(ApiKey::join_group).empty()) << "no codec for JoinGroup";
}

TEST(KafkaApi, PickVersionTakesTheNewestCommonVersion) {
  // Overlapping: the broker goes higher than we do.
  EXPECT_EQ(pick_version(ApiKey::metadata, {0, 13}), 12);
  // Overlapping: the broker stops below our newest.
  EXPECT_EQ(pick_version(ApiKey::metadata, {0, 9}), 9);
  // The broker's range inside ours.
  EXPECT_EQ(pick_version(ApiKey::fetch, {5, 6}), 6);
  // Touching at one version.
  EXPECT_EQ(pick_version(ApiKey::produce, {0, 7}), 7);
  EXPECT_EQ(pick_version(ApiKey::produce, {11, 20}), 11);
}

TEST(KafkaApi, PickVersionFindsNothingWhenTheRangesDoNotMeet) {
  // Broker entirely below our floor (an old broker).
  EXPECT_EQ(pick_version(ApiKey::produce, {0, 6}), std::nullopt);
  // Broker entirely above our newest (a future broker that dropped our versions).
  EXPECT_EQ(pick_version(ApiKey::metadata, {13, 15}), std::nullopt);
  // An API we have no codec for, and an empty broker range.
  EXPECT_EQ(pick_version(ApiKey::join_group, {0, 9}), std::nullopt);
  EXPECT_EQ(pick_version(ApiKey::metadata, {5, 4}), std::nullopt);
}

TEST(KafkaErrors, KnowsNamesNumbersAndRetriability) {
  EXPECT_EQ(kafka_error(kafka_errc::not_leader_or_follower).name, "NOT_LEADER_OR_FOLLOWER");
  EXPECT_TRUE(kafka_error(kafka_errc::not_leader_or_follower).retriable);
  EXPECT_EQ(kafka_error(kafka_errc::topic_authorization_failed).name, "TOPIC_AUTHORIZATION_FAILED");
  EXPECT_FALSE(kafka_error(kafka_errc::topic_authorization_failed).retriable);
  EXPECT_EQ(kafka_error(kafka_errc::stale_member_epoch).name, "STALE_MEMBER_EPOCH");
  EXPECT_EQ(kafka_error(kafka_errc::unknown_topic_id).name, "UNKNOWN_TOPIC_ID");
  EXPECT_TRUE(kafka_error(kafka_errc::unknown_topic_id).retriable);
  EXPECT_EQ(kafka_error(120).name, "TRANSACTION_ABORTABLE");
  EXPECT_EQ(kafka_error(0).name, "NONE");
}

TEST(KafkaErrors, CoversEveryCodeFromMinusOneTo120ButTheUnassigned99) {
  for (int code = -1; code <= 120; ++code) {
    const auto c = static_cast<std::int16_t>(code);
    EXPECT_EQ(is_known_kafka_error(c), code != 99) << code;
    if (code != 99) {
      EXPECT_EQ(kafka_error(c).code, c);
    }
  }
  std::int16_t previous = -2;
  for (const auto& e : kafka_errors()) {
    EXPECT_GT(e.code, previous) << "in numeric order, no duplicates";
    previous = e.code;
  }
}

TEST(KafkaErrors, AnUnknownCodeYieldsTheUnknownServerErrorEntry) {
  EXPECT_FALSE(is_known_kafka_error(4000));
  EXPECT_EQ(kafka_error(4000).name, "UNKNOWN_SERVER_ERROR");
  EXPECT_EQ(kafka_error(-7).code, -1);
  EXPECT_FALSE(kafka_error(99).retriable);
}

}  // namespace
}  // namespace postwire::kafka
