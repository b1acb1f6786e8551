#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <set>

namespace postwire::runtime {

// The waits of an owner's coroutines (backoff between attempts, polls), which the owner cuts
// short when it closes: a coroutine left sleeping after the IO thread stops would keep what it
// holds alive for ever. IO thread only.
class Pauses {
 public:
  explicit Pauses(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
  Pauses(const Pauses&) = delete;
  Pauses& operator=(const Pauses&) = delete;

  // Waits `duration`, or less once cancel_all() is called; after it, returns at once. The
  // caller checks its own closing state afterwards.
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration) {
    if (cancelled_) co_return;
    boost::asio::steady_timer timer(executor_, duration);
    active_.insert(&timer);
    boost::system::error_code ignored;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    active_.erase(&timer);
  }

  void cancel_all() {
    cancelled_ = true;
    for (auto* timer : active_) timer->cancel();
  }

 private:
  boost::asio::any_io_executor executor_;
  std::set<boost::asio::steady_timer*> active_;
  bool cancelled_ = false;
};

}  // namespace postwire::runtime
