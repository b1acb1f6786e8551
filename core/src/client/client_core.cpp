#include "client/client_core.hpp"

#include <boost/asio/post.hpp>
#include <utility>

#include "client/consumer_core.hpp"
#include "client/subscribe_options.hpp"
#include "client/transport_factory.hpp"
#include "runtime/uuid7.hpp"

namespace postwire::client {
namespace {

using Clock = Outgoing::Clock;

std::size_t to_size(std::int64_t value) { return value < 0 ? 0 : static_cast<std::size_t>(value); }

CompressionPolicy compression_policy(const Config& config) {
  return CompressionPolicy{
      .enabled = config.get_string("compression.codec") == "zstd",
      .threshold_bytes = to_size(config.get_int("compression.threshold.bytes")),
      .level = static_cast<int>(config.get_int("compression.level")),
  };
}

}  // namespace

std::shared_ptr<ClientCore> ClientCore::connect(std::string_view url, const Config& config,
                                                const TransportMaker& make) {
  auto parsed = BrokerUrl::parse(url);
  std::shared_ptr<ClientCore> core(
      new ClientCore(std::move(parsed), config));  // NOLINT: private ctor
  core->transport_ = make(core->url_, *core);
  core->per_message_compression_ =
      core->transport_->compression() == Transport::Compression::per_message;
  try {
    core->transport_->start();
  } catch (...) {
    core->closed_ = true;
    core->transport_->close(Error(ErrorCode::closed, "connect failed"));
    core->io_->stop();
    throw;
  }
  return core;
}

ClientCore::ClientCore(BrokerUrl url, Config config)
    : config_(std::move(config)),
      url_(std::move(url)),
      events_(to_size(config_.get_int("event.queue.max.events") +
                      config_.get_int("queue.buffering.max.messages"))),
      logger_(config_,
              [this](LogRecord&& record) {
                if (events_.try_push(Event(std::move(record))) != runtime::PushResult::ok) {
                  metrics_.events_dropped.add();
                }
              }),
      io_(std::make_unique<runtime::IoThread>("postwire-io", &logger_)),
      retry_(config_.get_duration("retry.backoff.ms"), config_.get_duration("retry.backoff.max.ms"),
             config_.get_duration("delivery.timeout.ms")),
      retry_budget_(config_),
      compression_(compression_policy(config_)),
      buffer_(to_size(config_.get_int("queue.buffering.max.messages")),
              to_size(config_.get_int("queue.buffering.max.kbytes")) * 1024,
              to_size(config_.get_int("event.queue.max.events"))),
      max_message_bytes_(to_size(config_.get_int("message.max.bytes"))),
      max_block_(config_.get_duration("max.block.ms")),
      delivery_reports_(config_.get_bool("delivery.reports")) {}

ClientCore::~ClientCore() {
  // A destructor must not throw; closing is best effort here.
  try {
    close(std::chrono::milliseconds(0));
  } catch (...) {  // NOLINT(bugprone-empty-catch)
  }
}

void ClientCore::check_usable() const {
  if (io_->forked()) {
    throw Exception(ErrorCode::forked_process,
                    "this client was created in another process (before fork()); create a new "
                    "client in the child");
  }
  if (closed_.load(std::memory_order_acquire)) {
    throw Exception(ErrorCode::closed, "the client is closed");
  }
}

Transport& ClientCore::transport() {
  check_usable();
  return *transport_;
}

std::string ClientCore::send(std::string_view destination, Message&& message, std::uint64_t token) {
  // `message` is only moved from once the send is accepted: a caller whose send failed still
  // has it, whole, to retry or report.
  check_usable();
  transport_->check_message(destination, message);
  if (message.ttl && message.ttl->count() < 0) {
    throw Exception(ErrorCode::invalid_argument, "message ttl must not be negative");
  }
  if (message.body.size() > max_message_bytes_) {
    throw Exception(ErrorCode::message_too_large,
                    "message body of " + std::to_string(message.body.size()) +
                        " bytes exceeds message.max.bytes=" + std::to_string(max_message_bytes_));
  }
  auto outgoing = std::make_unique<Outgoing>();
  outgoing->created = Clock::now();
  auto compressed = compress_body(message.body);
  outgoing->compressed = compressed.has_value();
  outgoing->buffered_bytes = compressed ? compressed->size() : message.body.size();
  switch (buffer_.acquire(outgoing->buffered_bytes, outgoing->created + max_block_)) {
    case SendBuffer::Acquire::ok:
      break;
    case SendBuffer::Acquire::full:
      throw Exception(ErrorCode::queue_full,
                      "the send buffer stayed full for max.block.ms=" +
                          std::to_string(max_block_.count()) + " (" + buffer_.describe_limits() +
                          "); poll delivery reports and flush, or raise the limits");
    case SendBuffer::Acquire::blocked:
      throw Exception(ErrorCode::queue_full,
                      "the broker blocked publishers for longer than "
                      "max.block.ms=" +
                          std::to_string(max_block_.count()));
    case SendBuffer::Acquire::closed:
      throw Exception(ErrorCode::closed, "the client is closed");
  }
  outgoing->destination = std::string(destination);
  outgoing->message = std::move(message);
  if (compressed) {
    outgoing->message.body = std::move(*compressed);
  }
  if (outgoing->message.id.empty()) {
    outgoing->message.id = runtime::new_uuid7().to_string();
  }
  if (!outgoing->message.timestamp) {
    outgoing->message.timestamp = std::chrono::system_clock::now();
  }
  std::string id = outgoing->message.id;
  outgoing->token = token;
  {
    std::lock_guard lock(pending_mutex_);
    ++pending_;
  }
  metrics_.buffered_messages.add();
  metrics_.buffered_bytes.add(static_cast<std::int64_t>(outgoing->buffered_bytes));
  if (outgoing->compressed) {
    metrics_.compressed.add();
  }
  transport_->publish(std::move(outgoing));
  return id;
}

OutgoingPtr ClientCore::make_internal(std::string destination, Message message,
                                      std::uint32_t delivery_attempt,
                                      std::function<void(const Error&)> on_done) const {
  auto outgoing = std::make_unique<Outgoing>();
  outgoing->created = Clock::now();
  if (auto compressed = compress_body(message.body)) {
    message.body = std::move(*compressed);
    outgoing->compressed = true;
  }
  outgoing->destination = std::move(destination);
  outgoing->message = std::move(message);
  outgoing->delivery_attempt = delivery_attempt;
  outgoing->on_done = std::move(on_done);
  return outgoing;
}

void ClientCore::flush(std::chrono::milliseconds timeout) {
  check_usable();
  std::unique_lock lock(pending_mutex_);
  if (!pending_done_.wait_for(lock, timeout, [&] { return pending_ == 0; })) {
    throw Exception(ErrorCode::timed_out, "flush: " + std::to_string(pending_) +
                                              " messages still unconfirmed after " +
                                              std::to_string(timeout.count()) + " ms");
  }
}

std::size_t ClientCore::in_flight() const {
  std::lock_guard lock(pending_mutex_);
  return pending_;
}

std::shared_ptr<ConsumerCore> ClientCore::subscribe(std::string_view source,
                                                    const SubscribeOptions& options) {
  check_usable();
  if (source.empty()) {
    throw Exception(ErrorCode::invalid_argument, "subscribe: the source name is empty");
  }
  SubscribeOptions effective = normalized(options);
  const auto prefetch = effective.prefetch.value_or(
      static_cast<std::uint16_t>(config_.get_int("consumer.prefetch.count")));
  auto consumer = std::make_shared<ConsumerCore>(
      ConsumerCore::Options{
          .source = std::string(source),
          .id = next_consumer_id_.fetch_add(1) + 1,
          .buffer_capacity = std::size_t{prefetch} + 16,
          .max_deliveries = static_cast<std::uint32_t>(config_.get_int("max.deliveries")),
          .dedup_window = to_size(config_.get_int("dedup.window.size")),
          .max_message_bytes = max_message_bytes_,
          // The consumer holds the client alive (its owner), so `this` outlives the sink.
          .event_sink = effective.deliver_as_events
                            ? std::function<std::size_t(std::vector<Event>&)>(
                                  [this](std::vector<Event>& events) {
                                    return events_.push_many_beyond_capacity(events);
                                  })
                            : nullptr,
      },
      metrics_, shared_from_this());
  effective.prefetch = prefetch;
  consumer->attach(transport_->subscribe(consumer, effective));
  std::lock_guard lock(close_mutex_);
  std::erase_if(consumers_, [](const auto& weak) { return weak.expired(); });
  consumers_.push_back(consumer);
  return consumer;
}

std::size_t ClientCore::poll(std::vector<Event>& out, std::size_t max,
                             std::chrono::milliseconds timeout) {
  if (io_->forked()) {
    check_usable();
  }
  const std::size_t first = out.size();
  const std::size_t n = events_.poll(out, max, timeout);
  // Polled reports make room for more sends (see SendBuffer).
  std::size_t reports = 0;
  for (std::size_t i = first; i < out.size(); ++i) {
    reports += std::holds_alternative<DeliveryReport>(out[i]) ? 1U : 0U;
  }
  if (reports != 0) {
    buffer_.reports_polled(reports);
  }
  return n;
}

MetricsSnapshot ClientCore::stats() const {
  auto snapshot = metrics_.snapshot();
  snapshot.in_flight = static_cast<std::int64_t>(in_flight());
  return snapshot;
}

Capabilities ClientCore::capabilities() {
  check_usable();
  return transport_->capabilities();
}

void ClientCore::close(std::chrono::milliseconds timeout) {
  std::vector<std::shared_ptr<ConsumerCore>> consumers;
  {
    std::lock_guard lock(close_mutex_);
    if (closed_.load()) {
      return;
    }
    if (!io_->forked()) {
      try {
        flush(timeout);
      } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): what is left fails below
      }
    }
    for (auto& weak : consumers_) {
      if (auto consumer = weak.lock()) {
        consumers.push_back(std::move(consumer));
      }
    }
    consumers_.clear();
  }
  if (io_->forked()) {
    closed_ = true;  // the IO thread lives only in the parent: nothing here to close
    return;
  }
  for (auto& consumer : consumers) {
    consumer->close();
  }
  closed_ = true;
  buffer_.close();
  if (transport_) {
    transport_->close(Error(ErrorCode::closed,
                            "the client was closed before the broker "
                            "confirmed the message"));
  }
  // Reports staged by the last completions reach the event queue before the loop stops.
  try {
    io_->run([](ClientCore* self) -> boost::asio::awaitable<void> {
      self->publish_staged_reports();
      co_return;
    }(this));
  } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): the loop is already gone
  }
  io_->stop();
  emit(ConnectionEvent{.state = ConnectionState::closed, .broker = {}, .error = {}});
  events_.shutdown();
}

