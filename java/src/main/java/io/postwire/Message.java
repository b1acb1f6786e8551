package io.postwire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A received message. Settle it once with {@link #ack()}, {@link #nack(Duration)} or {@link
 * #deadLetter(String)}, from any thread. Reading it is thread-safe. Close it to free its native
 * memory at once; a message dropped without close() is freed after it is garbage-collected.
 * Unsettled, it is redelivered by the broker when its consumer closes.
 */
public final class Message implements AutoCloseable {
  private final NativeRef ref;
  private volatile boolean settled;
  private byte[] body;
  private long[] numbers;
  private Position position;

  Message(long handle) {
    this.ref = new NativeRef(this, handle, NativeApi::postwire_message_destroy, "the message");
  }

  /** The body. The array is this message's own copy, made on the first call. */
  public synchronized byte[] body() {
    if (body == null) {
      long handle = ref.acquire();
      try {
        body = NativeApi.pwj_message_body(handle);
      } finally {
        ref.release();
      }
    }
    return body;
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  /** The ordering key (empty when none). */
  public byte[] key() {
    long handle = ref.acquire();
    try {
      return NativeApi.pwj_message_key(handle);
    } finally {
      ref.release();
    }
  }

  /** The message id (idempotency key); "" when the sender gave none. */
  public String id() {
    long handle = ref.acquire();
    try {
      return NativeApi.pwj_message_id(handle);
    } finally {
      ref.release();
    }
  }

  /** The content type; "" when none. */
  public String contentType() {
    long handle = ref.acquire();
    try {
      return NativeApi.pwj_message_content_type(handle);
    } finally {
      ref.release();
    }
  }

  /** The source it was consumed from (a queue name). */
  public String source() {
    long handle = ref.acquire();
    try {
      return NativeApi.pwj_message_source(handle);
    } finally {
      ref.release();
    }
  }

  /** The application headers in order (names may repeat). */
  public List<Map.Entry<String, byte[]>> headers() {
    Object[] flat;
    long handle = ref.acquire();
    try {
      flat = NativeApi.pwj_message_headers(handle);
    } finally {
      ref.release();
    }
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>(flat.length / 2);
    for (int i = 0; i + 1 < flat.length; i += 2) {
      headers.add(Map.entry((String) flat[i], (byte[]) flat[i + 1]));
    }
    return Collections.unmodifiableList(headers);
  }

  /** The first header named {@code name}. */
  public Optional<byte[]> header(String name) {
    for (Map.Entry<String, byte[]> header : headers()) {
      if (header.getKey().equals(name)) {
        return Optional.of(header.getValue());
      }
    }
    return Optional.empty();
  }

  /** 1 on the first delivery; counted across redeliveries, nacks and consumer crashes. */
  public int deliveryCount() {
    return (int) numbers()[0];
  }

  /** Whether the broker may have delivered it before. */
  public boolean redelivered() {
    return numbers()[1] != 0;
  }

  public OptionalInt priority() {
    long priority = numbers()[2];
    return priority < 0 ? OptionalInt.empty() : OptionalInt.of((int) priority);
  }

  /** The sender's timestamp, when it gave one. */
  public Optional<Instant> timestamp() {
    long millis = numbers()[3];
    return millis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  /**
   * The id of the consumer it was delivered to ({@link Consumer#id()}, {@link Subscription#id()}).
   */
  public long consumerId() {
    return numbers()[4];
  }

  /** Where it sits on its broker; {@link Position#NONE} when the broker says nothing (RabbitMQ). */
  public synchronized Position position() {
    if (position == null) {
      long[] fields = numbers();
      String[] texts;
      long handle = ref.acquire();
      try {
        texts = (String[]) NativeApi.pwj_message_position_texts(handle);
      } finally {
        ref.release();
      }
      position = Position.of(fields[5], fields[6], fields[7], texts[0], texts[1]);
    }
    return position;
  }

  /** Every numeric field, read in one crossing on first use (pwj_message_numbers). */
  private synchronized long[] numbers() {
    if (numbers == null) {
      long[] fields = new long[8];
      long handle = ref.acquire();
      try {
        NativeApi.pwj_message_numbers(handle, fields);
      } finally {
        ref.release();
      }
      numbers = fields;
    }
    return numbers;
  }

  /** Done with it: the broker forgets it. */
  public void ack() {
    long handle = ref.acquire();
    try {
      NativeApi.pwj_ack(handle);
      settled = true;
    } finally {
      ref.release();
    }
  }

  /**
   * Deliver it again after {@code delay} (zero: at once), counting one more delivery; past
   * max.deliveries it is dead-lettered instead.
   */
  public void nack(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException(
          "postwire: the nack delay must be zero or more, got " + delay);
    }
    long handle = ref.acquire();
    try {
      NativeApi.pwj_nack(handle, delay.toMillis());
      settled = true;
    } finally {
      ref.release();
    }
  }

  /** Moves it to the dead-letter destination (source + dead.letter.suffix) with a reason. */
  public void deadLetter(String reason) {
    if (reason == null) {
      throw new IllegalArgumentException("postwire: the dead-letter reason must not be null");
    }
    long handle = ref.acquire();
    try {
      NativeApi.pwj_dead_letter(handle, reason);
      settled = true;
    } finally {
      ref.release();
    }
  }

  /** Whether ack, nack or deadLetter succeeded on this object. */
  public boolean isSettled() {
    return settled;
  }

  /** Frees the native message. Idempotent; reading it afterwards throws CLOSED. */
  @Override
  public void close() {
    ref.close();
  }
}
