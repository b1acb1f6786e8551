// Golden bytes for Kafka requests and responses, built by hand from the message schemas
// (clients/src/main/resources/common/message/*.json): each field in schema order, present
// in the versions its "versions" names, compact and with tagged-field sections in the
// schema's "flexibleVersions". Requests at the newest and the floor version of each API;
// responses decoded from hand-built bytes.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka_test_util.hpp"
#include "protocol/kafka/api.hpp"
#include "protocol/kafka/messages/api_versions.hpp"
#include "protocol/kafka/messages/create_topics.hpp"
#include "protocol/kafka/messages/delete_records.hpp"
#include "protocol/kafka/messages/delete_topics.hpp"
#include "protocol/kafka/messages/fetch.hpp"
#include "protocol/kafka/messages/find_coordinator.hpp"
#include "protocol/kafka/messages/init_producer_id.hpp"
#include "protocol/kafka/messages/list_offsets.hpp"
#include "protocol/kafka/messages/metadata.hpp"
#include "protocol/kafka/messages/produce.hpp"
#include "protocol/kafka/messages/sasl_authenticate.hpp"
#include "protocol/kafka/messages/sasl_handshake.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {
namespace {

using test::Bytes;
using test::bytes;
using test::concat;
using test::cstr;
using test::expect_error;
using test::expect_protocol_error;
using test::i16;
using test::i32;
using test::i64;
using test::str16;

template <typename Request>
Bytes body_of(const Request& request, std::int16_t version) {
  Bytes out;
  Writer w(out);
  request.encode(w, version);
  return out;
}

// Every strict prefix of a valid body is rejected as truncated: decode never reads past the
// end, and never mistakes a cut-off message for a whole one.
template <typename Response>
void expect_every_prefix_rejected(const Bytes& body, std::int16_t version) {
  for (std::size_t n = 0; n < body.size(); ++n) {
    try {
      static_cast<void>(Response::decode(std::span(body).first(n), version));
      ADD_FAILURE() << "a prefix of " << n << " of " << body.size() << " bytes decoded";
    } catch (const Exception& e) {
      EXPECT_EQ(e.code(), ErrorCode::protocol_error) << e.what();
    }
  }
}

Uuid uuid_of(std::uint8_t last) {
  Uuid id{};
  id[0] = 0xA0;
  id[15] = last;
  return id;
}
Bytes uuid_bytes(std::uint8_t last) {
  const Uuid id = uuid_of(last);
  return {id.begin(), id.end()};
}

// ---------------------------------------------------------------- ApiVersions

TEST(KafkaApiVersions, RequestV4CarriesTheClientSoftware) {
  ApiVersionsRequest request;
  request.client_software_name = "postwire";
  request.client_software_version = "0.1";
  EXPECT_EQ(body_of(request, 4), concat({cstr("postwire"), cstr("0.1"), bytes({0})}));
}

TEST(KafkaApiVersions, RequestV0IsEmpty) { EXPECT_EQ(body_of(ApiVersionsRequest{}, 0), Bytes{}); }

Bytes api_versions_v3_body() {
  return concat({i16(0),                               // error_code
                 bytes({3}),                           // api_keys: 2 entries
                 i16(0), i16(3), i16(11), bytes({0}),  // Produce 3-11
                 i16(18), i16(0), i16(4), bytes({0}),  // ApiVersions 0-4
                 i32(0),                               // throttle_time_ms
                 // tagged fields: SupportedFeatures (tag 0) and FinalizedFeaturesEpoch
                 // (tag 1), neither kept.
                 bytes({2, 0, 1, 1, 1, 8}), i64(3)});
}

TEST(KafkaApiVersions, DecodesAFlexibleResponseSkippingItsTaggedFields) {
  const auto r = ApiVersionsResponse::decode(api_versions_v3_body(), 3);
  EXPECT_EQ(r.error_code, 0);
  EXPECT_EQ(r.body_version, 3);
  ASSERT_EQ(r.api_keys.size(), 2U);
  EXPECT_EQ(r.api_keys[0], (ApiVersionsResponse::ApiVersion{0, 3, 11}));
  EXPECT_EQ(r.versions(ApiKey::api_versions), (VersionRange{0, 4}));
  EXPECT_EQ(r.versions(ApiKey::fetch), std::nullopt);
}

Bytes api_versions_v0_unsupported_body() {
  return concat({i16(35), i32(1), i16(18), i16(0), i16(2)});
}

TEST(KafkaApiVersions, FallsBackToTheV0BodyOfAnUnsupportedVersionAnswer) {
  // Asked at v4 of a broker that knows only 0-2: it answers UNSUPPORTED_VERSION in v0 form.
  const auto r = ApiVersionsResponse::decode(api_versions_v0_unsupported_body(), 4);
  EXPECT_EQ(r.error_code, 35);
  EXPECT_EQ(r.body_version, 0);
  EXPECT_EQ(r.versions(ApiKey::api_versions), (VersionRange{0, 2}));
}

TEST(KafkaApiVersions, GarbageIsNotTakenForAFallback) {
  // A v0 body whose error is not UNSUPPORTED_VERSION is no fallback: the error reported is
  // the one at the version asked for.
  const Bytes v0_ok = concat({i16(0), i32(0)});
  expect_protocol_error([&] { static_cast<void>(ApiVersionsResponse::decode(v0_ok, 3)); },
                        "kafka ApiVersions response v3: api_keys");
  expect_every_prefix_rejected<ApiVersionsResponse>(api_versions_v3_body(), 3);
}

// ---------------------------------------------------------------- Metadata

TEST(KafkaMetadata, RequestV12ByName) {
  MetadataRequest request;
  request.topics.emplace();
  request.topics->push_back({{}, "orders"});
  request.allow_auto_topic_creation = false;
  EXPECT_EQ(body_of(request, 12),
            concat({bytes({2}), Bytes(16, 0), cstr("orders"), bytes({0}),  // topics
                    bytes({0}),  // allow_auto_topic_creation
                    bytes({0}),  // include_topic_authorized_operations
                    bytes({0})}));
}

TEST(KafkaMetadata, RequestV4ForAllTopics) {
  EXPECT_EQ(body_of(MetadataRequest{}, 4), bytes({0xFF, 0xFF, 0xFF, 0xFF, 1}));
}

TEST(KafkaMetadata, RequestV8ToV10CarryBothAuthorizedOperationsFlags) {
  MetadataRequest request;
  request.topics.emplace();
  request.include_cluster_authorized_operations = true;
  EXPECT_EQ(body_of(request, 8), concat({i32(0), bytes({1, 1, 0})}));
  EXPECT_EQ(body_of(request, 10), bytes({1, 1, 1, 0, 0}));
}

TEST(KafkaMetadata, AskingByTopicIdNeedsV10) {
  MetadataRequest request;
  request.topics.emplace();
  request.topics->push_back({uuid_of(1), std::nullopt});
  expect_error([&] { body_of(request, 9); }, ErrorCode::invalid_argument, "version 10");
  EXPECT_EQ(body_of(request, 12), concat({bytes({2}), uuid_bytes(1), bytes({0, 0, 1, 0, 0})}));
}

Bytes metadata_v12_body() {
  return concat({i32(0),  // throttle_time_ms
                 bytes({2}),
                 i32(1),
                 cstr("kafka-1"),
                 i32(9092),
                 bytes({0}),
                 bytes({0}),  // brokers
                 cstr("cluster"),
                 i32(1),      // cluster_id, controller_id
                 bytes({2}),  // topics: 1
                 i16(0),
                 cstr("orders"),
                 uuid_bytes(7),
                 bytes({0}),
                 bytes({2}),  // partitions: 1
                 i16(0),
                 i32(0),
                 i32(1),
                 i32(5),
                 bytes({2}),
                 i32(1),  // replica_nodes
                 bytes({2}),
                 i32(1),      // isr_nodes
                 bytes({1}),  // offline_replicas
                 bytes({0}),  // partition tagged fields
                 i32(-2147483648),
                 bytes({0}),
                 bytes({1, 9, 2, 0xAB, 0xCD})});  // an unknown tagged field, skipped
}

TEST(KafkaMetadata, DecodesAFlexibleResponse) {
  const auto r = MetadataResponse::decode(metadata_v12_body(), 12);
  ASSERT_EQ(r.brokers.size(), 1U);
  EXPECT_EQ(r.brokers[0], (MetadataResponse::Broker{1, "kafka-1", 9092, std::nullopt}));
  EXPECT_EQ(r.cluster_id, "cluster");
  EXPECT_EQ(r.controller_id, 1);
  ASSERT_EQ(r.topics.size(), 1U);
  const auto& t = r.topics[0];
  EXPECT_EQ(t.name, "orders");
  EXPECT_EQ(t.topic_id, uuid_of(7));
  EXPECT_FALSE(t.is_internal);
  ASSERT_EQ(t.partitions.size(), 1U);
  EXPECT_EQ(t.partitions[0].leader_id, 1);
  EXPECT_EQ(t.partitions[0].leader_epoch, 5);
  EXPECT_EQ(t.partitions[0].replica_nodes, std::vector<std::int32_t>{1});
  EXPECT_EQ(t.partitions[0].isr_nodes, std::vector<std::int32_t>{1});
  EXPECT_TRUE(t.partitions[0].offline_replicas.empty());
  expect_every_prefix_rejected<MetadataResponse>(metadata_v12_body(), 12);
}

TEST(KafkaMetadata, DecodesAClassicV4Response) {
  const Bytes body = concat({i32(10),                                              // throttle
                             i32(1), i32(2), str16("h"), i32(19092), str16("r1"),  // brokers
                             i16(-1), i32(2),  // cluster_id null, controller
                             i32(1), i16(3), str16("gone"), bytes({1}), i32(0)});  // topics
  const auto r = MetadataResponse::decode(body, 4);
  EXPECT_EQ(r.throttle_time_ms, 10);
  EXPECT_EQ(r.brokers[0], (MetadataResponse::Broker{2, "h", 19092, "r1"}));
  EXPECT_EQ(r.cluster_id, std::nullopt);
  ASSERT_EQ(r.topics.size(), 1U);
  EXPECT_EQ(r.topics[0].error_code, 3);
  EXPECT_TRUE(r.topics[0].is_internal);
  EXPECT_EQ(r.topics[0].partitions.size(), 0U);
  expect_every_prefix_rejected<MetadataResponse>(body, 4);
}

TEST(KafkaMetadata, TruncationNamesTheField) {
  // The first broker's host announces 20 bytes; 10 follow.
  const Bytes body = concat({i32(0), bytes({2}), i32(1), bytes({21}), test::text("0123456789")});
  expect_protocol_error([&] { static_cast<void>(MetadataResponse::decode(body, 12)); },
                        "kafka Metadata response v12: brokers.host: truncated");
}

TEST(KafkaMetadata, LeftoverBytesAreAnError) {
  Bytes body = metadata_v12_body();
  body.push_back(0);
  expect_protocol_error([&] { static_cast<void>(MetadataResponse::decode(body, 12)); },
                        "1 unexpected bytes after the last field");
}

TEST(KafkaMetadata, AnOversizedReplicaArrayDoesNotAllocate) {
  // replica_nodes announcing 2^31 - 1 elements in a classic v8 body.
  const Bytes body =
      concat({i32(0), i32(0), i16(-1), i32(1), i32(1), i16(0), str16("t"), bytes({0}), i32(1),
              i16(0), i32(0), i32(1), i32(0), i32(0x7FFFFFFF), i32(1)});
  expect_protocol_error([&] { static_cast<void>(MetadataResponse::decode(body, 8)); },
                        "topics.partitions.replica_nodes: array of 2147483647 elements");
}

TEST(KafkaMetadata, DecodeRejectsAVersionTheCodecDoesNotImplement) {
  expect_error([] { static_cast<void>(MetadataResponse::decode({}, 3)); },
               ErrorCode::invalid_argument, "version 3");
}

// ---------------------------------------------------------------- Produce

const Bytes batch = bytes({0xB0, 0xB1, 0xB2});

ProduceRequest sample_produce() {
  ProduceRequest request;
  request.acks = -1;
  request.timeout_ms = 1000;
  request.topic_data.push_back({"orders", {{2, batch}}});
  return request;
}

TEST(KafkaProduce, RequestV11) {
  EXPECT_EQ(body_of(sample_produce(), 11),
            concat({bytes({0}), i16(-1), i32(1000),  // transactional_id null, acks, timeout
                    bytes({2}), cstr("orders"),      // topic_data
                    bytes({2}), i32(2), bytes({4}), batch, bytes({0}),  // partition_data
                    bytes({0}), bytes({0})}));
}

TEST(KafkaProduce, RequestV7) {
  ProduceRequest request = sample_produce();
  request.transactional_id = "tx";
  EXPECT_EQ(body_of(request, 7), concat({str16("tx"), i16(-1), i32(1000), i32(1), str16("orders"),
                                         i32(1), i32(2), i32(3), batch}));
}

Bytes produce_v11_body() {
  return concat({bytes({2}), cstr("orders"), bytes({2}),       // partition_responses: 1
                 i32(2), i16(6), i64(-1), i64(-1), i64(0),     // index, error, offsets
                 bytes({2}), i32(0), cstr("bad"), bytes({0}),  // record_errors
                 cstr("not leader"),                           // error_message
                 // tagged: current_leader (tag 0: leader 3, epoch 9) and an unknown tag 5
                 bytes({2, 0, 9}), i32(3), i32(9), bytes({0}), bytes({5, 1, 0xEE}),
                 bytes({0}),  // topic tagged fields
                 i32(20),     // throttle_time_ms
                 // tagged: node_endpoints (tag 0)
                 bytes({1, 0, 19, 2}), i32(3), cstr("kafka-3"), i32(9092), bytes({0}), bytes({0})});
}

TEST(KafkaProduce, DecodesAFlexibleResponseWithTheNewLeader) {
  const auto r = ProduceResponse::decode(produce_v11_body(), 11);
  ASSERT_EQ(r.responses.size(), 1U);
  EXPECT_EQ(r.responses[0].name, "orders");
  ASSERT_EQ(r.responses[0].partition_responses.size(), 1U);
  const auto& p = r.responses[0].partition_responses[0];
  EXPECT_EQ(p.index, 2);
  EXPECT_EQ(p.error_code, 6);
  EXPECT_EQ(p.log_start_offset, 0);
  ASSERT_EQ(p.record_errors.size(), 1U);
  EXPECT_EQ(p.record_errors[0].batch_index_error_message, "bad");
  EXPECT_EQ(p.error_message, "not leader");
  EXPECT_EQ(p.current_leader, (LeaderIdAndEpoch{3, 9}));
  EXPECT_EQ(r.throttle_time_ms, 20);
  ASSERT_EQ(r.node_endpoints.size(), 1U);
  EXPECT_EQ(r.node_endpoints[0], (NodeEndpoint{3, "kafka-3", 9092, std::nullopt}));
  expect_every_prefix_rejected<ProduceResponse>(produce_v11_body(), 11);
}

TEST(KafkaProduce, DecodesAClassicV7Response) {
  const Bytes body =
      concat({i32(1), str16("orders"), i32(1), i32(0), i16(0), i64(41), i64(-1), i64(7), i32(0)});
  const auto r = ProduceResponse::decode(body, 7);
  const auto& p = r.responses.at(0).partition_responses.at(0);
  EXPECT_EQ(p.base_offset, 41);
  EXPECT_EQ(p.log_start_offset, 7);
  EXPECT_EQ(p.current_leader, std::nullopt);
  EXPECT_EQ(r.throttle_time_ms, 0);
  expect_every_prefix_rejected<ProduceResponse>(body, 7);
}

TEST(KafkaProduce, TagZeroMeansNothingBeforeV10) {
  // v9 is flexible but knows no tagged fields: tag 0 is skipped, not read as current_leader.
  const Bytes body =
      concat({bytes({2}), cstr("t"), bytes({2}), i32(0), i16(0), i64(0), i64(-1), i64(-1),
              bytes({1}), bytes({0}), bytes({1, 0, 1, 0xFF}), bytes({0}), i32(0), bytes({0})});
  const auto r = ProduceResponse::decode(body, 9);
  EXPECT_EQ(r.responses.at(0).partition_responses.at(0).current_leader, std::nullopt);
}

// ---------------------------------------------------------------- Fetch

FetchRequest sample_fetch() {
  FetchRequest request;
  request.max_wait_ms = 500;
  request.min_bytes = 1;
  request.max_bytes = 52428800;
  request.isolation_level = 1;
  FetchRequest::Topic topic;
  topic.topic = "orders";
  topic.topic_id = uuid_of(7);
  topic.partitions.push_back({0, 4, 42, 3, -1, 1048576});
  request.topics.push_back(topic);
  return request;
}

TEST(KafkaFetch, RequestV17ByTopicId) {
  EXPECT_EQ(
      body_of(sample_fetch(), 17),
      concat(
          {i32(500),     i32(1),        i32(52428800), bytes({1}),  // no replica_id from v15
           i32(0),       i32(-1),                                   // session id, epoch
           bytes({2}),   uuid_bytes(7),                             // topics
           bytes({2}),   i32(0),        i32(4),        i64(42),    i32(3), i64(-1),
           i32(1048576), bytes({0}),    bytes({0}),    bytes({1}),  // forgotten_topics_data: none
           bytes({1}),                                              // rack_id ""
           bytes({0})}));
}

TEST(KafkaFetch, RequestV4ByName) {
  EXPECT_EQ(body_of(sample_fetch(), 4),
            concat({i32(-1), i32(500), i32(1), i32(52428800), bytes({1}), i32(1), str16("orders"),
                    i32(1), i32(0), i64(42), i32(1048576)}));
}

TEST(KafkaFetch, RequestV15SendsReplicaStateOnlyForAFollower) {
  FetchRequest request;
  request.replica_id = 4;
  request.replica_epoch = 8;
  const Bytes body = body_of(request, 15);
  // ... rack_id "", then one tagged field: tag 1, 13 bytes (int32, int64, no tagged fields).
  const Bytes tail = concat({bytes({1, 1, 1, 13}), i32(4), i64(8), bytes({0})});
  ASSERT_GE(body.size(), tail.size());
  EXPECT_EQ(Bytes(body.end() - static_cast<std::ptrdiff_t>(tail.size()), body.end()), tail);
  EXPECT_EQ(body_of(FetchRequest{}, 15).back(), 0) << "a consumer sends no tagged fields";
}

Bytes fetch_v17_body() {
  return concat({i32(0), i16(0), i32(77),    // throttle, error, session id
                 bytes({2}), uuid_bytes(7),  // responses
                 bytes({2}), i32(0), i16(0), i64(100), i64(90), i64(0),
                 bytes({0}),         // aborted_transactions null
                 i32(-1),            // preferred_read_replica
                 bytes({4}), batch,  // records
                 // tagged: current_leader (tag 1) and SnapshotId (tag 2, skipped)
                 bytes({2, 1, 9}), i32(2), i32(6), bytes({0}), bytes({2, 1, 0}), bytes({0}),
                 bytes({0})});
}

TEST(KafkaFetch, DecodesAFlexibleResponseWithRecordsAsAView) {
  const Bytes body = fetch_v17_body();
  const auto r = FetchResponse::decode(body, 17);
  EXPECT_EQ(r.session_id, 77);
  ASSERT_EQ(r.responses.size(), 1U);
  EXPECT_EQ(r.responses[0].topic_id, uuid_of(7));
  ASSERT_EQ(r.responses[0].partitions.size(), 1U);
  const auto& p = r.responses[0].partitions[0];
  EXPECT_EQ(p.high_watermark, 100);
  EXPECT_EQ(p.last_stable_offset, 90);
  EXPECT_EQ(p.aborted_transactions, std::nullopt);
  EXPECT_EQ(Bytes(p.records.begin(), p.records.end()), batch);
  EXPECT_GE(p.records.data(), body.data());
  EXPECT_LT(p.records.data(), body.data() + body.size()) << "records point into the body";
  EXPECT_EQ(p.current_leader, (LeaderIdAndEpoch{2, 6}));
  EXPECT_EQ(p.diverging_epoch, std::nullopt);
  expect_every_prefix_rejected<FetchResponse>(body, 17);
}

TEST(KafkaFetch, DecodesAClassicV4ResponseWithAbortedTransactions) {
  const Bytes body = concat({i32(5), i32(1), str16("orders"), i32(1), i32(3), i16(1), i64(10),
                             i64(10), i32(1), i64(1000), i64(4), i32(-1)});
  const auto r = FetchResponse::decode(body, 4);
  EXPECT_EQ(r.throttle_time_ms, 5);
  const auto& p = r.responses.at(0).partitions.at(0);
  EXPECT_EQ(r.responses[0].topic, "orders");
  EXPECT_EQ(p.partition_index, 3);
  EXPECT_EQ(p.error_code, 1);
  EXPECT_EQ(p.log_start_offset, -1) << "not in v4";
  ASSERT_TRUE(p.aborted_transactions.has_value());
  EXPECT_EQ(*p.aborted_transactions, (std::vector<FetchResponse::AbortedTransaction>{{1000, 4}}));
  EXPECT_TRUE(p.records.empty()) << "null records";
  expect_every_prefix_rejected<FetchResponse>(body, 4);
}

// ---------------------------------------------------------------- ListOffsets

ListOffsetsRequest sample_list_offsets() {
  ListOffsetsRequest request;
  request.topics.push_back({"orders", {{1, 5, list_offsets_earliest}}});
  request.timeout_ms = 1500;
  return request;
}

TEST(KafkaListOffsets, RequestV10) {
  EXPECT_EQ(body_of(sample_list_offsets(), 10),
            concat({i32(-1), bytes({0}), bytes({2}), cstr("orders"), bytes({2}), i32(1), i32(5),
                    i64(-2), bytes({0}), bytes({0}), i32(1500), bytes({0})}));
}

TEST(KafkaListOffsets, RequestV1) {
  EXPECT_EQ(body_of(sample_list_offsets(), 1),
            concat({i32(-1), i32(1), str16("orders"), i32(1), i32(1), i64(-2)}));
}

TEST(KafkaListOffsets, DecodesFlexibleAndClassicResponses) {
  const Bytes v10 =
      concat({i32(0), bytes({2}), cstr("orders"), bytes({2}), i32(1), i16(0), i64(-1), i64(1234),
              i32(5), bytes({0}), bytes({0}), bytes({1, 7, 0})});  // an unknown tagged field, empty
  const auto r = ListOffsetsResponse::decode(v10, 10);
  EXPECT_EQ(r.topics.at(0).partitions.at(0), (ListOffsetsResponse::Partition{1, 0, -1, 1234, 5}));
  expect_every_prefix_rejected<ListOffsetsResponse>(v10, 10);

  const Bytes v1 = concat({i32(1), str16("t"), i32(1), i32(0), i16(1), i64(-1), i64(-1)});
  const auto r1 = ListOffsetsResponse::decode(v1, 1);
  EXPECT_EQ(r1.topics.at(0).partitions.at(0), (ListOffsetsResponse::Partition{0, 1, -1, -1, -1}));
  expect_every_prefix_rejected<ListOffsetsResponse>(v1, 1);
}

// ---------------------------------------------------------------- InitProducerId

TEST(KafkaInitProducerId, RequestV5BumpsAnEpoch) {
  InitProducerIdRequest request;
  request.transaction_timeout_ms = 60000;
  request.producer_id = 1000;
  request.producer_epoch = 3;
  EXPECT_EQ(body_of(request, 5), concat({bytes({0}), i32(60000), i64(1000), i16(3), bytes({0})}));
}

TEST(KafkaInitProducerId, RequestV0) {
  InitProducerIdRequest request;
  request.transactional_id = "tx-1";
  request.transaction_timeout_ms = 1000;
  EXPECT_EQ(body_of(request, 0), concat({str16("tx-1"), i32(1000)}));
}

TEST(KafkaInitProducerId, DecodesResponses) {
  const Bytes v5 = concat({i32(0), i16(0), i64(4242), i16(1), bytes({0})});
  EXPECT_EQ(InitProducerIdResponse::decode(v5, 5), (InitProducerIdResponse{0, 0, 4242, 1}));
  expect_every_prefix_rejected<InitProducerIdResponse>(v5, 5);
  const Bytes v0 = concat({i32(3), i16(47), i64(-1), i16(-1)});
  EXPECT_EQ(InitProducerIdResponse::decode(v0, 0), (InitProducerIdResponse{3, 47, -1, -1}));
}

// ---------------------------------------------------------------- CreateTopics

CreateTopicsRequest sample_create_topics() {
  CreateTopicsRequest request;
  CreateTopicsRequest::Topic topic;
  topic.name = "orders";
  topic.num_partitions = 3;
  topic.replication_factor = 1;
  topic.configs.push_back({"cleanup.policy", "compact"});
  request.topics.push_back(topic);
  request.timeout_ms = 5000;
  return request;
}

TEST(KafkaCreateTopics, RequestV7) {
  EXPECT_EQ(body_of(sample_create_topics(), 7),
            concat({bytes({2}), cstr("orders"), i32(3), i16(1), bytes({1}),           // assignments
                    bytes({2}), cstr("cleanup.policy"), cstr("compact"), bytes({0}),  // configs
                    bytes({0}), i32(5000), bytes({0}), bytes({0})}));
}

TEST(KafkaCreateTopics, RequestV2WithAnAssignment) {
  CreateTopicsRequest request = sample_create_topics();
  request.topics[0].num_partitions = -1;
  request.topics[0].replication_factor = -1;
  request.topics[0].assignments.push_back({0, {1, 2}});
  request.topics[0].configs.clear();
  request.validate_only = true;
  EXPECT_EQ(body_of(request, 2), concat({i32(1), str16("orders"), i32(-1), i16(-1), i32(1), i32(0),
                                         i32(2), i32(1), i32(2), i32(0), i32(5000), bytes({1})}));
}

TEST(KafkaCreateTopics, DecodesAFlexibleResponseSkippingConfigs) {
  const Bytes v7 = concat({i32(0), bytes({2}), cstr("orders"), uuid_bytes(3), i16(0), bytes({0}),
                           i32(3), i16(1), bytes({2}), cstr("cleanup.policy"), cstr("compact"),
                           bytes({0}), bytes({5}), bytes({0}), bytes({0}),  // configs
                           bytes({1, 0, 2}), i16(0),  // TopicConfigErrorCode, skipped
                           bytes({0})});
  const auto r = CreateTopicsResponse::decode(v7, 7);
  ASSERT_EQ(r.topics.size(), 1U);
  EXPECT_EQ(r.topics[0],
            (CreateTopicsResponse::Topic{"orders", uuid_of(3), 0, std::nullopt, 3, 1}));
  expect_every_prefix_rejected<CreateTopicsResponse>(v7, 7);
}

TEST(KafkaCreateTopics, DecodesAClassicV2Response) {
  const Bytes v2 = concat({i32(0), i32(1), str16("orders"), i16(36), str16("exists")});
  const auto r = CreateTopicsResponse::decode(v2, 2);
  EXPECT_EQ(r.topics.at(0), (CreateTopicsResponse::Topic{"orders", {}, 36, "exists", -1, -1}));
  expect_every_prefix_rejected<CreateTopicsResponse>(v2, 2);
}

// ---------------------------------------------------------------- DeleteTopics

TEST(KafkaDeleteTopics, RequestV6ByNameOrId) {
  DeleteTopicsRequest request;
  request.topics.push_back({"orders", {}});
  request.topics.push_back({std::nullopt, uuid_of(9)});
  request.timeout_ms = 100;
  EXPECT_EQ(body_of(request, 6),
            concat({bytes({3}), cstr("orders"), Bytes(16, 0), bytes({0}), bytes({0}), uuid_bytes(9),
                    bytes({0}), i32(100), bytes({0})}));
}

TEST(KafkaDeleteTopics, RequestV1ByName) {
  DeleteTopicsRequest request;
  request.topics.push_back({"orders", {}});
  request.timeout_ms = 100;
  EXPECT_EQ(body_of(request, 1), concat({i32(1), str16("orders"), i32(100)}));
  request.topics.push_back({std::nullopt, uuid_of(9)});
  expect_error([&] { body_of(request, 5); }, ErrorCode::invalid_argument, "version 6");
}

TEST(KafkaDeleteTopics, DecodesResponses) {
  const Bytes v6 = concat({i32(0), bytes({2}), bytes({0}), uuid_bytes(9), i16(100),
                           cstr("unknown id"), bytes({0}), bytes({0})});
  const auto r = DeleteTopicsResponse::decode(v6, 6);
  EXPECT_EQ(r.responses.at(0), (DeleteTopicsResponse::Result{"", uuid_of(9), 100, "unknown id"}));
  expect_every_prefix_rejected<DeleteTopicsResponse>(v6, 6);
  const Bytes v1 = concat({i32(0), i32(1), str16("orders"), i16(0)});
  EXPECT_EQ(DeleteTopicsResponse::decode(v1, 1).responses.at(0),
            (DeleteTopicsResponse::Result{"orders", {}, 0, std::nullopt}));
}

// ---------------------------------------------------------------- DeleteRecords

TEST(KafkaDeleteRecords, RequestsAtV2AndV0) {
  DeleteRecordsRequest request;
  request.topics.push_back({"orders", {{0, 50}}});
  request.timeout_ms = 100;
  EXPECT_EQ(body_of(request, 2), concat({bytes({2}), cstr("orders"), bytes({2}), i32(0), i64(50),
                                         bytes({0}), bytes({0}), i32(100), bytes({0})}));
  EXPECT_EQ(body_of(request, 0),
            concat({i32(1), str16("orders"), i32(1), i32(0), i64(50), i32(100)}));
}

TEST(KafkaDeleteRecords, DecodesAFlexibleResponse) {
  const Bytes v2 = concat({i32(0), bytes({2}), cstr("orders"), bytes({2}), i32(0), i64(50), i16(0),
                           bytes({0}), bytes({0}), bytes({0})});
  const auto r = DeleteRecordsResponse::decode(v2, 2);
  EXPECT_EQ(r.topics.at(0).partitions.at(0), (DeleteRecordsResponse::Partition{0, 50, 0}));
  expect_every_prefix_rejected<DeleteRecordsResponse>(v2, 2);
}

// ---------------------------------------------------------------- SASL

TEST(KafkaSaslHandshake, RequestAndResponseV1) {
  EXPECT_EQ(body_of(SaslHandshakeRequest{"PLAIN"}, 1), str16("PLAIN"));
  const Bytes body = concat({i16(33), i32(2), str16("PLAIN"), str16("SCRAM-SHA-512")});
  const auto r = SaslHandshakeResponse::decode(body, 1);
  EXPECT_EQ(r.error_code, 33);
  EXPECT_EQ(r.mechanisms, (std::vector<std::string>{"PLAIN", "SCRAM-SHA-512"}));
  expect_every_prefix_rejected<SaslHandshakeResponse>(body, 1);
}

TEST(KafkaSaslAuthenticate, RequestsAtV2AndV0) {
  const Bytes auth = bytes({0, 'u', 0, 'p'});
  SaslAuthenticateRequest request;
  request.auth_bytes = auth;
  EXPECT_EQ(body_of(request, 2), concat({bytes({5}), auth, bytes({0})}));
  EXPECT_EQ(body_of(request, 0), concat({i32(4), auth}));
}

TEST(KafkaSaslAuthenticate, DecodesResponses) {
  const Bytes v2 = concat({i16(0), bytes({0}), bytes({3, 'o', 'k'}), i64(3600000), bytes({0})});
  const auto r = SaslAuthenticateResponse::decode(v2, 2);
  EXPECT_EQ(r.error_message, std::nullopt);
  EXPECT_EQ(r.auth_bytes, bytes({'o', 'k'}));
  EXPECT_EQ(r.session_lifetime_ms, 3600000);
  expect_every_prefix_rejected<SaslAuthenticateResponse>(v2, 2);
  const Bytes v0 = concat({i16(58), str16("bad password"), i32(0)});
  const auto r0 = SaslAuthenticateResponse::decode(v0, 0);
  EXPECT_EQ(r0.error_code, 58);
  EXPECT_EQ(r0.error_message, "bad password");
  EXPECT_TRUE(r0.auth_bytes.empty());
}

// ---------------------------------------------------------------- FindCoordinator

TEST(KafkaFindCoordinator, RequestV6WithABatchOfKeys) {
  FindCoordinatorRequest request;
  request.key_type = coordinator_key_transaction;
  request.coordinator_keys = {"a", "b"};
  EXPECT_EQ(body_of(request, 6),
            concat({bytes({1}), bytes({3}), cstr("a"), cstr("b"), bytes({0})}));
}

TEST(KafkaFindCoordinator, RequestV1WithOneKey) {
  FindCoordinatorRequest request;
  request.coordinator_keys = {"group-1"};
  EXPECT_EQ(body_of(request, 1), concat({str16("group-1"), bytes({0})}));
  request.coordinator_keys.emplace_back("group-2");
  expect_error([&] { body_of(request, 3); }, ErrorCode::invalid_argument, "exactly one");
}

TEST(KafkaFindCoordinator, DecodesAV6Response) {
  const Bytes v6 = concat({i32(0), bytes({2}), cstr("g"), i32(2), cstr("kafka-2"), i32(9092),
                           i16(0), bytes({0}), bytes({0}), bytes({0})});
  const auto r = FindCoordinatorResponse::decode(v6, 6);
  ASSERT_EQ(r.coordinators.size(), 1U);
  EXPECT_EQ(r.coordinators[0],
            (FindCoordinatorResponse::Coordinator{"g", 2, "kafka-2", 9092, 0, std::nullopt}));
  expect_every_prefix_rejected<FindCoordinatorResponse>(v6, 6);
}

TEST(KafkaFindCoordinator, NormalisesAV1ResponseIntoTheCoordinatorsList) {
  const Bytes v1 = concat({i32(0), i16(15), str16("loading"), i32(-1), str16(""), i32(-1)});
  const auto r = FindCoordinatorResponse::decode(v1, 1);
  ASSERT_EQ(r.coordinators.size(), 1U);
  EXPECT_EQ(r.coordinators[0],
            (FindCoordinatorResponse::Coordinator{"", -1, "", -1, 15, "loading"}));
  expect_every_prefix_rejected<FindCoordinatorResponse>(v1, 1);
}

}  // namespace
}  // namespace postwire::kafka
