// Response bodies of the AWS JSON 1.0 protocol for SQS, read into typed results. Each member
// is looked up by name; a missing optional member, or null, reads as empty.

#include <boost/json.hpp>
#include <string>
#include <utility>

#include "postwire/error.hpp"
#include "protocol/sqs/base64.hpp"
#include "protocol/sqs/json_protocol.hpp"

namespace postwire::sqs {
namespace {

namespace json = boost::json;

// Reads one response, naming the operation and the member's path in every error.
class Reader {
 public:
  explicit Reader(Operation operation) : operation_(operation) {}

  [[noreturn]] void fail(std::string_view path, std::string_view problem) const {
    std::string message = "SQS ";
    message += operation_name(operation_);
    message += " response: ";
    message += path;
    message += ' ';
    message += problem;
    throw Exception(ErrorCode::protocol_error, std::move(message));
  }

  // The body as a JSON value; an empty body reads as null.
  json::value parse(std::string_view body, const ParseLimits& limits) const {
    if (body.size() > limits.max_body_bytes) {
      fail("body", "of " + std::to_string(body.size()) + " bytes is over the limit of " +
                       std::to_string(limits.max_body_bytes));
    }
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return nullptr;
    }
    boost::system::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec) {
      fail("body", "is not valid JSON (" + ec.message() + ")");
    }
    return value;
  }

  const json::object& root(const json::value& value) const {
    const json::object* object = value.if_object();
    if (object == nullptr) {
      fail("body", "is not a JSON object");
    }
    return *object;
  }

