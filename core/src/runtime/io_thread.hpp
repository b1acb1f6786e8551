#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "postwire/error.hpp"
#include "runtime/logger.hpp"

namespace postwire::runtime {

// The one thread on which a client's network work runs: an Asio io_context, kept alive until
// stop(). Broker connections are coroutines on it; application threads post work to it and
// never touch its sockets directly.
class IoThread {
 public:
  // Starts the thread at once. `logger` (optional) must outlive this object.
  explicit IoThread(std::string name, const Logger* logger = nullptr);
  // Stops and joins the thread. Owners must not destroy it from the IO thread itself (from a
  // handler), as the loop would then outlive its io_context. In a forked child, where the thread
  // does not exist, the io_context and its work guard are deliberately leaked: the epoll set and
  // wakeup fd are shared with the parent, and tearing them down here would unregister the parent's
  // sockets or wake its loop.
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  [[nodiscard]] boost::asio::io_context& context() noexcept { return *context_; }
  [[nodiscard]] boost::asio::any_io_executor executor() noexcept {
    return context_->get_executor();
  }

  // Stops the loop, abandoning work still pending (owners close their connections first),
  // and joins the thread. Idempotent. Called
  // from the IO thread itself it only stops the loop (joining would deadlock).
  void stop();

  [[nodiscard]] bool in_io_thread() const noexcept;
  // True in a child process forked after this object was created.
  [[nodiscard]] bool forked() const noexcept;

  // Runs `operation` on the IO thread and blocks the calling thread until it completes,
  // returning its result or rethrowing its exception. Refused from the IO thread itself.
  template <typename T>
  T run(boost::asio::awaitable<T> operation) {
    check_blocking_call();
    auto result = boost::asio::co_spawn(*context_, std::move(operation), boost::asio::use_future);
    return result.get();
  }

 private:
  void check_blocking_call() const;
  void loop();

  std::string name_;
  const Logger* logger_;
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  std::unique_ptr<boost::asio::io_context> context_;
  std::unique_ptr<WorkGuard> work_;  // keeps run() going while there is nothing to do
  pid_t owner_pid_;                  // for error messages
  std::uint64_t fork_count_;         // see fork_count()
  std::thread thread_;
};

}  // namespace postwire::runtime
