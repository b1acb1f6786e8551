#include "client/republish.hpp"

#include "client/envelope_headers.hpp"

namespace postwire::client {
namespace {

void set_header(Headers& headers, std::string_view name, std::string value) {
  for (auto& header : headers) {
    if (header.name == name) {
      header.value = std::move(value);
      return;
    }
  }
  headers.push_back(Header{std::string(name), std::move(value)});
}

}  // namespace

Republish dead_letter_copy(const InboundMessage& original, std::string destination,
                           std::string_view reason) {
  Republish copy{.destination = std::move(destination),
                 .message = original.message,
                 .delivery_attempt = original.delivery_count};
  set_header(copy.message.headers, dead_letter_reason_header, std::string(reason));
  set_header(copy.message.headers, original_destination_header, original.source);
  return copy;
}

Republish redelivery_copy(const InboundMessage& original, std::string destination) {
  return Republish{.destination = std::move(destination),
                   .message = original.message,
                   .delivery_attempt = original.delivery_count + 1};
}

OutgoingPtr republish(TransportHost& host, Republish copy,
                      std::function<void(bool confirmed)> settle_original) {
  return host.make_internal(std::move(copy.destination), std::move(copy.message),
                            copy.delivery_attempt,
                            [&host, settle = std::move(settle_original)](const Error& outcome) {
                              if (!outcome.is_ok()) {
                                host.emit(ErrorEvent{.error = outcome});
                              }
                              settle(outcome.is_ok());
                            });
}

}  // namespace postwire::client
