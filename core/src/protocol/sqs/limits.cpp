#include "protocol/sqs/limits.hpp"

#include <set>
#include <string>
#include <utility>

#include "postwire/error.hpp"

namespace postwire::sqs {
namespace {

[[noreturn]] void invalid(std::string_view what, std::string problem) {
  throw Exception(ErrorCode::invalid_argument, std::string(what) + ": " + std::move(problem));
}

std::string quoted(std::string_view text) {
  constexpr std::size_t shown = 64;
  std::string out = "\"";
  out += text.substr(0, shown);
  out += text.size() > shown ? "...\"" : "\"";
  return out;
}

bool ascii_lower_starts_with(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != prefix[i]) {
      return false;
    }
  }
  return true;
}

bool alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// SQS reads the data type like a body, and allows 256 characters.
void check_data_type(std::string_view type, std::string_view what) {
  if (!(type == "String" || type == "Number" || type == "Binary" || type.starts_with("String.") ||
        type.starts_with("Number.") || type.starts_with("Binary."))) {
    invalid(what, "DataType " + quoted(type) +
                      " is not String, Number or Binary (optionally with a .label)");
  }
  if (type.size() > max_attribute_type_length) {
    invalid(what, "DataType is " + std::to_string(type.size()) + " characters, over " +
                      std::to_string(max_attribute_type_length));
  }
  if (find_invalid_character(type) != std::string_view::npos) {
    invalid(what, "DataType contains a character SQS does not allow");
  }
}

void check_attributes(const MessageAttributes& attributes, std::string_view what,
                      std::string_view member) {
  if (attributes.size() > max_message_attributes) {
    invalid(what, std::string(member) + " has " + std::to_string(attributes.size()) +
                      " attributes, over the limit of " + std::to_string(max_message_attributes));
  }
  for (const auto& [name, value] : attributes) {
    const std::string where = std::string(what) + " " + std::string(member) + " " + quoted(name);
    check_attribute_name(name, where);
    check_data_type(value.data_type, where);
    if (value.is_binary()) {
      if (value.binary_value.empty()) {
        invalid(where, "a Binary value must not be empty");
      }
    } else {
      if (value.string_value.empty()) {
        invalid(where, "a " + value.data_type + " value must not be empty");
      }
      const std::size_t bad = find_invalid_character(value.string_value);
      if (bad != std::string_view::npos) {
        invalid(where, "the value has a character SQS does not allow at byte " +
                           std::to_string(bad) + " (send such data as a Binary attribute)");
      }
    }
  }
}

void check_entry_ids(const auto& entries, std::string_view what) {
  if (entries.empty()) {
    invalid(what, "a batch needs at least one entry");
  }
  if (entries.size() > max_batch_entries) {
    invalid(what, "a batch has " + std::to_string(entries.size()) + " entries, over the limit of " +
                      std::to_string(max_batch_entries));
  }
  std::set<std::string_view> seen;
  for (const auto& entry : entries) {
    const std::string_view id = entry.id;
    if (id.empty() || id.size() > max_batch_entry_id_length) {
      invalid(what, "entry id " + quoted(id) + " must be 1 to " +
                        std::to_string(max_batch_entry_id_length) + " characters");
    }
    for (const char c : id) {
      if (!alnum(c) && c != '-' && c != '_') {
        invalid(what, "entry id " + quoted(id) + " may hold only A-Z a-z 0-9 - _");
      }
    }
    if (!seen.insert(id).second) {
      invalid(what, "entry id " + quoted(id) + " appears twice");
    }
  }
}

void check_visibility(std::int32_t seconds, std::string_view what) {
  if (seconds < 0 || seconds > max_visibility_timeout_seconds) {
    invalid(what, "VisibilityTimeout " + std::to_string(seconds) + " is outside 0.." +
                      std::to_string(max_visibility_timeout_seconds));
  }
}

}  // namespace

std::size_t message_size(const MessageToSend& message) {
  std::size_t size = message.body.size();
  for (const auto& [name, value] : message.attributes) {
    size += name.size() + value.data_type.size() +
            (value.is_binary() ? value.binary_value.size() : value.string_value.size());
  }
  return size;
}

std::size_t find_invalid_character(std::string_view text) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = byte(i);
    std::uint32_t code = 0;
    std::size_t length = 0;
    if (lead < 0x80) {
      code = lead;
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      code = lead & 0x1FU;
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      code = lead & 0x0FU;
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      code = lead & 0x07U;
      length = 4;
    } else {
      return i;  // a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF
    }
    if (i + length > text.size()) {
      return i;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned char next = byte(i + k);
      if ((next & 0xC0U) != 0x80U) {
        return i;
      }
      code = (code << 6U) | (next & 0x3FU);
    }
    const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    const bool allowed = code == 0x9 || code == 0xA || code == 0xD ||
                         (code >= 0x20 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0xFFFD) ||
                         (code >= 0x10000 && code <= 0x10FFFF);
    if (overlong || !allowed) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

