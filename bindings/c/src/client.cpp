// postwire_client_*: connecting, closing, events, stats and capabilities.
#include <cstdio>
#include <vector>

#include "client/subscribe_options.hpp"
#include "handles.hpp"

using namespace postwire;
using namespace postwire::c_api;

namespace {

ErrorHandle carried_error(const Event& event) {
  ErrorHandle carried;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, DeliveryReport> || std::is_same_v<T, ConnectionEvent> ||
                      std::is_same_v<T, ConsumerEvent> || std::is_same_v<T, ErrorEvent>) {
          carried.error = e.error;
        }
      },
      event);
  return carried;
}

postwire_consumer* subscribed(ClientHandle& self, std::string_view source,
                              const SubscribeOptions& options) {
  auto handle = std::make_unique<ConsumerHandle>();
  handle->consumer = self.client->subscribe(source, options);
  return hand_out<postwire_consumer>(std::move(handle));
}

std::uint64_t capability_bits(const Capabilities& c) {
  std::uint64_t bits = 0;
  const auto set = [&](bool has, unsigned bit) { bits |= has ? bit : 0U; };
  set(c.exchanges, POSTWIRE_CAP_EXCHANGES);
  set(c.priorities, POSTWIRE_CAP_PRIORITIES);
  set(c.per_message_ttl, POSTWIRE_CAP_PER_MESSAGE_TTL);
  set(c.delayed_nack, POSTWIRE_CAP_DELAYED_NACK);
  set(c.broker_dead_letter, POSTWIRE_CAP_BROKER_DEAD_LETTER);
  set(c.exclusive_consumers, POSTWIRE_CAP_EXCLUSIVE_CONSUMERS);
  set(c.single_active_consumer, POSTWIRE_CAP_SINGLE_ACTIVE_CONSUMER);
  set(c.quorum_queues, POSTWIRE_CAP_QUORUM_QUEUES);
  set(c.partitions, POSTWIRE_CAP_PARTITIONS);
  set(c.seek, POSTWIRE_CAP_SEEK);
  set(c.consumer_groups, POSTWIRE_CAP_CONSUMER_GROUPS);
  set(c.fifo, POSTWIRE_CAP_FIFO);
  set(c.native_delay, POSTWIRE_CAP_NATIVE_DELAY);
  set(c.visibility_extension, POSTWIRE_CAP_VISIBILITY_EXTENSION);
  return bits;
}

}  // namespace

extern "C" {

postwire_code postwire_client_connect(const char* url, const postwire_config* config,
                                      postwire_client** client, postwire_error** error) {
  return guarded(error, [&] {
    const auto u = text(url, "url");
    auto& result = out(client, "client");
    const Config defaults;
    const Config& effective = config == nullptr ? defaults : checked(config, "config").config;
    auto handle = std::make_unique<ClientHandle>();
    handle->client.emplace(Client::connect(u, effective));
    result = hand_out<postwire_client>(std::move(handle));
  });
}

postwire_code postwire_client_close(postwire_client* client, std::int64_t timeout_ms,
                                    postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(client, "client");
    if (self.closed.exchange(true)) {
      throw Exception(ErrorCode::closed, "the client was already closed");
    }
    self.client->close(timeout_ms < 0 ? std::chrono::milliseconds(10000)
                                      : std::chrono::milliseconds(timeout_ms));
  });
}

void postwire_client_destroy(postwire_client* client) {
  // ~Client closes it (with the default timeout) unless closed, and in a forked child only
  // lets go of the parent's state.
  reclaim(client);
}

postwire_code postwire_client_wakeup_fd(postwire_client* client, int* fd, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(client, "client");
    out(fd, "fd") = self.client->wakeup_fd();
  });
}

