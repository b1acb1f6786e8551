#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace postwire::client {

// The marker of a zstd-compressed body: the AMQP content_encoding, and the value of the
// pw-encoding attribute where a broker has no content-encoding property. See docs/envelope.md.
inline constexpr std::string_view zstd_encoding = "zstd";

// When the producer compresses a body.
struct CompressionPolicy {
  bool enabled = true;
  // Bodies of this size or smaller are sent as they are: compressing them saves little and
  // costs every consumer a decompression.
  std::size_t threshold_bytes = 16384;
  int level = 3;  // zstd level; clamped to the range the linked libzstd supports
};

// The body compressed as one zstd frame that records its content size (and a checksum) when
// the policy says to compress and the result is smaller than `body`; nothing otherwise, and
// the body is then sent as it is. Throws Exception(internal) only if libzstd itself fails.
[[nodiscard]] std::optional<std::string> maybe_compress(std::string_view body,
                                                        const CompressionPolicy& policy);

// Decompresses a zstd body (one or more frames, as any zstd encoder writes them). Never
// allocates much more than `max_size`: a declared content size is checked before anything is
// allocated, and a frame without one is decoded in bounded steps. Throws
// Exception(message_too_large) when the content would exceed `max_size`, or when a frame
// without a content size asks for a decoding window larger than both 8 MiB and the smallest
// power of two above `max_size` (never more than 128 MiB). Throws Exception(protocol_error)
// when the input is not valid zstd (corrupt, truncated, bad checksum). Neither is fatal: the
// body is bad, not the connection that carried it.
[[nodiscard]] std::string decompress(std::string_view compressed, std::size_t max_size);

}  // namespace postwire::client