  // The member, or nullptr when it is absent or null.
  static const json::value* member(const json::object& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || it->value().is_null()) {
      return nullptr;
    }
    return &it->value();
  }

  std::string optional_string(const json::object& object, std::string_view key,
                              std::string_view path) const {
    const json::value* value = member(object, key);
    if (value == nullptr) {
      return {};
    }
    const json::string* text = value->if_string();
    if (text == nullptr) {
      fail(join(path, key), "is not a string");
    }
    return std::string(*text);
  }

  std::string required_string(const json::object& object, std::string_view key,
                              std::string_view path) const {
    if (member(object, key) == nullptr) {
      fail(join(path, key), "is missing");
    }
    return optional_string(object, key, path);
  }

  bool required_bool(const json::object& object, std::string_view key,
                     std::string_view path) const {
    const json::value* value = member(object, key);
    if (value == nullptr) {
      fail(join(path, key), "is missing");
    }
    const bool* flag = value->if_bool();
    if (flag == nullptr) {
      fail(join(path, key), "is not a boolean");
    }
    return *flag;
  }

  const json::object* optional_object(const json::value& value, std::string_view path) const {
    if (value.is_null()) {
      return nullptr;
    }
    const json::object* object = value.if_object();
    if (object == nullptr) {
      fail(path, "is not an object");
    }
    return object;
  }

  const json::object* optional_object(const json::object& object, std::string_view key,
                                      std::string_view path) const {
    const json::value* value = member(object, key);
    return value == nullptr ? nullptr : optional_object(*value, join(path, key));
  }

  const json::object& element_object(const json::value& value, std::string_view path) const {
    const json::object* object = value.if_object();
    if (object == nullptr) {
      fail(path, "is not an object");
    }
    return *object;
  }

  const json::array* optional_array(const json::object& object, std::string_view key,
                                    std::string_view path) const {
    const json::value* value = member(object, key);
    if (value == nullptr) {
      return nullptr;
    }
    const json::array* array = value->if_array();
    if (array == nullptr) {
      fail(join(path, key), "is not an array");
    }
    return array;
  }

  std::map<std::string, std::string> string_map(const json::object& object, std::string_view key,
                                                std::string_view path) const {
    std::map<std::string, std::string> out;
    const json::object* map = optional_object(object, key, path);
    if (map == nullptr) {
      return out;
    }
    const std::string map_path = join(path, key);
    for (const auto& entry : *map) {
      const json::string* text = entry.value().if_string();
      if (text == nullptr) {
        fail(map_path + "." + std::string(entry.key()), "is not a string");
      }
      out.emplace(std::string(entry.key()), std::string(*text));
    }
    return out;
  }

  MessageAttributes attributes(const json::object& object, std::string_view key,
                               std::string_view path) const {
    MessageAttributes out;
    const json::object* map = optional_object(object, key, path);
    if (map == nullptr) {
      return out;
    }
    for (const auto& entry : *map) {
      const std::string entry_path = join(path, key) + "." + std::string(entry.key());
      const json::object& encoded = element_object(entry.value(), entry_path);
      MessageAttributeValue value;
      value.data_type = required_string(encoded, "DataType", entry_path);
      if (value.is_binary()) {
        const std::string text = required_string(encoded, "BinaryValue", entry_path);
        auto bytes = base64_decode(text);
        if (!bytes) {
          fail(entry_path + ".BinaryValue", "is not valid base64");
        }
        value.binary_value = std::move(*bytes);
      } else {
        value.string_value = required_string(encoded, "StringValue", entry_path);
      }
      out.emplace(std::string(entry.key()), std::move(value));
    }
    return out;
  }

  std::vector<BatchResultError> failed(const json::object& object) const {
    std::vector<BatchResultError> out;
    const json::array* entries = optional_array(object, "Failed", "");
    if (entries == nullptr) {
      return out;
    }
    out.reserve(entries->size());
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const std::string path = "Failed[" + std::to_string(i) + "]";
      const json::object& entry = element_object((*entries)[i], path);
      out.push_back({.id = required_string(entry, "Id", path),
                     .sender_fault = required_bool(entry, "SenderFault", path),
                     .code = required_string(entry, "Code", path),
                     .message = optional_string(entry, "Message", path)});
    }
    return out;
  }

  std::vector<std::string> successful_ids(const json::object& object) const {
    std::vector<std::string> out;
    const json::array* entries = optional_array(object, "Successful", "");
    if (entries == nullptr) {
      return out;
    }
    out.reserve(entries->size());
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const std::string path = "Successful[" + std::to_string(i) + "]";
      out.push_back(required_string(element_object((*entries)[i], path), "Id", path));
    }
    return out;
  }

  SentMessage sent(const json::object& object, std::string_view path) const {
    return {.message_id = required_string(object, "MessageId", path),
            .md5_of_message_body = required_string(object, "MD5OfMessageBody", path),
            .md5_of_message_attributes = optional_string(object, "MD5OfMessageAttributes", path),
            .md5_of_message_system_attributes =
                optional_string(object, "MD5OfMessageSystemAttributes", path),
            .sequence_number = optional_string(object, "SequenceNumber", path)};
  }

  static std::string join(std::string_view path, std::string_view key) {
    std::string out(path);
    if (!out.empty()) {
      out.push_back('.');
    }
    out += key;
    return out;
  }

 private:
  Operation operation_;
};

// Parses `body` and hands its root object to `read`; an empty body reads as {}.
template <typename Read>
auto read_response(Operation operation, std::string_view body, const ParseLimits& limits,
                   Read&& read) {
  const Reader reader(operation);
  const json::value value = reader.parse(body, limits);
  static const json::object empty;
  return read(reader, value.is_null() ? empty : reader.root(value));
}

BatchResult parse_batch(Operation operation, std::string_view body, const ParseLimits& limits) {
  return read_response(operation, body, limits, [](const Reader& reader, const json::object& root) {
    return BatchResult{reader.successful_ids(root), reader.failed(root)};
  });
}

QueueUrlResult parse_queue_url(Operation operation, std::string_view body,
                               const ParseLimits& limits) {
  return read_response(operation, body, limits, [](const Reader& reader, const json::object& root) {
    return QueueUrlResult{reader.required_string(root, "QueueUrl", "")};
  });
}

}  // namespace

SendMessageResult parse_send_message(std::string_view body, const ParseLimits& limits) {
  return read_response(
      Operation::send_message, body, limits,
      [](const Reader& reader, const json::object& root) { return reader.sent(root, ""); });
}

