#include "protocol/kafka/messages/sasl_authenticate.hpp"

namespace postwire::kafka {

void SaslAuthenticateRequest::encode(Writer& w, std::int16_t version) const {
  require_version(api_key, version, "request");
  const bool flex = flexible(api_key, version);
  w.bytes(auth_bytes, flex);
  w.tagged_fields_end(flex);
}

SaslAuthenticateResponse SaslAuthenticateResponse::decode(std::span<const std::uint8_t> body,
                                                          std::int16_t version) {
  require_version(ApiKey::sasl_authenticate, version, "response");
  const bool flex = flexible(ApiKey::sasl_authenticate, version);
  Reader in(body, "SaslAuthenticate response", version);
  SaslAuthenticateResponse r;
  r.error_code = in.i16("error_code");
  r.error_message = in.nstr("error_message", flex);
  const auto bytes = in.bytes("auth_bytes", flex);
  r.auth_bytes.assign(bytes.begin(), bytes.end());
  if (version >= 1) r.session_lifetime_ms = in.i64("session_lifetime_ms");
  in.tagged_fields_end(flex);
  in.expect_end();
  return r;
}

}  // namespace postwire::kafka
