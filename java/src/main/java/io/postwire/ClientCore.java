package io.postwire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Client} shares with its poller thread, producers and subscriptions: the native
 * client, the futures waiting for delivery reports (by token), and the subscriptions that receive
 * messages through the event queue. It never refers to the Client object, so a client dropped
 * without close() is still collected, and its Cleaner then closes this core.
 */
final class ClientCore {
  /** A send waiting for its delivery report. */
  static final class Pending extends CompletableFuture<DeliveryReport> {
    final String destination;

    Pending(String destination) {
      this.destination = destination;
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
        future.completeExceptionally(error);
      }
    }
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
    ref.close();
    if (failure != null) {
      throw failure;
    }
  }
}
