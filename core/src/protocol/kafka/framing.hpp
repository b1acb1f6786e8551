#pragma once

// Kafka's framing: every request and response is a 4-byte big-endian size followed by that
// many bytes. A request starts with request header v1 (api key, version, correlation id,
// client id), or v2 (the same plus a tagged-field section) when the API version is flexible;
// a response with header v0 (correlation id) or v1 (plus tagged fields).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/kafka/api.hpp"
#include "protocol/kafka/wire.hpp"

namespace postwire::kafka {

// The largest frame the 4-byte size can announce.
inline constexpr std::size_t max_frame_size = std::numeric_limits<std::int32_t>::max();

namespace detail {
// Appends the size placeholder and the request header; returns where the frame starts.
std::size_t begin_request(std::vector<std::uint8_t>& out, ApiKey api_key, std::int16_t version,
                          std::int32_t correlation_id, std::string_view client_id);
// Fills in the size of the frame that starts at `start`; throws invalid_argument if it
// exceeds `max_frame`.
void finish_request(std::vector<std::uint8_t>& out, std::size_t start, ApiKey api_key,
                    std::size_t max_frame);
}  // namespace detail

// Appends one complete request frame: 4-byte size, request header, body (from
// `request.encode(Writer&, version)`, for `Request::api_key`). Throws invalid_argument if
// this codec does not implement `version`, if a field cannot be encoded, or if the frame
// (without its 4-byte size) exceeds `max_frame`; `out` is then as it was.
template <class Request>
void encode_request(std::vector<std::uint8_t>& out, std::int16_t version,
                    std::int32_t correlation_id, std::string_view client_id, const Request& request,
                    std::size_t max_frame = max_frame_size) {
  const std::size_t original_size = out.size();
  try {
    const std::size_t start =
        detail::begin_request(out, Request::api_key, version, correlation_id, client_id);
    Writer w(out);
    request.encode(w, version);
    detail::finish_request(out, start, Request::api_key, max_frame);
  } catch (...) {
    out.resize(original_size);
    throw;
  }
}

// Splits a byte stream into response frames: the size of the first complete frame
// (including its 4-byte length) at the start of `buffered`, 0 if more bytes are needed.
// Throws protocol_error if the announced size is negative or exceeds `max_frame`.
[[nodiscard]] std::size_t complete_frame_size(std::span<const std::uint8_t> buffered,
                                              std::size_t max_frame);

struct ResponseHeader {
  std::int32_t correlation_id;
  std::span<const std::uint8_t> body;  // a view into the frame
};

// `frame` without its 4-byte length. `flexible_header` comes from flexible_response_header.
[[nodiscard]] ResponseHeader read_response_header(std::span<const std::uint8_t> frame,
                                                  bool flexible_header);

// Only the correlation id (the first 4 bytes): the transport looks the request up by it
// before it knows the API. Throws protocol_error if the frame is shorter.
[[nodiscard]] std::int32_t peek_correlation_id(std::span<const std::uint8_t> frame);

}  // namespace postwire::kafka