SendMessageBatchResult parse_send_message_batch(std::string_view body, const ParseLimits& limits) {
  return read_response(
      Operation::send_message_batch, body, limits,
      [](const Reader& reader, const json::object& root) {
        SendMessageBatchResult result;
        if (const json::array* entries = reader.optional_array(root, "Successful", "")) {
          result.successful.reserve(entries->size());
          for (std::size_t i = 0; i < entries->size(); ++i) {
            const std::string path = "Successful[" + std::to_string(i) + "]";
            const json::object& entry = reader.element_object((*entries)[i], path);
            result.successful.push_back({.id = reader.required_string(entry, "Id", path),
                                         .sent = reader.sent(entry, path)});
          }
        }
        result.failed = reader.failed(root);
        return result;
      });
}

ReceiveMessageResult parse_receive_message(std::string_view body, const ParseLimits& limits) {
  return read_response(
      Operation::receive_message, body, limits, [](const Reader& reader, const json::object& root) {
        ReceiveMessageResult result;
        const json::array* messages = reader.optional_array(root, "Messages", "");
        if (messages == nullptr) {
          return result;
        }
        result.messages.reserve(messages->size());
        for (std::size_t i = 0; i < messages->size(); ++i) {
          const std::string path = "Messages[" + std::to_string(i) + "]";
          const json::object& m = reader.element_object((*messages)[i], path);
          result.messages.push_back(
              {.message_id = reader.required_string(m, "MessageId", path),
               .receipt_handle = reader.required_string(m, "ReceiptHandle", path),
               .md5_of_body = reader.required_string(m, "MD5OfBody", path),
               .body = reader.required_string(m, "Body", path),
               .attributes = reader.string_map(m, "Attributes", path),
               .md5_of_message_attributes =
                   reader.optional_string(m, "MD5OfMessageAttributes", path),
               .message_attributes = reader.attributes(m, "MessageAttributes", path)});
        }
        return result;
      });
}

BatchResult parse_delete_message_batch(std::string_view body, const ParseLimits& limits) {
  return parse_batch(Operation::delete_message_batch, body, limits);
}

BatchResult parse_change_message_visibility_batch(std::string_view body,
                                                  const ParseLimits& limits) {
  return parse_batch(Operation::change_message_visibility_batch, body, limits);
}

QueueUrlResult parse_create_queue(std::string_view body, const ParseLimits& limits) {
  return parse_queue_url(Operation::create_queue, body, limits);
}

QueueUrlResult parse_get_queue_url(std::string_view body, const ParseLimits& limits) {
  return parse_queue_url(Operation::get_queue_url, body, limits);
}

GetQueueAttributesResult parse_get_queue_attributes(std::string_view body,
                                                    const ParseLimits& limits) {
  return read_response(Operation::get_queue_attributes, body, limits,
                       [](const Reader& reader, const json::object& root) {
                         return GetQueueAttributesResult{reader.string_map(root, "Attributes", "")};
                       });
}

ListQueuesResult parse_list_queues(std::string_view body, const ParseLimits& limits) {
  return read_response(
      Operation::list_queues, body, limits, [](const Reader& reader, const json::object& root) {
        ListQueuesResult result;
        if (const json::array* urls = reader.optional_array(root, "QueueUrls", "")) {
          result.queue_urls.reserve(urls->size());
          for (std::size_t i = 0; i < urls->size(); ++i) {
            const json::string* url = (*urls)[i].if_string();
            if (url == nullptr) {
              reader.fail("QueueUrls[" + std::to_string(i) + "]", "is not a string");
            }
            result.queue_urls.emplace_back(*url);
          }
        }
        result.next_token = reader.optional_string(root, "NextToken", "");
        return result;
      });
}

void parse_empty_response(Operation operation, std::string_view body, const ParseLimits& limits) {
  read_response(operation, body, limits, [](const Reader&, const json::object&) { return 0; });
}

}  // namespace postwire::sqs
