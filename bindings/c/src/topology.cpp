// postwire_client_declare_* and the other topology calls: string options, parsed by the core.
#include "client/topology_options.hpp"
#include "handles.hpp"

using namespace postwire;
using namespace postwire::c_api;

namespace {

// bind and unbind take the same arguments.
BindingSpec binding_of(const char* exchange, const char* destination, const char* const* options,
                       std::size_t option_count) {
  return postwire::client::binding_spec_from(text(exchange, "exchange"),
                                             text(destination, "destination"),
                                             option_pairs(options, option_count));
}

void set_if(std::uint64_t* target, std::uint64_t value) {
  if (target != nullptr) {
    *target = value;
  }
}

}  // namespace

extern "C" {

postwire_code postwire_client_declare_queue(postwire_client* client, const char* name,
                                            const char* const* options, std::size_t option_count,
                                            char** name_out, std::uint64_t* message_count,
                                            std::uint64_t* consumer_count, postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    const auto spec =
        postwire::client::queue_spec_from(text(name, "name"), option_pairs(options, option_count));
    const QueueInfo info = c.declare_queue(spec);
    // Allocated last: nothing can fail after it is handed over.
    set_if(message_count, info.message_count);
    set_if(consumer_count, info.consumer_count);
    if (name_out != nullptr) {
      *name_out = owned_string(info.name);
    }
  });
}

postwire_code postwire_client_declare_exchange(postwire_client* client, const char* name,
                                               const char* const* options, std::size_t option_count,
                                               postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    c.declare_exchange(postwire::client::exchange_spec_from(text(name, "name"),
                                                            option_pairs(options, option_count)));
  });
}

postwire_code postwire_client_bind(postwire_client* client, const char* exchange,
                                   const char* destination, const char* const* options,
                                   std::size_t option_count, postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    c.bind(binding_of(exchange, destination, options, option_count));
  });
}

postwire_code postwire_client_unbind(postwire_client* client, const char* exchange,
                                     const char* destination, const char* const* options,
                                     std::size_t option_count, postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    c.unbind(binding_of(exchange, destination, options, option_count));
  });
}

postwire_code postwire_client_purge_queue(postwire_client* client, const char* name,
                                          std::uint64_t* removed, postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    set_if(removed, c.purge_queue(text(name, "name")));
  });
}

postwire_code postwire_client_delete_queue(postwire_client* client, const char* name,
                                           const char* const* options, std::size_t option_count,
                                           std::uint64_t* removed, postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    const auto n = text(name, "name");
    set_if(removed, c.delete_queue(n, postwire::client::delete_queue_options_from(
                                          option_pairs(options, option_count))));
  });
}

postwire_code postwire_client_delete_exchange(postwire_client* client, const char* name,
                                              const char* const* options, std::size_t option_count,
                                              postwire_error** error) {
  return guarded(error, [&] {
    auto& c = *open_client(client).client;
    const auto n = text(name, "name");
    c.delete_exchange(
        n, postwire::client::delete_exchange_if_unused_from(option_pairs(options, option_count)));
  });
}

}  // extern "C"
