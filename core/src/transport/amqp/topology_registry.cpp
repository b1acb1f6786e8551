#include "transport/amqp/topology_registry.hpp"

#include <algorithm>

namespace postwire::amqp {
namespace {

bool same_binding(const BindingSpec& a, const BindingSpec& b) {
  const auto headers_equal = [](const Headers& x, const Headers& y) {
    return std::ranges::equal(x, y, [](const Header& l, const Header& r) {
      return l.name == r.name && l.value == r.value;
    });
  };
  return a.exchange == b.exchange && a.destination == b.destination &&
         a.destination_is_exchange == b.destination_is_exchange && a.routing_key == b.routing_key &&
         a.match_all == b.match_all && headers_equal(a.match_headers, b.match_headers);
}

}  // namespace

void TopologyRegistry::add(const ExchangeSpec& spec) {
  remove_if_same_name<ExchangeSpec>(spec.name);
  items_.emplace_back(spec);
}

void TopologyRegistry::add(const QueueSpec& spec) {
  if (spec.name.empty()) {
    return;
  }
  remove_if_same_name<QueueSpec>(spec.name);
  items_.emplace_back(spec);
}

void TopologyRegistry::add(const BindingSpec& binding) {
  remove_binding(binding);
  items_.emplace_back(binding);
}

void TopologyRegistry::remove_binding(const BindingSpec& binding) {
  std::erase_if(items_, [&](const Item& item) {
    const auto* existing = std::get_if<BindingSpec>(&item);
    return existing != nullptr && same_binding(*existing, binding);
  });
}

void TopologyRegistry::remove_queue(std::string_view name) {
  std::erase_if(items_, [&](const Item& item) {
    if (const auto* queue = std::get_if<QueueSpec>(&item)) {
      return queue->name == name;
    }
    if (const auto* binding = std::get_if<BindingSpec>(&item)) {
      return !binding->destination_is_exchange && binding->destination == name;
    }
    return false;
  });
}

void TopologyRegistry::remove_exchange(std::string_view name) {
  std::erase_if(items_, [&](const Item& item) {
    if (const auto* exchange = std::get_if<ExchangeSpec>(&item)) {
      return exchange->name == name;
    }
    if (const auto* binding = std::get_if<BindingSpec>(&item)) {
      return binding->exchange == name ||
             (binding->destination_is_exchange && binding->destination == name);
    }
    return false;
  });
}

}  // namespace postwire::amqp
