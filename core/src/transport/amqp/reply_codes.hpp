#pragma once

#include <cstdint>
#include <string_view>

#include "postwire/error.hpp"

namespace postwire::amqp {

// Where a broker's close came from, for the wording of the error.
enum class CloseScope { connection, channel };

// The Error for a connection.close or channel.close from the broker: the AMQP reply code
// (spec section 1.2, "constants") mapped to a postwire code, the broker's text quoted, and
// the method that caused it named. During the handshake an ACCESS_REFUSED means the
// credentials were rejected.
Error error_from_close(CloseScope scope, std::uint16_t reply_code, std::string_view reply_text,
                       std::uint16_t class_id, std::uint16_t method_id, bool during_handshake);

}  // namespace postwire::amqp
