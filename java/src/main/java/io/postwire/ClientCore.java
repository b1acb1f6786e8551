package io.postwire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

  /** Every open subscription, for close. Replaced, never changed in place. */
  private volatile Subscription.Core[] subscriptions = new Subscription.Core[0];

  /**
   * The subscriptions whose consumer id is known, which the poller routes message events to by that
   * id (never by source: two subscriptions of one source each get only their own). Replaced, never
   * changed in place: the poller reads it without a lock.
   */
  private volatile Subscription.Core[] routes = new Subscription.Core[0];

  /** How many subscribe calls are under way (guarded by this). */
  private int subscribing;

  /**
   * Messages of consumers whose subscribe call has not returned yet, by consumer id (guarded by
   * this): the broker may deliver before the id is known here.
   */
  private final Map<Long, List<Message>> early = new HashMap<>();

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

  synchronized void addSubscription(Subscription.Core subscription) {
    Subscription.Core[] more = Arrays.copyOf(subscriptions, subscriptions.length + 1);
    more[more.length - 1] = subscription;
    subscriptions = more;
  }

  synchronized void removeSubscription(Subscription.Core subscription) {
    subscriptions = without(subscriptions, subscription);
    routes = without(routes, subscription);
  }

  private static Subscription.Core[] without(Subscription.Core[] from, Subscription.Core gone) {
    return Arrays.stream(from).filter(s -> s != gone).toArray(Subscription.Core[]::new);
  }

  /** A subscribe call starts: messages of ids not known yet are kept until it ends. */
  synchronized void subscribing() {
    subscribing++;
  }

  /**
   * A subscribe call ended, with its subscription (its id set) or null when it failed. The messages
   * that came before its id was known are handed to it first, under the lock, so the poller cannot
   * hand it a later one meanwhile. Once no subscribe is under way, messages still kept belong to no
   * open subscription: they are freed, and the broker redelivers them when their consumer closes.
   */
  void subscribed(Subscription.Core subscription) {
    List<Message> orphans = new ArrayList<>();
    synchronized (this) {
      if (subscription != null) {
        List<Message> mine = early.remove(subscription.id);
        if (mine != null) {
          mine.forEach(subscription::hand);
        }
        if (Arrays.asList(subscriptions).contains(subscription)) { // not closed meanwhile
          Subscription.Core[] more = Arrays.copyOf(routes, routes.length + 1);
          more[more.length - 1] = subscription;
          routes = more;
        }
      }
      if (--subscribing == 0) {
        early.values().forEach(orphans::addAll);
        early.clear();
      }
    }
    orphans.forEach(Message::close);
  }

  /** Hands a message event to the subscription of its consumer id (on the poller thread). */
  void route(long consumerId, Message message) {
    Subscription.Core target = routeOf(routes, consumerId);
    if (target == null) {
      synchronized (this) {
        target = routeOf(routes, consumerId);
        if (target == null) {
          if (subscribing > 0) {
            early.computeIfAbsent(consumerId, id -> new ArrayList<>()).add(message);
          } else {
            // Its subscription closed meanwhile: unsettled, the broker delivers it again.
            message.close();
          }
          return;
        }
      }
    }
    target.hand(message);
  }

  private static Subscription.Core routeOf(Subscription.Core[] routes, long consumerId) {
    for (Subscription.Core candidate : routes) {
      if (candidate.id == consumerId) {
        return candidate;
      }
    }
    return null;
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
      routes = new Subscription.Core[0];
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
