package io.postwire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Client} shares with its poller thread, producers and subscriptions: the native
 * client, the futures waiting for delivery reports (by token), and the subscriptions that receive
 * messages through the event queue. It never refers to the Client object, so a client dropped
 * without close() is still collected, and its Cleaner then closes this core.
 */
final class ClientCore {
  /**
   * A send waiting for its delivery report. It tells whether anybody observes it: a thread that
   * called join or get, or a dependent stage (whenComplete, exceptionally, thenApply, allOf, ...)
   * attached before the report came. A failure nobody observes is reported to the listener and the
   * log instead, so that it is never lost silently.
   */
  static final class Pending extends CompletableFuture<DeliveryReport> {
    final String destination;
    private volatile boolean awaited;

    /** Counted down once the report completed this future: what flush waits for. */
    private final CountDownLatch reported = new CountDownLatch(1);

    Pending(String destination) {
      this.destination = destination;
    }

    @Override
    public DeliveryReport join() {
      awaited = true;
      return super.join();
    }

    @Override
    public DeliveryReport get() throws InterruptedException, ExecutionException {
      awaited = true;
      return super.get();
    }

    @Override
    public DeliveryReport get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      awaited = true;
      return super.get(timeout, unit);
    }

    @Override
    public DeliveryReport getNow(DeliveryReport valueIfAbsent) {
      awaited = true;
      return super.getNow(valueIfAbsent);
    }

    /** Whether a thread called join, get or getNow on it. */
    boolean isAwaited() {
      return awaited;
    }

    /** Completes with the broker's confirmation. */
    void confirm(DeliveryReport report) {
      complete(report);
      reported.countDown();
    }

    /**
     * Completes exceptionally; returns whether nobody observed the future when the failure came
     * (decided before completing it: completing hands the failure to the dependents and forgets
     * them).
     */
    boolean fail(PostwireException error) {
      boolean unobserved = !awaited && getNumberOfDependents() == 0 && !isDone();
      completeExceptionally(error);
      reported.countDown();
      return unobserved;
    }

    /** Waits for the report without counting as an observer; false when the time ran out. */
    boolean awaitReport(long nanos) throws InterruptedException {
      return isDone() || reported.await(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** How long close() waits for the poller to hand out the last events after closing. */
  private static final long POLLER_JOIN_MS = 60_000;

  final NativeRef ref;
  final ClientListener listener;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextToken = new AtomicLong();

  /** Replaced, never changed in place: the poller reads it without a lock. */
  private volatile Subscription.Core[] subscriptions = new Subscription.Core[0];

  /**
   * Whether this client only ever had one subscription: then every message event is that
   * subscription's, and the poller need not read each message's source to route it.
   */
  private volatile boolean onlyEverOneSubscription = true;

  private int subscriptionsAdded;

  private final AtomicBoolean closing = new AtomicBoolean();

  /** The figures after the close, for stats() once the native client is freed. */
  private volatile Stats finalStats;

  private final EventPoller poller;

  ClientCore(long handle, ClientListener listener) {
    this.ref = new NativeRef(null, handle, NativeApi::postwire_client_destroy, "the client");
    this.listener = listener;
    this.poller = new EventPoller(this);
    poller.start();
  }

  Subscription.Core[] subscriptions() {
    return subscriptions;
  }

  boolean onlyEverOneSubscription() {
    return onlyEverOneSubscription;
  }

  synchronized void addSubscription(Subscription.Core subscription) {
    if (++subscriptionsAdded > 1) {
      onlyEverOneSubscription = false;
    }
    Subscription.Core[] more = Arrays.copyOf(subscriptions, subscriptions.length + 1);
    more[more.length - 1] = subscription;
    subscriptions = more;
  }

  synchronized void removeSubscription(Subscription.Core subscription) {
    subscriptions =
        Arrays.stream(subscriptions)
            .filter(s -> s != subscription)
            .toArray(Subscription.Core[]::new);
  }

  /** Registers a send before it is handed to the C ABI (its report may come back at once). */
  long register(Pending future) {
    long token = nextToken.incrementAndGet();
    pending.put(token, future);
    return token;
  }

  /** Forgets a send the C ABI refused (no report will come). */
  void unregister(long token) {
    pending.remove(token);
  }

  Pending complete(long token) {
    return pending.remove(token);
  }

  /** The sends registered up to now that have no report yet. */
  List<Pending> pendingUpTo(long lastToken) {
    List<Pending> result = new ArrayList<>();
    for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
      if (entry.getKey() <= lastToken) {
        result.add(entry.getValue());
      }
    }
    return result;
  }

  /** Completes every send still waiting for its report with {@code error}. */
  void failPending(PostwireException error) {
    for (Long token : new ArrayList<>(pending.keySet())) {
      Pending future = pending.remove(token);
      if (future != null) {
        fail(future, error);
      }
    }
  }

  /** Fails a send; a failure nobody observes goes to the log and the listener. */
  void fail(Pending future, PostwireException error) {
    if (future.fail(error)) {
      Listeners.LOGGER.log(
          System.Logger.Level.WARNING,
          "postwire: a send to "
              + future.destination
              + " failed and nobody observed its future: "
              + error);
      listener.onUnobservedFailure(future.destination, error);
    }
  }

  /** The stats taken when the client closed, or null while it is open. */
  Stats finalStats() {
    return finalStats;
  }

  long lastToken() {
    return nextToken.get();
  }

  /** Whether the calling thread is this client's poller thread. */
  boolean onPollerThread() {
    return Thread.currentThread() == poller;
  }

  boolean isClosing() {
    return closing.get();
  }

  /**
   * Closes the native client (flushing up to {@code timeout}; unconfirmed sends get a failed
   * report), lets the poller hand out the last events, then frees the handle. Idempotent.
   */
  void close(Duration timeout) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    PostwireException failure = null;
    try {
      long handle = ref.acquire();
      try {
        NativeApi.pwj_client_close(handle, timeout == null ? -1 : Math.max(0, timeout.toMillis()));
      } finally {
        ref.release();
      }
    } catch (PostwireException e) {
      if (e.code() != ErrorCode.CLOSED) {
        failure = e;
      }
    }
    if (Thread.currentThread() != poller) {
      try {
        poller.join(POLLER_JOIN_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Reports the poller could not hand out (it is gone): their sends did not complete.
    failPending(PostwireException.closed("the client"));
    for (Subscription.Core subscription : subscriptions) {
      subscription.closeNative();
    }
    synchronized (this) {
      subscriptions = new Subscription.Core[0];
    }
    try {
      long handle = ref.acquire();
      try {
        finalStats = new Stats(NativeApi.pwj_client_stats(handle));
      } finally {
        ref.release();
      }
    } catch (PostwireException e) {
      // Without its final figures, stats() after close throws CLOSED as other calls do.
    }
    ref.close();
    if (failure != null) {
      throw failure;
    }
  }
}
