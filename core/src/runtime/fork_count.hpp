#pragma once

#include <cstdint>

namespace postwire::runtime {

// How many times this process's ancestry has forked since postwire was loaded: 0 in the
// original process, higher in a child. Comparing two readings tells whether the caller is in a
// child of the process that took the first one, without a system call (getpid() is one on
// current glibc, and the hot paths ask on every call).
std::uint64_t fork_count() noexcept;

}  // namespace postwire::runtime
