#include "runtime/wakeup_fd.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "postwire/error.hpp"

namespace postwire::runtime {

WakeupFd::WakeupFd() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) {
    throw Exception(ErrorCode::internal, std::string("cannot create the event queue's eventfd: ") +
                                             std::strerror(errno));
  }
}

WakeupFd::~WakeupFd() { ::close(fd_); }

void WakeupFd::signal() noexcept {
  const std::uint64_t one = 1;
  // The counter cannot overflow in practice (clear() resets it); EAGAIN would only mean it
  // is already readable, which is all we want.
  [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
}

void WakeupFd::clear() noexcept {
  std::uint64_t value = 0;
  [[maybe_unused]] const auto read = ::read(fd_, &value, sizeof value);
}

}  // namespace postwire::runtime
