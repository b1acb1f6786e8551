package io.postwire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Receives messages from one source, from {@link Client#subscribe(String)}: polled by the
 * application, or iterated. Poll or iterate from one thread at a time; close from any thread (a
 * poll waiting then returns, throwing CLOSED).
 *
 * <pre>{@code
 * try (Consumer consumer = client.subscribe("orders")) {
 *   for (Message message : consumer) { // waits for each message; ends once the consumer closes
 *     process(message);
 *     message.ack();
 *     if (done()) {
 *       break; // leaving the loop does not close the consumer: iterate or poll again later
 *     }
 *   }
 * }
 * }</pre>
 */
public final class Consumer implements AutoCloseable, Iterable<Message> {
  /** Keeps the client reachable while the consumer is in use. */
  private final Client client;

  private final NativeRef ref;
  private final String source;
  private final long id;
  private final long[] one = new long[1];

  Consumer(Client client, long handle, String source) {
    this.client = client;
    this.ref = new NativeRef(this, handle, NativeApi::postwire_consumer_destroy, "the consumer");
    this.source = source;
    this.id = NativeApi.pwj_consumer_id(handle);
  }

  public String source() {
    return source;
  }

  /**
   * The consumer's id: unique among its client's consumers, and what its messages ({@link
   * Message#consumerId()}) and its events ({@link ClientListener#onConsumer(long, String,
   * ClientListener.ConsumerState, PostwireException)}) carry, so that two consumers of one source
   * tell theirs apart.
   */
  public long id() {
    return id;
  }

  /** The next message, or null when none arrived within {@code timeout}. */
  public Message poll(Duration timeout) {
    long handle = ref.acquire();
    try {
      synchronized (one) {
        int count = NativeApi.pwj_consumer_poll(handle, timeoutMs(timeout), one);
        return count == 0 ? null : new Message(one[0]);
      }
    } finally {
      ref.release();
    }
  }

  /** Up to {@code max} messages (at most 1024), waiting up to {@code timeout} for the first. */
  public List<Message> poll(int max, Duration timeout) {
    if (max < 1) {
      throw new IllegalArgumentException("postwire: max must be at least 1, got " + max);
    }
    long[] handles = new long[Math.min(max, 1024)];
    int count;
    long handle = ref.acquire();
    try {
      count = NativeApi.pwj_consumer_poll(handle, timeoutMs(timeout), handles);
    } finally {
      ref.release();
    }
    List<Message> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(new Message(handles[i]));
    }
    return messages;
  }

  /**
   * The messages as they come: {@code hasNext()} waits until one arrives and returns false once the
   * consumer or its client is closed. Leaving a loop over it does not close the consumer; each call
   * starts a new iterator over the same consumer.
   */
  @Override
  public Iterator<Message> iterator() {
    return new Iterator<>() {
      private Message next;
      private boolean closed;

      @Override
      public boolean hasNext() {
        while (next == null && !closed) {
          try {
            next = pollUntilClosed();
          } catch (PostwireException e) {
            if (e.code() != ErrorCode.CLOSED) {
              throw e;
            }
            closed = true;
          }
        }
        return next != null;
      }

      @Override
      public Message next() {
        if (!hasNext()) {
          throw new NoSuchElementException("postwire: the consumer of " + source + " is closed");
        }
        Message message = next;
        next = null;
        return message;
      }
    };
  }

  /** The next message, waiting as long as it takes; throws CLOSED once closed. */
  private Message pollUntilClosed() {
    long handle = ref.acquire();
    try {
      synchronized (one) {
        int count = NativeApi.pwj_consumer_poll(handle, -1, one);
        return count == 0 ? null : new Message(one[0]);
      }
    } finally {
      ref.release();
    }
  }

  /** Stops consuming; unsettled messages are redelivered by the broker. Idempotent. */
  @Override
  public void close() {
    closeNative(ref);
  }

  /**
   * Closes a native consumer and frees its handle; a consumer its client already closed counts as
   * closed. Shared with {@link Subscription}, whose consumer is the same native object.
   */
  static void closeNative(NativeRef ref) {
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

  static long timeoutMs(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "postwire: the timeout must be zero or more, got " + timeout);
    }
    return timeout.toMillis();
  }
}
