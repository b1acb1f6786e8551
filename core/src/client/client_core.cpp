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
      // Room for every report that can be outstanding: the send buffer's and the line's.
      events_(to_size(config_.get_int("event.queue.max.events") +
                      config_.get_int("queue.buffering.max.messages") +
                      config_.get_int("queue.waiting.max.messages"))),
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
      delivery_reports_(config_.get_bool("delivery.reports")),
      line_(to_size(config_.get_int("queue.waiting.max.messages")),
            to_size(config_.get_int("queue.buffering.max.kbytes")) * 1024),
      line_timer_(io_->executor()) {
  // Room in the send buffer goes first to the sends waiting in line.
  buffer_.on_room([this] {
    if (!line_.empty()) {
      boost::asio::post(io_->executor(), [this] { admit_waiting(); });
    }
  });
}

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

OutgoingPtr ClientCore::prepare(std::string_view destination, const Message& message) const {
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
  if (auto compressed = compress_body(message.body)) {
    outgoing->compressed = true;
    outgoing->message.body = std::move(*compressed);
  }
  outgoing->buffered_bytes =
      outgoing->compressed ? outgoing->message.body.size() : message.body.size();
  outgoing->destination = std::string(destination);
  return outgoing;
}

std::string ClientCore::accept(Outgoing& outgoing, Message&& message, std::uint64_t token) {
  if (outgoing.compressed) {
    std::string body = std::move(outgoing.message.body);
    outgoing.message = std::move(message);
    outgoing.message.body = std::move(body);
  } else {
    outgoing.message = std::move(message);
  }
  if (outgoing.message.id.empty()) {
    outgoing.message.id = runtime::new_uuid7().to_string();
  }
  if (!outgoing.message.timestamp) {
    outgoing.message.timestamp = std::chrono::system_clock::now();
  }
  outgoing.token = token;
  {
    std::lock_guard lock(pending_mutex_);
    ++pending_;
  }
  return outgoing.message.id;
}

void ClientCore::publish_admitted(OutgoingPtr outgoing) {
  outgoing->holds_room = true;
  metrics_.buffered_messages.add();
  metrics_.buffered_bytes.add(static_cast<std::int64_t>(outgoing->buffered_bytes));
  if (outgoing->compressed) {
    metrics_.compressed.add();
  }
  transport_->publish(std::move(outgoing));
}

std::string ClientCore::send(std::string_view destination, Message&& message, std::uint64_t token) {
  auto outgoing = prepare(destination, message);
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
  std::string id = accept(*outgoing, std::move(message), token);
  publish_admitted(std::move(outgoing));
  return id;
}

std::string ClientCore::send_nowait(std::string_view destination, Message&& message,
                                    std::uint64_t token) {
  auto outgoing = prepare(destination, message);
  const auto deadline = outgoing->created + max_block_;
  std::string id;
  // Filled in only once the line takes it, so that `message` is intact after an exception.
  const auto take = [&](Outgoing& taken) { id = accept(taken, std::move(message), token); };
  switch (line_.offer(
      outgoing, deadline, [this](const Outgoing& o) { return try_admit(o); }, take,
      max_block_.count() > 0)) {
    case SendLine::Offer::admitted:
      publish_admitted(std::move(outgoing));
      break;
    case SendLine::Offer::waiting:
      boost::asio::post(io_->executor(), [this] { watch_line(); });
      break;
    case SendLine::Offer::no_room:
      throw Exception(ErrorCode::queue_full, "the send buffer is full (" +
                                                 buffer_.describe_limits() +
                                                 ") and max.block.ms=0 lets no send wait");
    case SendLine::Offer::full:
      throw Exception(ErrorCode::queue_full,
                      "the send buffer is full (" + buffer_.describe_limits() +
                          ") and so is the line of sends waiting for room "
                          "(queue.waiting.max.messages=" +
                          std::to_string(config_.get_int("queue.waiting.max.messages")) +
                          ", queue.buffering.max.kbytes)");
  }
  return id;
}

bool ClientCore::try_admit(const Outgoing& outgoing) {
  return buffer_.try_acquire(outgoing.buffered_bytes);
}

void ClientCore::admit_waiting() {
  if (line_.empty() || closed_.load()) {
    return;
  }
  // Room that comes after a send's deadline is not its room: it has failed already.
  fail_waiting(line_.take_expired(Clock::now()), line_timeout_error());
  for (auto& outgoing : line_.admit([this](const Outgoing& o) { return try_admit(o); })) {
    publish_admitted(std::move(outgoing));
  }
}

void ClientCore::watch_line() {
  if (line_timer_armed_) {
    return;
  }
  const auto deadline = line_.next_deadline();
  if (!deadline) {
    return;
  }
  line_timer_armed_ = true;
  line_timer_.expires_at(*deadline);
  line_timer_.async_wait([this](const boost::system::error_code& ec) {
    line_timer_armed_ = false;
    if (ec) {
      return;  // cancelled: the client is closing
    }
    fail_waiting(line_.take_expired(Clock::now()), line_timeout_error());
    watch_line();
  });
}

Error ClientCore::line_timeout_error() const {
  return Error(ErrorCode::queue_full, "no room came in the send buffer within max.block.ms=" +
                                          std::to_string(max_block_.count()) + " (" +
                                          buffer_.describe_limits() + ")");
}

void ClientCore::fail_waiting(std::vector<OutgoingPtr> waiting, const Error& reason) {
  for (auto& outgoing : waiting) {
    complete(std::move(outgoing), reason);
  }
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
  snapshot.waiting_sends = static_cast<std::int64_t>(line_.size());
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
  try {
    io_->run([](ClientCore* self) -> boost::asio::awaitable<void> {
      self->line_timer_.cancel();
      self->fail_waiting(self->line_.take_expired(Clock::now(), true),
                         Error(ErrorCode::closed,
                               "the client was closed while the send waited "
                               "for room in the send buffer"));
      co_return;
    }(this));
  } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): the loop is already gone
  }
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
  if (message->holds_room) {
    metrics_.buffered_messages.sub();
    metrics_.buffered_bytes.sub(static_cast<std::int64_t>(message->buffered_bytes));
    buffer_.release(message->buffered_bytes);
  }
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
