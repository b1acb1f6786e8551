#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "postwire/topology.hpp"

namespace postwire::amqp {

// The exchanges, queues and bindings this client declared, in declaration order, so that they
// can be declared again on a new connection (a broker restart loses non-durable ones, and a
// failover node may not have them). Deleting or unbinding removes them.
class TopologyRegistry {
 public:
  using Item = std::variant<ExchangeSpec, QueueSpec, BindingSpec>;

  void add(const ExchangeSpec& spec);
  void add(const QueueSpec& spec);  // server-named queues are not recorded
  void add(const BindingSpec& binding);
  void remove_binding(const BindingSpec& binding);
  void remove_queue(std::string_view name);     // and its bindings
  void remove_exchange(std::string_view name);  // and bindings from or to it

  [[nodiscard]] const std::vector<Item>& items() const noexcept { return items_; }

 private:
  template <typename Spec>
  void remove_if_same_name(std::string_view name) {
    std::erase_if(items_, [&](const Item& item) {
      const auto* spec = std::get_if<Spec>(&item);
      return spec != nullptr && spec->name == name;
    });
  }

  std::vector<Item> items_;
};

}  // namespace postwire::amqp
