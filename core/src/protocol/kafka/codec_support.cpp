#include "protocol/kafka/codec_support.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "postwire/error.hpp"

namespace postwire::kafka::codecs {

[[noreturn]] void throw_corrupt(Codec codec, std::string_view why) {
  throw Exception(ErrorCode::protocol_error,
                  "kafka " + std::string(codec_name(codec)) +
                      " decompression: corrupt input: " + std::string(why));
}

[[noreturn]] void throw_too_large(Codec codec, std::size_t max_output) {
  throw Exception(ErrorCode::protocol_error, "kafka " + std::string(codec_name(codec)) +
                                                 " decompression: output exceeds the limit of " +
                                                 std::to_string(max_output) + " bytes");
}

[[noreturn]] void throw_library(Codec codec, std::string_view what) {
  throw Exception(ErrorCode::internal,
                  "kafka " + std::string(codec_name(codec)) + " compression: " + std::string(what));
}

void check_level(Codec codec, int level, int lowest, int highest) {
  if (level != 0 && (level < lowest || level > highest)) {
    throw Exception(ErrorCode::invalid_argument,
                    "kafka " + std::string(codec_name(codec)) + " compression level " +
                        std::to_string(level) + " is out of range: expected 0 (the default) or " +
                        std::to_string(lowest) + " to " + std::to_string(highest));
  }
}

std::span<std::uint8_t> BoundedOutput::room(std::size_t want) {
  const std::size_t allowed = max_output_ - std::min(max_output_, produced());
  const std::size_t n =
      std::min(want, allowed == std::numeric_limits<std::size_t>::max() ? allowed : allowed + 1);
  const std::size_t old_size = out_.size();
  if (old_size + n > out_.capacity()) {
    const std::size_t cap = max_output_ > std::numeric_limits<std::size_t>::max() - start_ - 1
                                ? std::numeric_limits<std::size_t>::max()
                                : start_ + max_output_ + 1;
    out_.reserve(std::min(std::max(out_.capacity() * 2, old_size + n), cap));
  }
  out_.resize(old_size + n);
  pending_ = n;
  return {out_.data() + old_size, n};
}

void BoundedOutput::commit(std::size_t used) {
  out_.resize(out_.size() - pending_ + used);
  pending_ = 0;
  if (produced() > max_output_) {
    throw_too_large(codec_, max_output_);
  }
}

void BoundedOutput::expect_room_for(std::size_t n) const {
  if (n > max_output_ - std::min(max_output_, produced())) {
    throw_too_large(codec_, max_output_);
  }
}

}  // namespace postwire::kafka::codecs
