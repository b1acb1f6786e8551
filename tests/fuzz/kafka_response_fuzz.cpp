// libFuzzer target for the Kafka response codecs: byte 0 picks the API, byte 1 the version
// within what the codec implements, and the rest is given both to that API's decode as a
// response body and, read as a frame, to complete_frame_size and read_response_header.
// postwire::Exception is the only acceptable failure; anything else (a crash, a sanitizer
// report, another exception) is a bug.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "postwire/error.hpp"
#include "protocol/kafka/api.hpp"
#include "protocol/kafka/framing.hpp"
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

namespace {

using namespace postwire::kafka;

// In the order make_kafka_seeds.py numbers them.
constexpr std::array apis = {
    ApiKey::api_versions,   ApiKey::metadata,          ApiKey::produce,
    ApiKey::fetch,          ApiKey::list_offsets,      ApiKey::init_producer_id,
    ApiKey::create_topics,  ApiKey::delete_topics,     ApiKey::delete_records,
    ApiKey::sasl_handshake, ApiKey::sasl_authenticate, ApiKey::find_coordinator,
};

// Touches what a caller would read, so that a view pointing outside the input shows up
// under ASan.
std::size_t touch(std::span<const std::uint8_t> bytes) {
  std::size_t sum = 0;
  for (const std::uint8_t b : bytes) sum += b;
  return sum;
}

void decode(ApiKey api, std::int16_t version, std::span<const std::uint8_t> body) {
  switch (api) {
    case ApiKey::api_versions:
      static_cast<void>(ApiVersionsResponse::decode(body, version));
      break;
    case ApiKey::metadata:
      static_cast<void>(MetadataResponse::decode(body, version));
      break;
    case ApiKey::produce:
      static_cast<void>(ProduceResponse::decode(body, version));
      break;
    case ApiKey::fetch: {
      const FetchResponse r = FetchResponse::decode(body, version);
      std::size_t sum = 0;
      for (const auto& topic : r.responses) {
        for (const auto& partition : topic.partitions) sum += touch(partition.records);
      }
      static_cast<void>(sum);
      break;
    }
    case ApiKey::list_offsets:
      static_cast<void>(ListOffsetsResponse::decode(body, version));
      break;
    case ApiKey::init_producer_id:
      static_cast<void>(InitProducerIdResponse::decode(body, version));
      break;
    case ApiKey::create_topics:
      static_cast<void>(CreateTopicsResponse::decode(body, version));
      break;
    case ApiKey::delete_topics:
      static_cast<void>(DeleteTopicsResponse::decode(body, version));
      break;
    case ApiKey::delete_records:
      static_cast<void>(DeleteRecordsResponse::decode(body, version));
      break;
    case ApiKey::sasl_handshake:
      static_cast<void>(SaslHandshakeResponse::decode(body, version));
      break;
    case ApiKey::sasl_authenticate:
      static_cast<void>(SaslAuthenticateResponse::decode(body, version));
      break;
    case ApiKey::find_coordinator:
      static_cast<void>(FindCoordinatorResponse::decode(body, version));
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  const ApiKey api = apis[data[0] % apis.size()];
  const VersionRange range = client_versions(api);
  const auto version = static_cast<std::int16_t>(range.min + data[1] % (range.max - range.min + 1));
  const std::span<const std::uint8_t> rest(data + 2, size - 2);

  try {
    decode(api, version, rest);
  } catch (const postwire::Exception&) {
    // A malformed body: a clean rejection is the expected outcome.
  }

  try {
    const std::size_t frame_size = complete_frame_size(rest, 1U << 16U);
    if (frame_size != 0) {
      const auto frame = rest.subspan(4, frame_size - 4);
      static_cast<void>(peek_correlation_id(frame));
      const ResponseHeader header =
          read_response_header(frame, flexible_response_header(api, version));
      decode(api, version, header.body);
    }
  } catch (const postwire::Exception&) {
    // A malformed frame.
  }
  return 0;
}
