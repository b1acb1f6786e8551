package io.postwire;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages through its client. Thread-safe: many threads may send through one producer. Each
 * send returns a future that completes, on the client's poller thread, with the broker's {@link
 * DeliveryReport} or exceptionally with a {@link PostwireException}. Dependent actions attached
 * without an executor run on that thread: keep them short or use the *Async variants.
 *
 * <p>A failure is thrown where the future is awaited (join, get) and handed to the stages attached
 * to it. A failure whose future nobody observes when it arrives is written to the {@code
 * io.postwire} logger at WARNING and passed to {@link ClientListener#onUnobservedFailure}.
 */
public final class Producer implements AutoCloseable {
  /** Keeps the client reachable while the producer is in use. */
  private final Client client;

  private final NativeRef ref;

  Producer(Client client, long handle) {
    this.client = client;
    this.ref = new NativeRef(this, handle, NativeApi::postwire_producer_destroy, "the producer");
  }

  /** Sends {@code body} to {@code destination} ("queue", or "exchange/NAME"). */
  public CompletableFuture<DeliveryReport> send(String destination, byte[] body) {
    return send(destination, null, body);
  }

  /**
   * Sends {@code body} with the ordering {@code key} (null: none). Blocks up to max.block.ms while
   * the send buffer is full.
   *
   * @throws PostwireException when the send is refused at once (queue_full, message_too_large,
   *     closed, invalid_argument); later failures complete the future exceptionally
   */
  public CompletableFuture<DeliveryReport> send(String destination, byte[] key, byte[] body) {
    Client.requireName(destination, "destination");
    if (body == null) {
      throw new IllegalArgumentException("postwire: the body must not be null (use new byte[0])");
    }
    ClientCore core = client.core;
    ClientCore.Pending future = new ClientCore.Pending(destination);
    long handle = ref.acquire(); // before registering: a closed producer makes no pending send
    long token = core.register(future);
    try {
      NativeApi.pwj_send_bytes(handle, destination, body, key, token);
    } catch (RuntimeException e) {
      core.unregister(token);
      throw e;
    } finally {
      ref.release();
    }
    return future;
  }

  /** Sends a message with every field {@link OutgoingMessage} offers. */
  public CompletableFuture<DeliveryReport> send(String destination, OutgoingMessage message) {
    Client.requireName(destination, "destination");
    if (message == null) {
      throw new IllegalArgumentException("postwire: the message must not be null");
    }
    ClientCore core = client.core;
    ClientCore.Pending future = new ClientCore.Pending(destination);
    long handle = ref.acquire(); // before registering: a closed producer makes no pending send
    long token = core.register(future);
    try {
      NativeApi.pwj_send(
          handle,
          destination,
          message.body,
          message.key,
          message.id,
          message.contentType,
          message.headerNames.toArray(new String[0]),
          message.headerValues.toArray(new byte[0][]),
          message.priority,
          message.ttlMs,
          message.timestampMs,
          message.persistent ? 1 : 0,
          token);
    } catch (RuntimeException e) {
      core.unregister(token);
      throw e;
    } finally {
      ref.release();
    }
    return future;
  }

  /**
   * Waits until every message sent so far through the client has its delivery report and its future
   * is complete. Returns false when {@code timeout} ran out first.
   */
  public boolean flush(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "postwire: the flush timeout must be zero or more, got " + timeout);
    }
    ClientCore core = client.core;
    if (core.onPollerThread()) {
      throw new IllegalStateException(
          "postwire: flush called on the client's poller thread (in a future's callback or a"
              + " direct-executor handler) would wait for that thread itself; use an executor");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastToken = core.lastToken();
    boolean reported;
    long handle = ref.acquire();
    try {
      reported = NativeApi.pwj_flush(handle, Math.max(0, timeout.toMillis())) != 0;
    } finally {
      ref.release();
    }
    if (!reported) {
      return false;
    }
    // The reports are queued; the poller completes their futures next. Waiting here does not
    // observe a future: a failure only flush waited for still reaches the listener.
    try {
      for (ClientCore.Pending future : core.pendingUpTo(lastToken)) {
        if (!future.awaitReport(Math.max(0, deadline - System.nanoTime()))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Messages sent through the client (by any producer) and not yet reported. */
  public long inFlight() {
    long handle = ref.acquire();
    try {
      return NativeApi.pwj_in_flight(handle);
    } finally {
      ref.release();
    }
  }

  /** Frees the producer. Messages it sent are still delivered and reported. Idempotent. */
  @Override
  public void close() {
    ref.close();
  }
}
