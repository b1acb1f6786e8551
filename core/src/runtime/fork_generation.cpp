#include "runtime/fork_generation.hpp"

#include <pthread.h>

#include <atomic>

namespace postwire::runtime {
namespace {

std::atomic<std::uint64_t> generation{0};

void on_fork_in_child() noexcept { generation.fetch_add(1, std::memory_order_relaxed); }

// Registered before main() runs, so that no fork can slip in before the handler exists.
const int registered = pthread_atfork(nullptr, nullptr, &on_fork_in_child);

}  // namespace

std::uint64_t fork_generation() noexcept {
  static_cast<void>(registered);
  return generation.load(std::memory_order_relaxed);
}

}  // namespace postwire::runtime