void check_attribute_name(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > max_attribute_name_length) {
    invalid(what, "an attribute name must be 1 to " + std::to_string(max_attribute_name_length) +
                      " characters");
  }
  for (const char c : name) {
    if (!alnum(c) && c != '_' && c != '-' && c != '.') {
      invalid(what, "attribute name " + quoted(name) + " may hold only A-Z a-z 0-9 _ - .");
    }
  }
  if (ascii_lower_starts_with(name, "aws.") || ascii_lower_starts_with(name, "amazon.")) {
    invalid(what, "attribute name " + quoted(name) + " starts with a prefix SQS reserves");
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) {
    invalid(what,
            "attribute name " + quoted(name) + " must not start or end with '.' or hold \"..\"");
  }
}

void check_fifo_id(std::string_view id, std::string_view what) {
  if (id.empty() || id.size() > max_fifo_id_length) {
    invalid(what, "must be 1 to " + std::to_string(max_fifo_id_length) + " characters, not " +
                      std::to_string(id.size()));
  }
  for (const char c : id) {
    if (c < 0x21 || c > 0x7E) {
      invalid(what, quoted(id) + " may hold only A-Z a-z 0-9 and ASCII punctuation");
    }
  }
}

void check_message(const MessageToSend& message, std::size_t max_message_bytes,
                   std::string_view what) {
  if (message.body.empty()) {
    invalid(what, "the body must not be empty");
  }
  const std::size_t bad = find_invalid_character(message.body);
  if (bad != std::string_view::npos) {
    invalid(what, "the body has a character SQS does not allow at byte " + std::to_string(bad) +
                      " (binary bodies must be sent base64-encoded)");
  }
  if (message.delay_seconds &&
      (*message.delay_seconds < 0 || *message.delay_seconds > max_delay_seconds)) {
    invalid(what, "DelaySeconds " + std::to_string(*message.delay_seconds) + " is outside 0.." +
                      std::to_string(max_delay_seconds));
  }
  check_attributes(message.attributes, what, "MessageAttributes");
  check_attributes(message.system_attributes, what, "MessageSystemAttributes");
  if (!message.group_id.empty()) {
    check_fifo_id(message.group_id, std::string(what) + " MessageGroupId");
  }
  if (!message.deduplication_id.empty()) {
    check_fifo_id(message.deduplication_id, std::string(what) + " MessageDeduplicationId");
  }
  const std::size_t size = message_size(message);
  if (size > max_message_bytes) {
    throw Exception(ErrorCode::message_too_large,
                    std::string(what) + ": the message is " + std::to_string(size) +
                        " bytes (body and attributes), over the queue's maximum of " +
                        std::to_string(max_message_bytes));
  }
}

void check_request(const SendMessageRequest& request, std::size_t max_message_bytes) {
  check_message(request.message, max_message_bytes, "SendMessage");
}

void check_request(const SendMessageBatchRequest& request, std::size_t max_message_bytes) {
  check_entry_ids(request.entries, "SendMessageBatch");
  std::size_t total = 0;
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    const auto& entry = request.entries[i];
    check_message(entry.message, max_message_bytes,
                  "SendMessageBatch entry " + std::to_string(i) + " (id " + entry.id + ")");
    total += message_size(entry.message);
  }
  if (total > max_batch_payload_bytes) {
    throw Exception(ErrorCode::message_too_large, "SendMessageBatch: the entries total " +
                                                      std::to_string(total) +
                                                      " bytes, over the batch limit of " +
                                                      std::to_string(max_batch_payload_bytes));
  }
}

void check_request(const ReceiveMessageRequest& request) {
  constexpr std::string_view what = "ReceiveMessage";
  if (request.max_number_of_messages && (*request.max_number_of_messages < 1 ||
                                         *request.max_number_of_messages > max_receive_messages)) {
    invalid(what, "MaxNumberOfMessages " + std::to_string(*request.max_number_of_messages) +
                      " is outside 1.." + std::to_string(max_receive_messages));
  }
  if (request.wait_time_seconds &&
      (*request.wait_time_seconds < 0 || *request.wait_time_seconds > max_wait_time_seconds)) {
    invalid(what, "WaitTimeSeconds " + std::to_string(*request.wait_time_seconds) +
                      " is outside 0.." + std::to_string(max_wait_time_seconds));
  }
  if (request.visibility_timeout) {
    check_visibility(*request.visibility_timeout, what);
  }
  if (!request.receive_request_attempt_id.empty()) {
    check_fifo_id(request.receive_request_attempt_id, "ReceiveMessage ReceiveRequestAttemptId");
  }
}

void check_request(const ChangeMessageVisibilityRequest& request) {
  check_visibility(request.visibility_timeout, "ChangeMessageVisibility");
}

void check_request(const ChangeMessageVisibilityBatchRequest& request) {
  check_entry_ids(request.entries, "ChangeMessageVisibilityBatch");
  for (const auto& entry : request.entries) {
    check_visibility(entry.visibility_timeout, "ChangeMessageVisibilityBatch entry " + entry.id);
  }
}

void check_request(const DeleteMessageBatchRequest& request) {
  check_entry_ids(request.entries, "DeleteMessageBatch");
}

}  // namespace postwire::sqs
