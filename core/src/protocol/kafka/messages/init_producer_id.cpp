#include "protocol/kafka/messages/init_producer_id.hpp"

namespace postwire::kafka {

void InitProducerIdRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.nstr(transactional_id, flex);
  w.i32(transaction_timeout_ms);
  if (version >= 3) {
    w.i64(producer_id);
    w.i16(producer_epoch);
  }
  w.tagged_fields_end(flex);
}

InitProducerIdResponse InitProducerIdResponse::decode(std::span<const std::uint8_t> body,
                                                      std::int16_t version) {
  require_version(ApiKey::init_producer_id, version, "response");
  const bool flex = flexible(ApiKey::init_producer_id, version);
  Reader in(body, "InitProducerId response", version);
  InitProducerIdResponse r;
  r.throttle_time_ms = in.i32("throttle_time_ms");
  r.error_code = in.i16("error_code");
  r.producer_id = in.i64("producer_id");
  r.producer_epoch = in.i16("producer_epoch");
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
