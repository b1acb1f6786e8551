#pragma once

namespace postwire::runtime {

// An eventfd used as a level-triggered "something is pending" flag that event loops can wait
// on (epoll, asyncio's add_reader, libuv's uv_poll). Not thread-safe on its own: the owner
// serialises signal() and clear().
class WakeupFd {
 public:
  // Throws Exception(internal) if the kernel refuses an eventfd.
  WakeupFd();
  ~WakeupFd();
  WakeupFd(const WakeupFd&) = delete;
  WakeupFd& operator=(const WakeupFd&) = delete;

  [[nodiscard]] int fd() const noexcept { return fd_; }
  // Makes the fd readable (idempotent).
  void signal() noexcept;
  // Makes the fd unreadable again.
  void clear() noexcept;

 private:
  int fd_ = -1;
};

}  // namespace postwire::runtime
