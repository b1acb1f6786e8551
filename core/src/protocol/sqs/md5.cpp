#include "protocol/sqs/md5.hpp"

#include <array>
#include <cstdint>

#include "protocol/sqs/digest.hpp"

namespace postwire::sqs {
namespace {

constexpr std::uint8_t string_transport = 1;
constexpr std::uint8_t binary_transport = 2;

void put_length_prefixed(Md5Builder& md5, std::string_view bytes) {
  const auto n = static_cast<std::uint32_t>(bytes.size());
  const std::array<std::uint8_t, 4> length = {
      static_cast<std::uint8_t>(n >> 24U), static_cast<std::uint8_t>(n >> 16U),
      static_cast<std::uint8_t>(n >> 8U), static_cast<std::uint8_t>(n)};
  md5.update(length);
  md5.update(bytes);
}

bool same_digest(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

Error digest_mismatch(std::string_view message_id, std::string_view what, std::string_view computed,
                      std::string_view reported) {
  std::string message = "SQS message ";
  message += message_id.empty() ? std::string_view("(no id)") : message_id;
  message += ": ";
  message += what;
  message += " is \"";
  message += reported;
  message += "\" but the content digests to \"";
  message += computed;
  message += "\"; it was altered in transit";
  return {ErrorCode::protocol_error, std::move(message), false, false};
}

}  // namespace

std::string md5_of_body(std::string_view body) { return to_hex(md5(body)); }

std::string md5_of_message_attributes(const MessageAttributes& attributes) {
  if (attributes.empty()) {
    return {};
  }
  Md5Builder md5;
  for (const auto& [name, value] : attributes) {
    put_length_prefixed(md5, name);
    put_length_prefixed(md5, value.data_type);
    const bool binary = value.is_binary();
    const std::array<std::uint8_t, 1> transport = {binary ? binary_transport : string_transport};
    md5.update(transport);
    put_length_prefixed(md5, binary ? value.binary_value : value.string_value);
  }
  return to_hex(md5.finish());
}

Error verify_body_md5(std::string_view message_id, std::string_view body,
                      std::string_view reported_md5) {
  const std::string computed = md5_of_body(body);
  if (same_digest(computed, reported_md5)) {
    return {};
  }
  return digest_mismatch(message_id, "the body's MD5", computed, reported_md5);
}

Error verify_attributes_md5(std::string_view message_id, const MessageAttributes& attributes,
                            std::string_view reported_md5, std::string_view what) {
  const std::string computed = md5_of_message_attributes(attributes);
  if (same_digest(computed, reported_md5)) {
    return {};
  }
  return digest_mismatch(message_id, what, computed.empty() ? "(no attributes)" : computed,
                         reported_md5.empty() ? "(absent)" : reported_md5);
}

Error verify_sent(const MessageToSend& sent, const SentMessage& reported) {
  if (Error e = verify_body_md5(reported.message_id, sent.body, reported.md5_of_message_body)) {
    return e;
  }
  if (Error e = verify_attributes_md5(reported.message_id, sent.attributes,
                                      reported.md5_of_message_attributes)) {
    return e;
  }
  // Local SQS servers do not all compute the system attributes' digest; only one that is
  // reported can be checked.
  if (reported.md5_of_message_system_attributes.empty()) {
    return {};
  }
  return verify_attributes_md5(reported.message_id, sent.system_attributes,
                               reported.md5_of_message_system_attributes,
                               "MD5OfMessageSystemAttributes");
}

Error verify_received(const ReceivedMessage& message) {
  if (Error e = verify_body_md5(message.message_id, message.body, message.md5_of_body)) {
    return e;
  }
  // The digest covers the attributes returned, and none are unless the receive asked for them.
  if (message.message_attributes.empty()) {
    return {};
  }
  return verify_attributes_md5(message.message_id, message.message_attributes,
                               message.md5_of_message_attributes);
}

}  // namespace postwire::sqs
