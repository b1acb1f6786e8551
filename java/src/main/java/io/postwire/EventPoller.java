package io.postwire;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The one thread per client that drains the C ABI's event queue: up to {@link #BATCH} events per
 * JNI crossing. It completes the send futures, hands messages to their subscriptions and passes
 * everything else to the {@link ClientListener}. It is the only thread that polls the client, as
 * postwire.h asks, and it ends once the client is closed and the queue is empty.
 */
final class EventPoller extends Thread {
  /** postwire.h postwire_event_type values, as the native library was compiled with them. */
  private static final long DELIVERY_REPORT = HeaderConstants.of("POSTWIRE_EVENT_DELIVERY_REPORT");

  private static final long MESSAGE = HeaderConstants.of("POSTWIRE_EVENT_MESSAGE");
  private static final long ERROR = HeaderConstants.of("POSTWIRE_EVENT_ERROR");
  private static final long LOG = HeaderConstants.of("POSTWIRE_EVENT_LOG");
  private static final long CONSUMER = HeaderConstants.of("POSTWIRE_EVENT_CONSUMER");
  private static final long FLOW = HeaderConstants.of("POSTWIRE_EVENT_FLOW");
  private static final long CONNECTION = HeaderConstants.of("POSTWIRE_EVENT_CONNECTION");
  private static final long SOURCES_ASSIGNED =
      HeaderConstants.of("POSTWIRE_EVENT_SOURCES_ASSIGNED");
  private static final long SOURCES_REVOKED = HeaderConstants.of("POSTWIRE_EVENT_SOURCES_REVOKED");

  /** Slots per event in the batch (as pwj_client_poll writes them). */
  private static final int SLOTS = 4;

  private static final int BATCH = 512;

  /** Bounds each wait, so a close is noticed even if its wakeup were missed. */
  private static final long WAIT_MS = 1000;

  /** POSTWIRE_LOG_* values as System.Logger levels. */
  static final Map<Long, System.Logger.Level> LOG_LEVELS =
      Map.of(
          HeaderConstants.of("POSTWIRE_LOG_TRACE"), System.Logger.Level.TRACE,
          HeaderConstants.of("POSTWIRE_LOG_DEBUG"), System.Logger.Level.DEBUG,
          HeaderConstants.of("POSTWIRE_LOG_INFO"), System.Logger.Level.INFO,
          HeaderConstants.of("POSTWIRE_LOG_WARN"), System.Logger.Level.WARNING,
          HeaderConstants.of("POSTWIRE_LOG_ERROR"), System.Logger.Level.ERROR);

  /** POSTWIRE_CONNECTION_* and POSTWIRE_CONSUMER_* values as the listener's states. */
  static final Map<Long, ClientListener.ConnectionState> CONNECTION_STATES =
      byValue(ClientListener.ConnectionState.values(), "POSTWIRE_CONNECTION_");

  static final Map<Long, ClientListener.ConsumerState> CONSUMER_STATES =
      byValue(ClientListener.ConsumerState.values(), "POSTWIRE_CONSUMER_");

  private final ClientCore core;
  private final long[] slots = new long[BATCH * SLOTS];
  private final Object[] extras = new Object[BATCH];

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
    long kind = slots[at];
    if (kind == DELIVERY_REPORT) {
      ClientCore.Pending future = core.complete(slots[at + 1]);
      if (future == null) {
        return; // its client was closed while the report was on its way
      }
      if (extra instanceof PostwireException) {
        core.fail(future, (PostwireException) extra);
      } else {
        String id;
        Position position = Position.NONE;
        if (extra instanceof Object[]) { // only when the broker said where it stored it
          Object[] stored = (Object[]) extra;
          long[] numbers = (long[]) stored[1];
          String[] texts = (String[]) stored[2];
          id = (String) stored[0];
          position = Position.of(numbers[0], numbers[1], numbers[2], texts[0], texts[1]);
        } else {
          id = (String) extra;
        }
        future.confirm(
            new DeliveryReport(
                id,
                future.destination,
                (int) slots[at + 2],
                Duration.ofNanos(slots[at + 3] * 1000),
                position));
      }
    } else if (kind == MESSAGE) {
      core.route(slots[at + 2], new Message(slots[at + 1]));
    } else if (kind == ERROR) {
      if (extra != null) {
        core.listener.onError((PostwireException) extra);
      }
    } else if (kind == LOG) {
      String[] record = (String[]) extra;
      core.listener.onLog(
          LOG_LEVELS.getOrDefault(slots[at + 1], System.Logger.Level.ERROR), record[0], record[1]);
    } else if (kind == CONSUMER) {
      Object[] consumer = (Object[]) extra;
      core.listener.onConsumer(
          slots[at + 2],
          (String) consumer[0],
          stateOf(CONSUMER_STATES, slots[at + 1], ClientListener.ConsumerState.FAILED),
          (PostwireException) consumer[1]);
    } else if (kind == FLOW) {
      core.listener.onFlow(slots[at + 1] != 0, (String) extra);
    } else if (kind == CONNECTION) {
      Object[] connection = (Object[]) extra;
      core.listener.onConnection(
          stateOf(CONNECTION_STATES, slots[at + 1], ClientListener.ConnectionState.FAILED),
          (String) connection[0],
          (PostwireException) connection[1]);
    } else if (kind == SOURCES_ASSIGNED || kind == SOURCES_REVOKED) {
      if (extra != null) {
        Assignment assignment = assignment(slots[at + 1], (Object[]) extra);
        if (kind == SOURCES_ASSIGNED) {
          core.listener.onSourcesAssigned(assignment);
        } else {
          core.listener.onSourcesRevoked(assignment);
        }
      }
    }
    // Other kinds: added by a newer library.
  }

  /** An assignment event's fields (pwj_client_poll: Object[] {source, int[] partitions}). */
  static Assignment assignment(long consumerId, Object[] fields) {
    int[] partitions = (int[]) fields[1];
    return new Assignment(
        consumerId, (String) fields[0], Arrays.stream(partitions).boxed().toList());
  }

  /** The members of an enum by the values of the header's constants PREFIX + their names. */
  private static <E extends Enum<E>> Map<Long, E> byValue(E[] members, String prefix) {
    Map<Long, E> result = new HashMap<>();
    for (E member : members) {
      result.put(HeaderConstants.of(prefix + member.name()), member);
    }
    return Map.copyOf(result);
  }

  /** The state of a value, or {@code newer} for a value added by a newer library. */
  private static <E> E stateOf(Map<Long, E> states, long value, E newer) {
    return states.getOrDefault(value, newer);
  }
}
