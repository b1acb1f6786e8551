package io.postwire;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A connection to one broker cluster, from {@link Postwire#connect}. Thread-safe. It owns one
 * poller thread that completes send futures and runs subscriptions' deliveries. Close it when done;
 * a client dropped without close() is closed after it is garbage-collected.
 *
 * <p>Producers, consumers and messages taken from it stay usable objects after it closes: calls
 * that need the broker then throw {@link PostwireException} with code CLOSED, while reading
 * messages still works, and {@link #stats()} returns the final figures. Closing again does nothing.
 */
public final class Client implements AutoCloseable {
  private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  final ClientCore core;
  private final Cleaner.Cleanable cleanable;

  Client(long handle, ClientListener listener) {
    this.core = new ClientCore(handle, listener);
    ClientCore shared = core;
    this.cleanable = NativeRef.cleaner().register(this, () -> shared.close(DEFAULT_CLOSE_TIMEOUT));
  }

  /** A producer: many threads may send through it at once. */
  public Producer producer() {
    long handle = borrow(NativeApi::pwj_producer);
    return new Producer(this, handle);
  }

  /**
   * Subscribes to {@code source} (a queue): a consumer that the application polls or iterates;
   * {@code prefetch} bounds the unacknowledged messages the broker sends ahead (0:
   * consumer.prefetch.count).
   *
   * @throws PostwireException NOT_FOUND for a missing queue, CLOSED once the client is closed
   */
  public Consumer subscribe(String source, int prefetch) {
    requireName(source, "source");
    requirePrefetch(prefetch);
    long handle = borrow(h -> NativeApi.pwj_subscribe(h, source, prefetch, 0));
    return new Consumer(this, handle, source);
  }

  /** As {@link #subscribe(String, int)} with the default prefetch. */
  public Consumer subscribe(String source) {
    return subscribe(source, 0);
  }

  /**
   * As {@link #subscribe(String, int)}, with further options by name (docs/subscribing.md): on
   * every broker {@code exclusive}; on RabbitMQ also {@code priority} (higher-priority consumers
   * get messages first while they have room); on Kafka {@code partitions} ("0,2" or "all"), {@code
   * start} (earliest or latest), {@code start.offset} and {@code start.timestamp.ms}. Values are
   * Strings, Numbers or Booleans. {@code deliver_as_events} is not one of them: a Subscription
   * receives that way, a Consumer does not.
   *
   * <pre>{@code
   * client.subscribe("orders", 50, Map.of("priority", 10, "exclusive", true));
   * }</pre>
   *
   * @throws PostwireException INVALID_ARGUMENT naming an unknown option or a bad value
   */
  public Consumer subscribe(String source, int prefetch, Map<String, ?> options) {
    requireName(source, "source");
    requirePrefetch(prefetch);
    String[] flat = Options.subscribe(prefetch, options, false);
    long handle = borrow(h -> NativeApi.pwj_subscribe_with_options(h, source, flat));
    return new Consumer(this, handle, source);
  }

  /**
   * The former name of {@link #subscribe(String, int)}.
   *
   * @deprecated use {@link #subscribe(String, int)}, the name every postwire language uses
   */
  @Deprecated(since = "0.1.0")
  public Consumer consumer(String source, int prefetch) {
    return subscribe(source, prefetch);
  }

  /**
   * The former name of {@link #subscribe(String)}.
   *
   * @deprecated use {@link #subscribe(String)}, the name every postwire language uses
   */
  @Deprecated(since = "0.1.0")
  public Consumer consumer(String source) {
    return subscribe(source, 0);
  }

  /**
   * Subscribes {@code handler} to {@code source}: the poller thread receives each message and
   * passes it to {@code executor}, which runs the handler. A direct executor ({@code
   * Runnable::run}) runs it on the poller thread itself, which suits short handlers.
   */
  public Subscription subscribe(
      String source, int prefetch, Executor executor, MessageHandler handler) {
    requireName(source, "source");
    requirePrefetch(prefetch);
    if (executor == null || handler == null) {
      throw new IllegalArgumentException("postwire: subscribe needs an executor and a handler");
    }
    return new Subscription(this, source, prefetch, null, executor, handler);
  }

  /**
   * As {@link #subscribe(String, int, Executor, MessageHandler)}, with further options by name as
   * {@link #subscribe(String, int, Map)} takes them.
   */
  public Subscription subscribe(
      String source,
      int prefetch,
      Map<String, ?> options,
      Executor executor,
      MessageHandler handler) {
    requireName(source, "source");
    requirePrefetch(prefetch);
    if (executor == null || handler == null) {
      throw new IllegalArgumentException("postwire: subscribe needs an executor and a handler");
    }
    String[] flat = Options.subscribe(prefetch, options, true);
    return new Subscription(this, source, prefetch, flat, executor, handler);
  }

  /** As {@link #subscribe(String, int, Executor, MessageHandler)} with the default prefetch. */
  public Subscription subscribe(String source, Executor executor, MessageHandler handler) {
    return subscribe(source, 0, executor, handler);
  }

  // ---- topology and administration (each blocks until the broker answers) ----

  /**
   * Declares a queue ("" lets the broker name it). Options (docs/c-api.md): durable, exclusive,
   * auto_delete, type, dead_letter_exchange, message_ttl_ms, max_length, max_priority, ...; on
   * Kafka, where a queue is a topic, also partitions, replication.factor and topic configs such as
   * retention.ms.
   */
  public QueueInfo declareQueue(String name, Map<String, String> options) {
    if (name == null) {
      throw new IllegalArgumentException("postwire: the queue name must not be null");
    }
    String[] flat = Options.flatten(options, "queue option");
    long[] counts = new long[2];
    String declared = borrow(h -> NativeApi.pwj_declare_queue(h, name, flat, counts));
    return new QueueInfo(declared, counts[0], counts[1]);
  }

  public QueueInfo declareQueue(String name) {
    return declareQueue(name, Map.of());
  }

  /** Declares an exchange. Options: type (direct|fanout|topic|headers), durable, ... */
  public void declareExchange(String name, Map<String, String> options) {
    requireName(name, "exchange name");
    String[] flat = Options.flatten(options, "exchange option");
    run(h -> NativeApi.pwj_declare_exchange(h, name, flat));
  }

  /** Binds a queue (or an exchange, with destination_is_exchange) to an exchange. */
  public void bind(String exchange, String destination, Map<String, String> options) {
    requireName(exchange, "exchange name");
    requireName(destination, "destination");
    String[] flat = Options.flatten(options, "binding option");
    run(h -> NativeApi.pwj_bind(h, exchange, destination, flat));
  }

  /** Removes a binding made by {@link #bind} with the same arguments. */
  public void unbind(String exchange, String destination, Map<String, String> options) {
    requireName(exchange, "exchange name");
    requireName(destination, "destination");
    String[] flat = Options.flatten(options, "binding option");
    run(h -> NativeApi.pwj_unbind(h, exchange, destination, flat));
  }

  /** Removes every message from a queue; returns how many. */
  public long purgeQueue(String name) {
    requireName(name, "queue name");
    return borrow(h -> NativeApi.pwj_purge_queue(h, name));
  }

  /** Deletes a queue (options: if_unused, if_empty); returns how many messages it held. */
  public long deleteQueue(String name, Map<String, String> options) {
    requireName(name, "queue name");
    String[] flat = Options.flatten(options, "queue option");
    return borrow(h -> NativeApi.pwj_delete_queue(h, name, flat));
  }

  public long deleteQueue(String name) {
    return deleteQueue(name, Map.of());
  }

  /** Deletes an exchange (option: if_unused). */
  public void deleteExchange(String name, Map<String, String> options) {
    requireName(name, "exchange name");
    String[] flat = Options.flatten(options, "exchange option");
    run(h -> NativeApi.pwj_delete_exchange(h, name, flat));
  }

  // ---- state ----

  /** The client's counters and latencies; after close, the final figures. */
  public Stats stats() {
    Stats last = core.finalStats();
    if (last != null) {
      return last;
    }
    try {
      return new Stats(borrow(NativeApi::pwj_client_stats));
    } catch (PostwireException e) {
      // Closed meanwhile: the figures were taken before the native client was freed.
      last = core.finalStats();
      if (last != null && e.code() == ErrorCode.CLOSED) {
        return last;
      }
      throw e;
    }
  }

  /** What the connected broker can do. */
  public Set<Capability> capabilities() {
    return Capability.fromBits(borrow(NativeApi::pwj_client_capabilities));
  }

  /**
   * Flushes for up to {@code timeout}, then closes every connection: sends still unconfirmed
   * complete exceptionally with CLOSED, subscriptions stop, and unsettled messages are redelivered
   * by the broker. Closing again does nothing.
   */
  public void close(Duration timeout) {
    core.close(timeout);
    cleanable.clean();
  }

  /** Closes with the default flush timeout of 10 seconds. */
  @Override
  public void close() {
    close(DEFAULT_CLOSE_TIMEOUT);
  }

  // ---- helpers ----

  interface HandleFunction<T> {
    T apply(long handle);
  }

  interface HandleAction {
    void apply(long handle);
  }

  <T> T borrow(HandleFunction<T> call) {
    long handle = core.ref.acquire();
    try {
      return call.apply(handle);
    } finally {
      core.ref.release();
    }
  }

  void run(HandleAction call) {
    long handle = core.ref.acquire();
    try {
      call.apply(handle);
    } finally {
      core.ref.release();
    }
  }

  static void requireName(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("postwire: the " + what + " must not be null or empty");
    }
  }

  private static void requirePrefetch(int prefetch) {
    if (prefetch < 0) {
      throw new IllegalArgumentException("postwire: prefetch must be 0 or more, got " + prefetch);
    }
  }
}
