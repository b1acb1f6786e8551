// Which consumer a message delivered as a client event (deliver_as_events) is for: the client
// polls one event queue for all such consumers and hands each message to the NativeConsumer
// whose id it carries (postwire_event_consumer_id), never by its source, as two consumers may
// share one source. Shared by a client and its consumers, which may be collected in any order;
// used on the main thread only.
#pragma once

#include <postwire.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace postwire_node {

class NativeConsumer;

class ConsumerRoutes {
 public:
  ConsumerRoutes() = default;
  ConsumerRoutes(const ConsumerRoutes&) = delete;
  ConsumerRoutes& operator=(const ConsumerRoutes&) = delete;
  ~ConsumerRoutes();

  void Add(uint64_t id, NativeConsumer* consumer) { consumers_[id] = consumer; }
  void Remove(uint64_t id, const NativeConsumer* consumer);
  NativeConsumer* Find(uint64_t id) const;

  // A subscribe runs on the thread pool, and the new consumer's first messages may be polled
  // before it returns and its NativeConsumer exists: while one is under way, messages for no
  // known consumer are kept for their consumer to claim.
  void SubscribeStarted() { ++subscribing_; }
  void SubscribeEnded() { --subscribing_; }
  // Takes ownership of a message for no known consumer: kept while a subscribe is under way,
  // else freed unsettled (its consumer is gone, and the broker redelivers it).
  void Unclaimed(uint64_t id, postwire_message* message);
  // The messages kept for consumer `id`, in order; the caller owns them.
  std::vector<postwire_message*> Claim(uint64_t id);
  // With no subscribe under way, frees what no consumer claimed.
  void DropUnclaimedIfIdle();

 private:
  std::unordered_map<uint64_t, NativeConsumer*> consumers_;
  std::unordered_map<uint64_t, std::vector<postwire_message*>> unclaimed_;
  int subscribing_ = 0;
};

}  // namespace postwire_node
