package io.postwire;

import java.time.Duration;

/**
 * The one thread per client that drains the C ABI's event queue: up to {@link #BATCH} events per
 * JNI crossing. It completes the send futures, hands messages to their subscriptions and passes
 * everything else to the {@link ClientListener}. It is the only thread that polls the client, as
 * postwire.h asks, and it ends once the client is closed and the queue is empty.
 */
final class EventPoller extends Thread {
  /** postwire.h postwire_event_type values. */
  private static final int DELIVERY_REPORT = 1;

  private static final int MESSAGE = 2;
  private static final int ERROR = 3;
  private static final int LOG = 4;
  private static final int CONSUMER = 5;
  private static final int FLOW = 6;
  private static final int CONNECTION = 7;

  /** Slots per event in the batch (as pwj_client_poll writes them). */
  private static final int SLOTS = 4;

  private static final int BATCH = 512;

  /** Bounds each wait, so a close is noticed even if its wakeup were missed. */
  private static final long WAIT_MS = 1000;

  private static final System.Logger.Level[] LOG_LEVELS = {
    System.Logger.Level.TRACE,
    System.Logger.Level.DEBUG,
    System.Logger.Level.INFO,
    System.Logger.Level.WARNING,
    System.Logger.Level.ERROR
  };

  private final ClientCore core;
  private final long[] slots = new long[BATCH * SLOTS];
  private final Object[] extras = new Object[BATCH];
  private int nextSubscription;

  EventPoller(ClientCore core) {
    super("postwire-poller");
    setDaemon(true);
    this.core = core;
  }

  @Override
  public void run() {
    long handle = core.ref.acquire();
    try {
      while (true) {
        int count;
        try {
          count = NativeApi.pwj_client_poll(handle, WAIT_MS, slots, extras);
        } catch (PostwireException e) {
          // Polling itself failed (a forked process, a client closed under it): no more
          // events will come, so the sends still waiting fail with this error.
          if (!core.isClosing()) {
            core.listener.onError(e);
          }
          core.failPending(e);
          return;
        }
        for (int i = 0; i < count; i++) {
          Object extra = extras[i];
          extras[i] = null;
          try {
            dispatch(i * SLOTS, extra);
          } catch (RuntimeException e) {
            Listeners.LOGGER.log(System.Logger.Level.ERROR, "postwire: an event handler threw", e);
          }
        }
        if (count == 0 && core.isClosing()) {
          return;
        }
      }
    } finally {
      core.ref.release();
    }
  }

  private void dispatch(int at, Object extra) {
    switch ((int) slots[at]) {
      case DELIVERY_REPORT:
        ClientCore.Pending future = core.complete(slots[at + 1]);
        if (future == null) {
          return; // its client was closed while the report was on its way
        }
        if (extra instanceof PostwireException) {
          core.fail(future, (PostwireException) extra);
        } else {
          future.confirm(
              new DeliveryReport(
                  (String) extra,
                  future.destination,
                  (int) slots[at + 2],
                  Duration.ofNanos(slots[at + 3] * 1000)));
        }
        return;
      case MESSAGE:
        deliver(new Message(slots[at + 1]));
        return;
      case ERROR:
        if (extra != null) {
          core.listener.onError((PostwireException) extra);
        }
        return;
      case LOG:
        String[] record = (String[]) extra;
        int level = (int) Math.max(0, Math.min(LOG_LEVELS.length - 1, slots[at + 1]));
        core.listener.onLog(LOG_LEVELS[level], record[0], record[1]);
        return;
      case CONSUMER:
        Object[] consumer = (Object[]) extra;
        core.listener.onConsumer(
            (String) consumer[0],
            enumAt(ClientListener.ConsumerState.values(), slots[at + 1]),
            (PostwireException) consumer[1]);
        return;
      case FLOW:
        core.listener.onFlow(slots[at + 1] != 0, (String) extra);
        return;
      case CONNECTION:
        Object[] connection = (Object[]) extra;
        core.listener.onConnection(
            enumAt(ClientListener.ConnectionState.values(), slots[at + 1]),
            (String) connection[0],
            (PostwireException) connection[1]);
        return;
      default:
        // A kind of event added by a newer library.
    }
  }

  /** Hands a message to the subscription of its source (round robin between several). */
  private void deliver(Message message) {
    Subscription.Core[] subscriptions = core.subscriptions();
    Subscription.Core target = null;
    if (subscriptions.length == 1 && core.onlyEverOneSubscription()) {
      target = subscriptions[0];
    } else if (subscriptions.length > 0) {
      // A message of a subscription closed meanwhile must not reach another one's handler.
      String source = message.source();
      int size = subscriptions.length;
      for (int k = 0; k < size && target == null; k++) {
        Subscription.Core candidate = subscriptions[(nextSubscription + k) % size];
        if (candidate.source.equals(source)) {
          target = candidate;
          nextSubscription = (nextSubscription + k + 1) % size;
        }
      }
    }
    if (target == null) {
      // Its subscription closed meanwhile: unsettled, the broker delivers it again.
      message.close();
      return;
    }
    target.hand(message);
  }

  private static <E> E enumAt(E[] values, long index) {
    return values[(int) Math.max(0, Math.min(values.length - 1, index))];
  }
}