void ClientCore::complete(OutgoingPtr message, const Error& outcome) {
  const auto now = Clock::now();
  if (outcome.is_ok()) {
    retry_budget_.record_success(message->retry_ticket);
    metrics_.confirmed.add();
    metrics_.send_to_confirm.record(now - message->created);
  } else {
    metrics_.failed.add();
  }
  if (message->on_done) {
    message->on_done(outcome);
    return;
  }
  metrics_.buffered_messages.sub();
  metrics_.buffered_bytes.sub(static_cast<std::int64_t>(message->buffered_bytes));
  buffer_.release(message->buffered_bytes);
  if (!delivery_reports_) {
    finish_pending(1);
    return;
  }
  buffer_.report_queued();
  staged_reports_.emplace_back(DeliveryReport{
      .token = message->token,
      .id = std::move(message->message.id),
      .destination = std::move(message->destination),
      .error = outcome,
      .attempts = message->attempts,
      .latency = std::chrono::duration_cast<std::chrono::microseconds>(now - message->created),
      .position = std::move(message->position),
  });
  if (staged_reports_.size() == 1) {
    // Reports completed in one pass of the IO loop (a confirm often covers many messages)
    // reach the application with one wakeup.
    boost::asio::post(io_->executor(), [this] { publish_staged_reports(); });
  }
}

