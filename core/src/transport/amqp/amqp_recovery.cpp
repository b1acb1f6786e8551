// AmqpTransport: the connection life cycle. Connecting and recovering are one sequence —
// connection, publisher, topology, subscriptions — run on the connection being restored, so
// that no step waits for a "connected" state that only the end of the sequence sets. A lost
// connection detaches everything and starts the sequence again after a backoff; a
// subscription that the broker refuses (its queue is missing) waits with a backoff of its own
// and is consumed again by the same code.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "transport/amqp/amqp_subscription.hpp"
#include "transport/amqp/amqp_transport.hpp"

namespace postwire::amqp {
namespace {

namespace asio = boost::asio;

// Attempts whose backoff ceiling keeps doubling; later ones stay at the cap.
constexpr unsigned kMaxBackoffAttempt = 16;

bool connection_error(const Error& error) { return error.code() == ErrorCode::connection_closed; }

}  // namespace

asio::awaitable<void> AmqpTransport::connect_and_restore() {
  const std::uint64_t serial = ++connection_serial_;
  auto connection =
      co_await Connection::open(settings_, &client_.logger(), [this, serial](const Error& error) {
        if (serial == connection_serial_ && connected_) {
          on_connection_lost(error);
        }
      });
  connection->on_blocked = [this](bool blocked, std::string reason) {
    client_.set_flow_blocked(blocked, std::move(reason));
  };
  connection_ = connection;
  co_await open_publisher();
  co_await restore_topology();
  co_await restore_subscriptions();
  if (!connection->alive()) {
    throw Exception(ErrorCode::connection_closed,
                    "the connection to " + connection->peer() + " closed while recovering");
  }
  connected_ = true;
  client_.logger().log(LogLevel::info, "amqp", "connected to " + connection->peer());
  client_.emit(ConnectionEvent{
      .state = ConnectionState::connected, .broker = connection->peer(), .error = {}});
  wake_connection_waiters();
  publishing_.pump();
}

void AmqpTransport::on_connection_lost(const Error& error) {
  if (closing_) {
    return;
  }
  const std::string peer = connection_ ? connection_->peer() : std::string();
  connected_ = false;
  detach_everything();
  client_.logger().log(LogLevel::warn, "amqp",
                       "connection to " + peer + " lost (" + error.to_string() + "); recovering");
  client_.emit(
      ConnectionEvent{.state = ConnectionState::recovering, .broker = peer, .error = error});
  asio::co_spawn(client_.io().executor(), recover(), asio::detached);
}

void AmqpTransport::detach_everything() {
  publisher_.reset();
  idle_channels_.clear();
  declared_helpers_.clear();
  for (auto& weak : subscriptions_) {
    if (auto subscription = weak.lock()) {
      if (subscription->state != SubscriptionState::failed) {
        subscription->state = SubscriptionState::detached;
      }
      subscription->channel.reset();
    }
  }
  publishing_.requeue_written();
}

asio::awaitable<void> AmqpTransport::recover() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (unsigned attempt = 0; !closing_; ++attempt) {
    timer.expires_after(reconnect_backoff_.delay(std::min(attempt, kMaxBackoffAttempt)));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    publishing_.expire_waiting(last_error_.is_ok()
                                   ? "the broker was unreachable"
                                   : "the broker was unreachable: " + last_error_.message());
    if (closing_) {
      co_return;
    }
    try {
      co_await connect_and_restore();
      co_return;
    } catch (const Exception& e) {
      if (e.error().fatal()) {
        failed_ = true;
        fatal_error_ = e.error();
        client_.emit(
            ConnectionEvent{.state = ConnectionState::failed, .broker = {}, .error = e.error()});
        fail_everything(e.error());
        wake_connection_waiters();
        co_return;
      }
      last_error_ = e.error();
      client_.logger().log(
          LogLevel::info, "amqp",
          "reconnect attempt " + std::to_string(attempt + 1) + " failed: " + e.error().to_string());
      if (connection_ && connection_->alive()) {
        connection_->abort(e.error());
      }
      // What was restored on the lost connection is restored again on the next one.
      detach_everything();
    }
  }
}

asio::awaitable<void> AmqpTransport::open_publisher() {
  auto channel = co_await Channel::open(connection_, request_timeout_);
  channel->on_async = [this](Incoming&& incoming) { on_publisher_async(std::move(incoming)); };
  channel->on_closed = [this](const Error& error) { on_publisher_closed(error); };
  Method request = ConfirmSelect{};
  co_await channel->call_for<ConfirmSelectOk>(std::move(request));
  publisher_ = channel;
  next_tag_ = 1;
}

asio::awaitable<void> AmqpTransport::restore_topology() {
  // A copy: declaring may not change the registry, but a failure handler could.
  const auto items = topology_.items();
  for (const auto& item : items) {
    try {
      if (const auto* exchange = std::get_if<ExchangeSpec>(&item)) {
        co_await declare_exchange_on_broker(*exchange, Caller::recovery);
      } else if (const auto* queue = std::get_if<QueueSpec>(&item)) {
        co_await declare_queue_on_broker(*queue, Caller::recovery);
      } else {
        co_await bind_on_broker(std::get<BindingSpec>(item), true, Caller::recovery);
      }
    } catch (const Exception& e) {
      if (connection_error(e.error())) {
        throw;
      }
      client_.logger().log(LogLevel::warn, "amqp",
                           "could not restore topology: " + e.error().to_string());
      client_.emit(ErrorEvent{.error = e.error()});
    }
  }
}

