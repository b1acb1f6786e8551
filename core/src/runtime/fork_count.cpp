#include "runtime/fork_count.hpp"

#include <pthread.h>

#include <atomic>

namespace postwire::runtime {
namespace {

std::atomic<std::uint64_t> forks{0};

void on_fork_in_child() noexcept { forks.fetch_add(1, std::memory_order_relaxed); }

// Registered before main() runs, so that no fork can slip in before the handler exists.
const int registered = pthread_atfork(nullptr, nullptr, &on_fork_in_child);

}  // namespace

std::uint64_t fork_count() noexcept {
  static_cast<void>(registered);
  return forks.load(std::memory_order_relaxed);
}

}  // namespace postwire::runtime