void ClientCore::publish_staged_reports() {
  const std::size_t count = staged_reports_.size();
  // Room is reserved: the queue holds queue.buffering.max.messages beyond
  // event.queue.max.events, more than the reports that can be outstanding.
  std::size_t added = 0;
  {
    // The reports and the in-flight count change together: whoever polls a report and then
    // asks in_flight() sees it counted out, and flush() returns only once it can be polled.
    std::lock_guard lock(pending_mutex_);
    added = events_.try_push_many(staged_reports_);
    pending_ -= std::min(pending_, count);
  }
  pending_done_.notify_all();
  if (added < count) {
    buffer_.reports_polled(count - added);  // only after close(): nobody will poll these
  }
  staged_reports_.clear();
}

void ClientCore::finish_pending(std::size_t count) {
  {
    std::lock_guard lock(pending_mutex_);
    pending_ -= std::min(pending_, count);
  }
  pending_done_.notify_all();
}

std::optional<std::string> ClientCore::compress_body(std::string_view body) const {
  return per_message_compression_ ? maybe_compress(body, compression_) : std::nullopt;
}

RetryDecision ClientCore::retry(Outgoing& message, const Error& failure, Clock::time_point now) {
  const auto when = retry_.next_attempt(message.created, message.attempts, now);
  if (!when) {
    return {
        .when = std::nullopt,
        .reason = Error(failure.code(), failure.message() + "; gave up: delivery.timeout.ms spent",
                        false, false)};
  }
  const auto ticket = retry_budget_.try_acquire(failure.code() == ErrorCode::timed_out);
  if (!ticket) {
    return {.when = std::nullopt,
            .reason = Error(ErrorCode::retry_budget_exhausted,
                            "not retried: recent failures spent the retry budget "
                            "(retry.budget.capacity=" +
                                std::to_string(retry_budget_.capacity()) + "); the failure was " +
                                failure.to_string())};
  }
  message.retry_ticket = ticket;
  return {.when = when, .reason = {}};
}

bool ClientCore::expired(const Outgoing& message, Clock::time_point now) const {
  return retry_.expired(message.created, now);
}

void ClientCore::emit(Event event) {
  if (events_.try_push(std::move(event)) != runtime::PushResult::ok) {
    metrics_.events_dropped.add();
  }
}

void ClientCore::set_flow_blocked(bool blocked, std::string reason) {
  buffer_.set_blocked(blocked);
  emit(FlowEvent{.blocked = blocked, .reason = std::move(reason)});
}

}  // namespace postwire::client
