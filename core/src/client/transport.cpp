// The topology calls a transport need not have: each fails with not_supported, naming itself.
#include "client/transport.hpp"

namespace postwire::client {
namespace {

[[noreturn]] void refuse(std::string_view call) {
  throw Exception(ErrorCode::not_supported,
                  std::string(call) + " is not supported by this broker (see capabilities())");
}

}  // namespace

QueueInfo Transport::declare_queue(const QueueSpec& /*spec*/) { refuse("declare_queue"); }
void Transport::declare_exchange(const ExchangeSpec& /*spec*/) { refuse("declare_exchange"); }
void Transport::bind(const BindingSpec& /*binding*/) { refuse("bind"); }
void Transport::unbind(const BindingSpec& /*binding*/) { refuse("unbind"); }
std::uint64_t Transport::purge_queue(std::string_view /*name*/) { refuse("purge_queue"); }
std::uint64_t Transport::delete_queue(std::string_view /*name*/,
                                      const DeleteQueueOptions& /*options*/) {
  refuse("delete_queue");
}
void Transport::delete_exchange(std::string_view /*name*/, bool /*if_unused*/) {
  refuse("delete_exchange");
}

}  // namespace postwire::client
