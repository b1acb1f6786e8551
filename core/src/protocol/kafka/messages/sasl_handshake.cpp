#include "protocol/kafka/messages/sasl_handshake.hpp"

#include "protocol/kafka/messages/common.hpp"

namespace postwire::kafka {

void SaslHandshakeRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  w.string(mechanism);
}

SaslHandshakeResponse SaslHandshakeResponse::decode(std::span<const std::uint8_t> body,
                                                    std::int16_t version) {
  require_version(ApiKey::sasl_handshake, version, "response");
  Reader in(body, "SaslHandshake response", version);
  SaslHandshakeResponse r;
  r.error_code = in.i16("error_code");
  r.mechanisms = read_string_array(in, "mechanisms", false);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
