#include "runtime/io_thread.hpp"

#include <pthread.h>
#include <unistd.h>

#include <exception>
#include <utility>

#include "runtime/fork_count.hpp"

namespace postwire::runtime {

IoThread::IoThread(std::string name, const Logger* logger)
    : name_(std::move(name)),
      logger_(logger),
      context_(std::make_unique<boost::asio::io_context>(1)),
      work_(std::make_unique<WorkGuard>(context_->get_executor())),
      owner_pid_(::getpid()),
      fork_count_(fork_count()),
      thread_([this] { loop(); }) {}

IoThread::~IoThread() {
  if (forked()) {
    thread_.detach();
    // Leaked on purpose; see the header.
    static_cast<void>(work_.release());
    static_cast<void>(context_.release());
    return;
  }
  stop();
}

void IoThread::loop() {
  // Linux limits thread names to 15 characters.
  ::pthread_setname_np(::pthread_self(), name_.substr(0, 15).c_str());
  while (true) {
    try {
      context_->run();
      return;
    } catch (const std::exception& error) {
      // A handler threw: log it and keep the loop (and every other connection) alive.
      if (logger_ != nullptr) {
        logger_->log(LogLevel::error, "runtime",
                     std::string("unhandled exception on the IO thread: ") + error.what());
      }
    }
  }
}

void IoThread::stop() {
  if (work_) {
    work_->reset();
  }
  context_->stop();
  if (!in_io_thread() && thread_.joinable()) {
    thread_.join();
  }
}

bool IoThread::in_io_thread() const noexcept {
  return std::this_thread::get_id() == thread_.get_id();
}

bool IoThread::forked() const noexcept { return fork_count() != fork_count_; }

void IoThread::check_blocking_call() const {
  if (forked()) {
    throw Exception(ErrorCode::forked_process,
                    "this client was created in process " + std::to_string(owner_pid_) +
                        " and cannot be used after fork(); create a new client in the child");
  }
  if (in_io_thread()) {
    throw Exception(ErrorCode::internal, "a blocking call was made on the IO thread itself");
  }
  if (context_->stopped()) {
    // Work posted now would never run, and the caller would wait for ever.
    throw Exception(ErrorCode::closed, "the client's IO thread has stopped (the client is closed)");
  }
}

}  // namespace postwire::runtime