postwire_code postwire_client_poll(postwire_client* client, postwire_event** events,
                                   std::size_t max, std::int64_t timeout_ms, std::size_t* count,
                                   postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(client, "client");
    auto& n = out(count, "count");
    if (events == nullptr) {
      throw_invalid("events is NULL");
    }
    if (max == 0) {
      throw_invalid("max is 0: there is no room for an event");
    }
    // Events taken here are handed out only once every handle exists, so a failure hands
    // out none and leaks none; running out of memory at that point loses the events taken.
    std::vector<std::unique_ptr<EventHandle>> handles;
    std::vector<Event> batch;
    batch.reserve(std::min<std::size_t>(max, kReserveLimit));
    self.client->poll(batch, max, timeout(timeout_ms));
    handles.reserve(batch.size());
    for (auto& event : batch) {
      auto handle = std::make_unique<EventHandle>();
      handle->carried = carried_error(event);
      if (const auto* delivery = std::get_if<Delivery>(&event)) {
        handle->message_consumer_id = delivery->consumer_id();
      }
      handle->event = std::move(event);
      handles.push_back(std::move(handle));
    }
    for (std::size_t i = 0; i < handles.size(); ++i) {
      events[i] = hand_out<postwire_event>(std::move(handles[i]));
    }
    n = handles.size();
  });
}

postwire_code postwire_client_stats(postwire_client* client, char** json, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = checked(client, "client");
    auto& result = out(json, "json");
    result = owned_string(self.client->stats().to_json());
  });
}

postwire_code postwire_client_capabilities(postwire_client* client, std::uint64_t* capabilities,
                                           postwire_error** error) {
  return guarded(error, [&] {
    auto& self = open_client(client);
    out(capabilities, "capabilities") = capability_bits(self.client->capabilities());
  });
}

postwire_code postwire_client_producer(postwire_client* client, postwire_producer** producer,
                                       postwire_error** error) {
  return guarded(error, [&] {
    auto& self = open_client(client);
    auto& result = out(producer, "producer");
    auto handle = std::make_unique<ProducerHandle>();
    handle->producer = self.client->producer();
    result = hand_out<postwire_producer>(std::move(handle));
  });
}

postwire_code postwire_client_subscribe(postwire_client* client, const char* source,
                                        std::uint32_t prefetch, std::uint32_t flags,
                                        postwire_consumer** consumer, postwire_error** error) {
  return guarded(error, [&] {
    auto& self = open_client(client);
    const auto name = text(source, "source");
    auto& result = out(consumer, "consumer");
    constexpr std::uint32_t known = POSTWIRE_SUBSCRIBE_EXCLUSIVE | POSTWIRE_SUBSCRIBE_TO_EVENTS;
    if ((flags & ~known) != 0) {
      throw_invalid("subscribe: unknown flags 0x" + [&] {
        char hex[9];
        std::snprintf(hex, sizeof hex, "%x", flags & ~known);
        return std::string(hex);
      }());
    }
    if (prefetch > 0xFFFF) {
      throw_invalid("subscribe: prefetch " + std::to_string(prefetch) +
                    " is above the largest the protocol carries (65535)");
    }
    SubscribeOptions options;
    if (prefetch != 0) {
      options.prefetch = static_cast<std::uint16_t>(prefetch);
    }
    options.exclusive = (flags & POSTWIRE_SUBSCRIBE_EXCLUSIVE) != 0;
    options.deliver_as_events = (flags & POSTWIRE_SUBSCRIBE_TO_EVENTS) != 0;
    result = subscribed(self, name, options);
  });
}

postwire_code postwire_client_subscribe_with_options(postwire_client* client, const char* source,
                                                     const char* const* options,
                                                     std::size_t option_count,
                                                     postwire_consumer** consumer,
                                                     postwire_error** error) {
  return guarded(error, [&] {
    auto& self = open_client(client);
    const auto name = text(source, "source");
    auto& result = out(consumer, "consumer");
    const auto parsed =
        postwire::client::subscribe_options_from(option_pairs(options, option_count));
    result = subscribed(self, name, parsed);
  });
}

}  // extern "C"
