#pragma once

#include <string_view>

namespace postwire::client {

// Names of the headers (or message attributes) postwire writes and reads on every broker.
// They are part of the wire format other clients rely on: see docs/envelope.md before
// changing one.

// The delivery attempt, 1-based; incremented each time postwire re-publishes a message.
inline constexpr std::string_view attempt_header = "pw-attempt";
// Why a message was dead-lettered, set on the copy sent to the dead-letter destination.
inline constexpr std::string_view dead_letter_reason_header = "pw-dead-letter-reason";
// Where a dead-lettered message was first sent.
inline constexpr std::string_view original_destination_header = "pw-original-destination";
// The ordering key, where the broker's routing cannot carry it.
inline constexpr std::string_view key_header = "pw-key";
// The message id, where the broker has no native message-id property.
inline constexpr std::string_view id_header = "pw-id";
// The content type, where the broker has no content-type property.
inline constexpr std::string_view content_type_header = "pw-content-type";
// The body encoding, where the broker has no content-encoding property.
inline constexpr std::string_view encoding_header = "pw-encoding";

}  // namespace postwire::client
