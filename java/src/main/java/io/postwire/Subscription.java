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
  /** What the poller needs; it does not keep the Subscription object reachable. */
  static final class Core {
    final String source;
    private final NativeRef ref;
    private final Executor executor;
    private final MessageHandler handler;
    private final ClientListener listener;

    Core(
        NativeRef ref,
        String source,
        Executor executor,
        MessageHandler handler,
        ClientListener listener) {
      this.ref = ref;
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
      if (ref.isClosed()) {
        return;
      }
      try {
        long handle = ref.acquire();
        try {
          NativeApi.pwj_consumer_close(handle);
        } finally {
          ref.release();
        }
      } catch (PostwireException e) {
        if (e.code() != ErrorCode.CLOSED) {
          throw e;
        }
      } finally {
        ref.close();
      }
    }
  }

  /** Keeps the client reachable while the subscription runs. */
  private final Client client;

  private final Core core;

  Subscription(
      Client client, long handle, String source, Executor executor, MessageHandler handler) {
    this.client = client;
    // No Cleaner: a subscription runs until closed, or until its client closes, kept or not.
    NativeRef ref =
        new NativeRef(null, handle, NativeApi::postwire_consumer_destroy, "the subscription");
    this.core = new Core(ref, source, executor, handler, client.core.listener);
    client.core.addSubscription(core);
  }

  public String source() {
    return core.source;
  }

  /** Stops the subscription. Idempotent. */
  @Override
  public void close() {
    client.core.removeSubscription(core);
    core.closeNative();
  }
}
