#include "consumer_routes.h"

#include <utility>

namespace postwire_node {

ConsumerRoutes::~ConsumerRoutes() {
  subscribing_ = 0;
  DropUnclaimedIfIdle();
}

void ConsumerRoutes::Remove(uint64_t id, const NativeConsumer* consumer) {
  auto found = consumers_.find(id);
  if (found != consumers_.end() && found->second == consumer) {
    consumers_.erase(found);
  }
}

NativeConsumer* ConsumerRoutes::Find(uint64_t id) const {
  auto found = consumers_.find(id);
  return found == consumers_.end() ? nullptr : found->second;
}

void ConsumerRoutes::Unclaimed(uint64_t id, postwire_message* message) {
  if (subscribing_ > 0) {
    unclaimed_[id].push_back(message);
  } else {
    postwire_message_destroy(message);
  }
}

std::vector<postwire_message*> ConsumerRoutes::Claim(uint64_t id) {
  auto found = unclaimed_.find(id);
  if (found == unclaimed_.end()) {
    return {};
  }
  std::vector<postwire_message*> claimed = std::move(found->second);
  unclaimed_.erase(found);
  return claimed;
}

void ConsumerRoutes::DropUnclaimedIfIdle() {
  if (subscribing_ > 0) {
    return;
  }
  for (auto& [id, messages] : unclaimed_) {
    for (postwire_message* message : messages) {
      postwire_message_destroy(message);
    }
  }
  unclaimed_.clear();
}

}  // namespace postwire_node
