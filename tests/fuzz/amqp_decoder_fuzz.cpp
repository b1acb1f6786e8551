// libFuzzer target for the AMQP 0-9-1 codec: arbitrary bytes go through FrameReader, and the
// frames it yields through decode_method, decode_content_header and a ContentAssembler per
// channel. postwire::Exception is the only acceptable failure; anything else (a crash, a
// sanitizer report, another exception, a re-encoding that differs) is a bug.
//
// Input layout: byte 0-1 choose frame_max, byte 2 the read size, the rest is the stream.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>
#include <vector>

#include "postwire/error.hpp"
#include "protocol/amqp/content.hpp"
#include "protocol/amqp/frame.hpp"
#include "protocol/amqp/methods.hpp"
#include "protocol/amqp/properties.hpp"

namespace {

using namespace postwire::amqp;

// What decoding produced must encode, and encode to the same bytes after another round trip
// (comparing bytes rather than values keeps NaN floats from looking like a mismatch).
void check_method(std::span<const std::uint8_t> payload) {
  const Method m = decode_method(payload);
  std::vector<std::uint8_t> once;
  append_method(once, m);
  std::vector<std::uint8_t> twice;
  append_method(twice, decode_method(once));
  if (once != twice) {
    std::abort();
  }
}

void check_header(std::span<const std::uint8_t> payload) {
  const ContentHeader header = decode_content_header(payload);
  std::vector<std::uint8_t> once;
  append_content_header(once, header);
  std::vector<std::uint8_t> twice;
  append_content_header(twice, decode_content_header(once));
  if (once != twice) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) {
    return 0;
  }
  // frame_max 0 (no limit) and values just around the minimum are both interesting.
  const unsigned choice = (unsigned{data[0]} << 8U) | data[1];
  const std::uint32_t frame_max = choice == 0 ? 0 : frame_min_size + (choice - 1) * 4;
  const std::size_t read_size = std::size_t{data[2]} + 1;
  std::span<const std::uint8_t> stream(data + 3, size - 3);

  try {
    FrameReader reader(frame_max);
    std::map<std::uint16_t, ContentAssembler> assemblers;
    while (!stream.empty()) {
      const auto space = reader.prepare(read_size);
      const std::size_t n = std::min({space.size(), stream.size(), read_size});
      std::copy_n(stream.begin(), n, space.begin());
      reader.commit(n);
      stream = stream.subspan(n);
      while (const auto frame = reader.next()) {
        try {
          if (frame->type == FrameType::method) {
            check_method(frame->payload);
          } else if (frame->type == FrameType::header) {
            check_header(frame->payload);
          }
        } catch (const postwire::Exception&) {
          // Malformed payload; the assembler below sees it too.
        }
        if (frame->type == FrameType::heartbeat) {
          continue;
        }
        auto [it, added] = assemblers.try_emplace(frame->channel, 1U << 20U);
        try {
          static_cast<void>(it->second.feed(*frame));
        } catch (const postwire::Exception&) {
          assemblers.erase(it);  // a real connection would close the channel
        }
      }
    }
  } catch (const postwire::Exception&) {
    // The stream is malformed: a clean rejection is the expected outcome.
  }
  return 0;
}
