#include "protocol/sqs/base64.hpp"

#include <array>
#include <cstdint>

namespace postwire::sqs {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t invalid = 0xFF;

constexpr std::array<std::uint8_t, 256> decode_table() {
  std::array<std::uint8_t, 256> table{};
  table.fill(invalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}
constexpr auto table = decode_table();

std::uint8_t sextet(char c) { return table[static_cast<unsigned char>(c)]; }

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto at = [&](std::size_t k) {
    return std::uint32_t{static_cast<unsigned char>(bytes[k])};
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (at(i) << 16U) | (at(i + 1) << 8U) | at(i + 2);
    out.push_back(alphabet[(group >> 18U) & 0x3FU]);
    out.push_back(alphabet[(group >> 12U) & 0x3FU]);
    out.push_back(alphabet[(group >> 6U) & 0x3FU]);
    out.push_back(alphabet[group & 0x3FU]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t group = (at(i) << 16U) | (rest == 2 ? at(i + 1) << 8U : 0U);
    out.push_back(alphabet[(group >> 18U) & 0x3FU]);
    out.push_back(alphabet[(group >> 12U) & 0x3FU]);
    out.push_back(rest == 2 ? alphabet[(group >> 6U) & 0x3FU] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t padding =
        last ? static_cast<std::size_t>(text[i + 3] == '=') + (text[i + 2] == '=' ? 1U : 0U) : 0U;
    if (padding == 1 && text[i + 2] == '=') {
      return std::nullopt;  // "xx=y" puts padding before data
    }
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      std::uint8_t v = 0;
      if (k < 4 - padding) {
        v = sextet(text[i + k]);
        if (v == invalid) {
          return std::nullopt;
        }
      }
      group = (group << 6U) | v;
    }
    out.push_back(static_cast<char>((group >> 16U) & 0xFFU));
    if (padding < 2) {
      out.push_back(static_cast<char>((group >> 8U) & 0xFFU));
    } else if ((group & 0xFFFFU) != 0) {
      return std::nullopt;
    }
    if (padding < 1) {
      out.push_back(static_cast<char>(group & 0xFFU));
    } else if ((group & 0xFFU) != 0) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace postwire::sqs
