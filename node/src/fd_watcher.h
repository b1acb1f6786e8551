// A uv_poll handle on a postwire wakeup fd: calls back on the main thread while the fd is
// readable. Unreferenced unless asked, so an idle client does not keep the process alive.
#pragma once

#include <napi.h>
#include <uv.h>

#include <functional>

namespace postwire_node {

class FdWatcher {
 public:
  using OnReadable = std::function<void()>;

  FdWatcher(Napi::Env env, int fd, OnReadable on_readable);
  ~FdWatcher();
  FdWatcher(const FdWatcher&) = delete;
  FdWatcher& operator=(const FdWatcher&) = delete;

  void Start();
  void Stop();
  // Whether the handle keeps the event loop (and so the process) alive.
  void SetReferenced(bool referenced);
  // Stops for good and releases the handle; safe to call more than once.
  void Close();
  bool active() const { return active_; }

 private:
  static void Readable(uv_poll_t* poll, int status, int events);

  uv_poll_t* poll_ = nullptr;  // freed by uv_close's callback
  OnReadable on_readable_;
  bool active_ = false;
};

}  // namespace postwire_node
