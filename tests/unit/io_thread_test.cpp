#include "runtime/io_thread.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <thread>

namespace postwire::runtime {
namespace {

namespace asio = boost::asio;

TEST(IoThread, RunsCoroutinesOnItsOwnThread) {
  IoThread io("test-io");
  const auto caller = std::this_thread::get_id();
  const auto result = io.run([&]() -> asio::awaitable<std::thread::id> {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
    co_await timer.async_wait(asio::use_awaitable);
    EXPECT_TRUE(io.in_io_thread());
    co_return std::this_thread::get_id();
  }());
  EXPECT_NE(result, caller);
  EXPECT_FALSE(io.in_io_thread());
}

TEST(IoThread, PropagatesExceptionsToTheCaller) {
  IoThread io("test-io");
  try {
    io.run([]() -> asio::awaitable<int> {
      throw Exception(ErrorCode::protocol_error, "bad frame");
      co_return 0;
    }());
    FAIL() << "expected an exception";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::protocol_error);
  }
}

TEST(IoThread, StopIsIdempotent) {
  IoThread io("test-io");
  io.stop();
  io.stop();
}

TEST(IoThread, SurvivesAHandlerThatThrows) {
  std::vector<LogRecord> records;
  std::mutex mutex;
  const Logger logger("svc", LogLevel::error, [&](LogRecord&& r) {
    std::lock_guard lock(mutex);
    records.push_back(std::move(r));
  });
  IoThread io("test-io", &logger);
  asio::post(io.context(), [] { throw std::runtime_error("boom"); });
  // The loop keeps running and serves later work.
  EXPECT_EQ(io.run([]() -> asio::awaitable<int> { co_return 42; }()), 42);
  std::lock_guard lock(mutex);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_NE(records[0].message.find("boom"), std::string::npos);
}

TEST(IoThread, RefusesUseFromAForkedChild) {
  IoThread io("test-io");
  // Fork while the IO thread idles, as an application's client would between operations: a
  // thread caught inside the allocator at fork() leaves its lock held in the child, and
  // sanitizer allocators (unlike glibc's) do not repair that.
  EXPECT_EQ(io.run([]() -> asio::awaitable<int> { co_return 0; }()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = 1;
    try {
      io.run([]() -> asio::awaitable<int> { co_return 1; }());
    } catch (const Exception& e) {
      code = e.code() == ErrorCode::forked_process ? 0 : 2;
    }
    // ~IoThread in the child, where the thread does not exist, must neither hang nor crash.
    std::destroy_at(&io);
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // The parent's thread is unaffected.
  EXPECT_EQ(io.run([]() -> asio::awaitable<int> { co_return 7; }()), 7);
}

}  // namespace
}  // namespace postwire::runtime
