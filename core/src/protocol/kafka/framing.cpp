#include "protocol/kafka/framing.hpp"

#include <algorithm>
#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka {

namespace detail {

std::size_t begin_request(std::vector<std::uint8_t>& out, ApiKey api_key, std::int16_t version,
                          std::int32_t correlation_id, std::string_view client_id) {
  require_version(api_key, version, "request");
  const std::size_t start = out.size();
  Writer w(out);
  w.i32(0);  // the size, filled in by finish_request
  w.i16(static_cast<std::int16_t>(api_key));
  w.i16(version);
  w.i32(correlation_id);
  // The client id keeps its classic int16 length even in header v2, so that a broker can
  // read the header of any ApiVersions request, whatever its version (RequestHeader.json).
  w.string(client_id);
  w.tagged_fields_end(flexible(api_key, version));
  return start;
}

void finish_request(std::vector<std::uint8_t>& out, std::size_t start, ApiKey api_key,
                    std::size_t max_frame) {
  const std::size_t size = out.size() - start - 4;
  if (size > max_frame || size > max_frame_size) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka " + std::string(api_name(api_key)) + " request: the frame is " +
                        std::to_string(size) + " bytes, more than the " +
                        std::to_string(std::min(max_frame, max_frame_size)) + " allowed");
  }
  for (unsigned i = 0; i < 4; ++i) {
    out[start + i] = static_cast<std::uint8_t>(size >> (8U * (3 - i)));
  }
}

}  // namespace detail

std::size_t complete_frame_size(std::span<const std::uint8_t> buffered, std::size_t max_frame) {
  if (buffered.size() < 4) return 0;
  Reader in(buffered.first(4), "response frame");
  const std::int32_t size = in.i32("size");
  if (size < 0) in.fail("size", "negative frame size " + std::to_string(size));
  if (static_cast<std::size_t>(size) > max_frame) {
    in.fail("size", "frame of " + std::to_string(size) + " bytes exceeds the limit of " +
                        std::to_string(max_frame));
  }
  const std::size_t total = 4 + static_cast<std::size_t>(size);
  return buffered.size() < total ? 0 : total;
}

ResponseHeader read_response_header(std::span<const std::uint8_t> frame, bool flexible_header) {
  Reader in(frame, "response header");
  ResponseHeader header{};
  header.correlation_id = in.i32("correlation_id");
  in.tagged_fields_end(flexible_header);
  header.body = frame.subspan(in.offset());
  return header;
}

std::int32_t peek_correlation_id(std::span<const std::uint8_t> frame) {
  Reader in(frame, "response header");
  return in.i32("correlation_id");
}

}  // namespace postwire::kafka