asio::awaitable<void> AmqpTransport::restore_subscriptions() {
  // Strong references first: the application may cancel a subscription (and so change
  // subscriptions_) while this waits for the broker.
  std::vector<std::shared_ptr<AmqpSubscription>> live;
  for (auto& weak : subscriptions_) {
    if (auto subscription = weak.lock()) {
      live.push_back(std::move(subscription));
    }
  }
  for (auto& subscription : live) {
    if (!subscription->cancelled && (subscription->state == SubscriptionState::detached ||
                                     subscription->state == SubscriptionState::waiting)) {
      co_await resume(subscription, Caller::recovery);
    }
  }
}

asio::awaitable<bool> AmqpTransport::resume(std::shared_ptr<AmqpSubscription> subscription,
                                            Caller caller) {
  const bool was_waiting = subscription->state == SubscriptionState::waiting;
  subscription->state = SubscriptionState::subscribing;
  try {
    co_await consume(subscription, caller);
  } catch (const Exception& e) {
    // While recovering, a broker that does not answer in time is as good as gone.
    if (connection_error(e.error()) ||
        (caller == Caller::recovery && e.error().code() == ErrorCode::timed_out)) {
      // The connection went: its recovery consumes this subscription again.
      subscription->state = SubscriptionState::detached;
      if (caller == Caller::recovery) {
        throw Exception(ErrorCode::connection_closed,
                        "consuming from '" + subscription->queue +
                            "' failed while recovering: " + e.error().to_string());
      }
      co_return false;
    }
    subscription_refused(subscription, e.error());
    co_return false;
  }
  if (subscription->cancelled) {
    // Cancelled by the application while basic.consume was on its way.
    if (subscription->channel) {
      subscription->channel->close();
      subscription->channel.reset();
    }
    co_return false;
  }
  subscription->state = SubscriptionState::consuming;
  subscription->retry_attempt = 0;
  if (was_waiting) {
    client_.emit(ConsumerEvent{.source = subscription->queue,
                               .state = ConsumerState::active,
                               .error = {},
                               .consumer_id = subscription->consumer_id});
  }
  co_return true;
}

void AmqpTransport::subscription_refused(const std::shared_ptr<AmqpSubscription>& subscription,
                                         const Error& error) {
  if (subscription->cancelled) {
    return;
  }
  if (error.code() == ErrorCode::access_denied) {
    subscription->state = SubscriptionState::failed;
    client_.emit(ConsumerEvent{.source = subscription->queue,
                               .state = ConsumerState::failed,
                               .error = error,
                               .consumer_id = subscription->consumer_id});
    return;
  }
  // Reported once per stretch of waiting, not at every retry.
  if (subscription->retry_attempt == 0) {
    client_.emit(ConsumerEvent{.source = subscription->queue,
                               .state = ConsumerState::cancelled,
                               .error = error,
                               .consumer_id = subscription->consumer_id});
  }
  subscription->state = SubscriptionState::waiting;
  schedule_resume(subscription);
}

void AmqpTransport::schedule_resume(std::shared_ptr<AmqpSubscription> subscription) {
  if (subscription->retry_scheduled) {
    return;
  }
  subscription->retry_scheduled = true;
  const auto delay =
      reconnect_backoff_.delay(std::min(subscription->retry_attempt++, kMaxBackoffAttempt));
  asio::co_spawn(
      client_.io().executor(),
      [](AmqpTransport* self, std::shared_ptr<AmqpSubscription> waiting,
         std::chrono::milliseconds wait) -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(wait);
        boost::system::error_code ignored;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        waiting->retry_scheduled = false;
        // Without a connection the recovery sequence resumes it (it is still waiting).
        if (!waiting->cancelled && waiting->state == SubscriptionState::waiting &&
            self->connected_ && !self->closing_) {
          co_await self->resume(waiting, Caller::application);
        }
      }(this, std::move(subscription), delay),
      asio::detached);
}

asio::awaitable<void> AmqpTransport::wait_until_connected() {
  if (!connected_ && !failed_ && !closing_) {
    // Each waiter has its own timer: re-arming a shared one would cut the others' waits short.
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(request_timeout_);
    connection_waiters_.push_back(&timer);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    std::erase(connection_waiters_, &timer);
  }
  if (failed_) {
    throw Exception(fatal_error_);
  }
  if (closing_) {
    throw Exception(ErrorCode::closed, "the client is closed");
  }
  if (!connected_) {
    throw Exception(ErrorCode::timed_out,
                    "not connected to the broker (recovering) within request.timeout.ms=" +
                        std::to_string(request_timeout_.count()) +
                        (last_error_.is_ok() ? "" : "; last error: " + last_error_.to_string()));
  }
}

void AmqpTransport::wake_connection_waiters() {
  for (auto* timer : connection_waiters_) {
    timer->cancel();
  }
}

}  // namespace postwire::amqp
