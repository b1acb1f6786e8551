#pragma once

// Base64 (RFC 4648 section 4, the standard alphabet with '=' padding): how the AWS JSON
// protocol carries blobs such as a Binary message attribute's value.

#include <optional>
#include <string>
#include <string_view>

namespace postwire::sqs {

[[nodiscard]] std::string base64_encode(std::string_view bytes);

// The decoded bytes, or nullopt unless `text` is canonical base64: a multiple of four
// characters from the standard alphabet, padding only at the end, and no stray bits in the
// last group (so that every byte string has exactly one accepted encoding).
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace postwire::sqs
