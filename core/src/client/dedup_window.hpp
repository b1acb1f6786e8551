#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace postwire::client {

// The most recent `capacity` message ids a consumer has seen, to drop redeliveries of a
// message it already handled. Bounded: remembering a new id when full forgets the oldest one
// (first in, first out). Lookups and insertions are O(1) amortised. Capacity 0 disables it:
// nothing is remembered and contains() is always false. Not thread-safe: one consumer owns it.
class DedupWindow {
 public:
  explicit DedupWindow(std::size_t capacity);

  DedupWindow(const DedupWindow&) = delete;
  DedupWindow& operator=(const DedupWindow&) = delete;

  [[nodiscard]] bool contains(std::string_view id) const;
  // Records `id` as seen. An id already in the window keeps its place: the window orders ids
  // by first sight, so a message redelivered over and over still ages out.
  void remember(std::string id);

  [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::size_t capacity_;
  // The ids, oldest first. A deque never moves its elements when growing or shrinking at the
  // ends, so the views in index_ stay valid until their id is popped.
  std::deque<std::string> order_;
  std::unordered_set<std::string_view> index_;
};

}  // namespace postwire::client
