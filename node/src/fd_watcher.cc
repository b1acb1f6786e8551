#include "fd_watcher.h"

#include <utility>

namespace postwire_node {

FdWatcher::FdWatcher(Napi::Env env, int fd, OnReadable on_readable)
    : on_readable_(std::move(on_readable)) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    throw Napi::Error::New(env, "postwire: no event loop");
  }
  poll_ = new uv_poll_t;
  if (uv_poll_init(loop, poll_, fd) != 0) {
    delete poll_;
    poll_ = nullptr;
    throw Napi::Error::New(env, "postwire: cannot watch the wakeup fd");
  }
  poll_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
}

FdWatcher::~FdWatcher() { Close(); }

void FdWatcher::Start() {
  if (poll_ != nullptr && !active_) {
    active_ = uv_poll_start(poll_, UV_READABLE, Readable) == 0;
  }
}

void FdWatcher::Stop() {
  if (poll_ != nullptr && active_) {
    uv_poll_stop(poll_);
    active_ = false;
  }
}

void FdWatcher::SetReferenced(bool referenced) {
  if (poll_ == nullptr) {
    return;
  }
  auto* handle = reinterpret_cast<uv_handle_t*>(poll_);
  if (referenced) {
    uv_ref(handle);
  } else {
    uv_unref(handle);
  }
}

void FdWatcher::Close() {
  if (poll_ == nullptr) {
    return;
  }
  Stop();
  poll_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(poll_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
  poll_ = nullptr;
}

void FdWatcher::Readable(uv_poll_t* poll, int /*status*/, int /*events*/) {
  auto* self = static_cast<FdWatcher*>(poll->data);
  if (self == nullptr) {
    return;
  }
  // Nothing may be thrown into libuv. The callbacks catch what they can report; anything
  // else stops the watching rather than end the process.
  try {
    self->on_readable_();
  } catch (...) {
    if (poll->data == self) {
      self->Stop();
    }
  }
}

}  // namespace postwire_node
