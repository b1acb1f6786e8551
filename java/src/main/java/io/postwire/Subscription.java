package io.postwire;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A subscription from {@link Client#subscribe}: the client's poller thread hands each message of
 * the source to the executor, which runs the handler. Close it to stop; unsettled messages are then
 * redelivered by the broker.
 */
public final class Subscription implements AutoCloseable {
  /** POSTWIRE_SUBSCRIBE_TO_EVENTS, as the native library was compiled with it. */
  private static final int TO_EVENTS = (int) HeaderConstants.of("POSTWIRE_SUBSCRIBE_TO_EVENTS");

  /** What the poller needs; it does not keep the Subscription object reachable. */
  static final class Core {
    final String source;

    /** The native consumer's id, set with {@link #ref} before the poller may route to it. */
    long id;

    /** Set once the broker accepted the consumer; messages may come before that. */
    private volatile NativeRef ref;

    private final Executor executor;
    private final MessageHandler handler;
    private final ClientListener listener;

    Core(String source, Executor executor, MessageHandler handler, ClientListener listener) {
      this.source = source;
      this.executor = executor;
      this.handler = handler;
      this.listener = listener;
    }

    void hand(Message message) {
      try {
        executor.execute(() -> handle(message));
      } catch (RejectedExecutionException e) {
        failed(message, e);
      }
    }

    private void handle(Message message) {
      try {
        handler.handle(message);
      } catch (Exception | Error e) {
        failed(message, e);
      }
    }

    /** The handler could not take the message: nacked at once, so it is not held forever. */
    private void failed(Message message, Throwable failure) {
      try {
        if (!message.isSettled()) {
          message.nack(Duration.ZERO);
        }
      } catch (PostwireException e) {
        failure.addSuppressed(e);
      }
      listener.onHandlerFailure(message, failure);
    }

    void closeNative() {
      NativeRef ref = this.ref;
      if (ref != null) {
        Consumer.closeNative(ref);
      }
    }
  }

  /** Keeps the client reachable while the subscription runs. */
  private final Client client;

  private final Core core;

  /**
   * Subscribes; {@code options} (null: none) are those of postwire_client_subscribe_with_options,
   * deliver_as_events included, else the plain subscribe with POSTWIRE_SUBSCRIBE_TO_EVENTS is used.
   */
  Subscription(
      Client client,
      String source,
      int prefetch,
      String[] options,
      Executor executor,
      MessageHandler handler) {
    this.client = client;
    this.core = new Core(source, executor, handler, client.core.listener);
    // Registered first (so that a close of the client sees it), and announced: the poller may
    // receive the first messages before subscribe returns, and keeps them until it knows the id.
    client.core.addSubscription(core);
    client.core.subscribing();
    long handle;
    try {
      // Messages arrive through the client's event queue.
      handle =
          client.borrow(
              h ->
                  options == null
                      ? NativeApi.pwj_subscribe(h, source, prefetch, TO_EVENTS)
                      : NativeApi.pwj_subscribe_with_options(h, source, options));
    } catch (RuntimeException e) {
      client.core.removeSubscription(core);
      client.core.subscribed(null);
      throw e;
    }
    // No Cleaner: a subscription runs until closed, or until its client closes, kept or not.
    core.ref =
        new NativeRef(null, handle, NativeApi::postwire_consumer_destroy, "the subscription");
    core.id = NativeApi.pwj_consumer_id(handle);
    client.core.subscribed(core);
    if (client.core.isClosing()) {
      core.closeNative(); // the client closed while subscribing, before it could see this one
    }
  }

  public String source() {
    return core.source;
  }

  /** The consumer's id, as {@link Consumer#id()}: what its messages and events carry. */
  public long id() {
    return core.id;
  }

  /** Stops the subscription. Idempotent. */
  @Override
  public void close() {
    client.core.removeSubscription(core);
    core.closeNative();
  }
}
