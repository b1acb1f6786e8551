#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "client/outgoing.hpp"
#include "client/transport.hpp"

namespace postwire::client {

// What a transport's publishing link does for a SendPipeline: say whether it can write, and
// write. Called on the IO thread.
class SendLink {
 public:
  virtual ~SendLink() = default;
  // Whether the link takes more now (connected, its channel open, its socket not backed up).
  [[nodiscard]] virtual bool ready() const = 0;
  // Writes one message and returns the sequence number by which the broker's answer names it;
  // numbers ascend. Throws for a message that cannot be written: it fails alone.
  virtual std::uint64_t write(Outgoing& message) = 0;
};

// The broker-independent publishing path of one transport link: the hand-over from
// application threads, the messages waiting for room, the window of messages written and not
// yet confirmed (at most `max_in_flight`, in sequence order), retries with backoff through the
// client layer's decision (TransportHost::retry), expiry after delivery.timeout.ms, and
// failing what is left when the transport closes. A transport supplies the writing (SendLink)
// and reports the broker's answers.
class SendPipeline {
 public:
  SendPipeline(TransportHost& host, SendLink& link, std::size_t max_in_flight);
  SendPipeline(const SendPipeline&) = delete;
  SendPipeline& operator=(const SendPipeline&) = delete;

  // Any thread: takes a message to send; never blocks.
  void submit(OutgoingPtr message);

  // IO thread.
  // A message the transport sends on its own behalf (made by TransportHost::make_internal).
  void submit_internal(OutgoingPtr message);
  // Writes while the link is ready and the window has room; expired messages fail instead.
  void pump();
  // The broker's answer for `sequence`, or with `through` for every written message up to it.
  void confirmed(std::uint64_t sequence, bool through);
  // The same where the broker's answer says where it stored each message (a partition and
  // offset, a message id): `position` gives it, for the DeliveryReport.
  void confirmed(std::uint64_t sequence, bool through,
                 const std::function<Position(const Outgoing&)>& position);
  // A refusal: `failure` says why, for each message refused.
  void refused(std::uint64_t sequence, bool through,
               const std::function<Error(const Outgoing&)>& failure);
  // The written message `sequence` failed for good (the transport retried it itself, or the
  // failure cannot be retried): it completes with `error`, without a retry.
  void failed(std::uint64_t sequence, const Error& error);
  // The written message with this id was returned as unroutable: its confirm fails it with
  // `error`. False when no written message has that id.
  bool mark_returned(std::string_view id, Error error);
  // Fails the written messages for which `culprit` says so (it sees them in order), then the
  // waiting ones for which `waiting_culprit` does, each with `error`.
  void fail_where(const std::function<bool(const Outgoing&)>& culprit,
                  const std::function<bool(const Outgoing&)>& waiting_culprit, const Error& error);
  // The link lost what was written: it goes back to the front, in order, to be written again.
  void requeue_written();
  // Fails the waiting messages whose delivery.timeout.ms has passed, saying `why` they waited.
  void expire_waiting(std::string_view why);
  // From now on every new message fails with `reason` (the transport is closing or failed for
  // good); what is written or waiting stays until fail_everything().
  void refuse_new(const Error& reason);
  // Fails what is written or waiting with `reason`, and every message from now on.
  void fail_everything(const Error& reason);

 private:
  struct Written {
    std::uint64_t sequence = 0;
    OutgoingPtr message;  // null once answered out of order, until it reaches the front
    Error returned;       // set by mark_returned; the confirm reports it
  };

  void drain_inbox();
  void answer(Written& entry, const Error* refusal);
  void retry_or_fail(OutgoingPtr message, const Error& failure);
  template <typename Settle>
  void settle(std::uint64_t sequence, bool through, Settle settle_one);
  void drop_leading_holes();
  [[nodiscard]] std::size_t unanswered() const noexcept { return written_.size() - holes_; }

  TransportHost& host_;
  SendLink& link_;
  const std::size_t max_in_flight_;
  const std::chrono::milliseconds delivery_timeout_;

  // IO thread.
  std::deque<OutgoingPtr> waiting_;
  // In sequence order. Answers out of order (Kafka's partitions answer independently) leave
  // a hole that is dropped when it reaches the front, so that no answer moves the others.
  std::deque<Written> written_;
  std::size_t holes_ = 0;
  std::optional<Error> refusing_;

  // Handed over from application threads.
  std::mutex inbox_mutex_;
  std::vector<OutgoingPtr> inbox_;
  bool drain_scheduled_ = false;
};

}  // namespace postwire::client
