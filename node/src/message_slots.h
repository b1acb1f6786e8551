// The received messages a consumer has handed to JavaScript and that are not settled yet.
// JavaScript names a message by (slot, generation); the generation changes whenever a slot is
// reused, so a stale name (a message settled twice) is recognised instead of settling another
// message. The broker's prefetch bounds how many are unsettled, so the table stays small, and
// no per-message finalizer is needed: what is left is freed when the consumer ends.
#pragma once

#include <postwire.h>

#include <cstdint>
#include <vector>

namespace postwire_node {

class MessageSlots {
 public:
  MessageSlots() = default;
  MessageSlots(const MessageSlots&) = delete;
  MessageSlots& operator=(const MessageSlots&) = delete;
  ~MessageSlots() { Clear(); }

  // Takes ownership of `message`; returns its slot (its generation is generation(slot)).
  uint32_t Add(postwire_message* message) {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      messages_[slot] = message;
    } else {
      slot = static_cast<uint32_t>(messages_.size());
      messages_.push_back(message);
      generations_.push_back(0);
    }
    return slot;
  }

  uint32_t generation(uint32_t slot) const { return generations_[slot]; }

  // The message named (slot, generation), or nullptr when that name is stale.
  postwire_message* Find(uint32_t slot, uint32_t generation) const {
    if (slot >= messages_.size() || generations_[slot] != generation) {
      return nullptr;
    }
    return messages_[slot];
  }

  // Frees the message in `slot` and makes the slot's current name stale.
  void Remove(uint32_t slot) {
    postwire_message_destroy(messages_[slot]);
    messages_[slot] = nullptr;
    ++generations_[slot];
    free_.push_back(slot);
  }

  // Frees every message left (they can no longer be settled once the consumer ended).
  void Clear() {
    for (uint32_t slot = 0; slot < messages_.size(); ++slot) {
      if (messages_[slot] != nullptr) {
        Remove(slot);
      }
    }
  }

 private:
  std::vector<postwire_message*> messages_;
  std::vector<uint32_t> generations_;
  std::vector<uint32_t> free_;
};

}  // namespace postwire_node
