#include "client/dedup_window.hpp"

#include <utility>

namespace postwire::client {

DedupWindow::DedupWindow(std::size_t capacity) : capacity_(capacity) {}

bool DedupWindow::contains(std::string_view id) const { return index_.contains(id); }

void DedupWindow::remember(std::string id) {
  if (capacity_ == 0 || index_.contains(id)) {
    return;
  }
  if (order_.size() == capacity_) {
    index_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(std::move(id));
  index_.insert(order_.back());
}

}  // namespace postwire::client
