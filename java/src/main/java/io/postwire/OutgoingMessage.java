package io.postwire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message to send with more than a body and a key: id, headers, content type, priority, time to
 * live, timestamp, persistence. A plain Java object; {@link Producer#send(String, OutgoingMessage)}
 * copies it, so it may be reused or changed afterwards.
 */
public final class OutgoingMessage {
  private static final byte[] EMPTY = new byte[0];

  byte[] body = EMPTY;
  byte[] key;
  String id;
  String contentType;
  final List<String> headerNames = new ArrayList<>();
  final List<byte[]> headerValues = new ArrayList<>();
  int priority = -1;
  long ttlMs = -1;
  long timestampMs = -1;
  boolean persistent = true;

  public OutgoingMessage(byte[] body) {
    body(body);
  }

  public OutgoingMessage body(byte[] body) {
    if (body == null) {
      throw new IllegalArgumentException("postwire: the body must not be null (use new byte[0])");
    }
    this.body = body;
    return this;
  }

  /** The ordering key: messages with one key keep their order (null: none). */
  public OutgoingMessage key(byte[] key) {
    this.key = key;
    return this;
  }

  public OutgoingMessage key(String key) {
    return key(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
  }

  /** The idempotency key consumers deduplicate on (null: a UUIDv7 assigned at send). */
  public OutgoingMessage id(String id) {
    this.id = id;
    return this;
  }

  public OutgoingMessage contentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  /** Appends an application header; names may repeat. */
  public OutgoingMessage header(String name, byte[] value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("postwire: header names and values must not be null");
    }
    headerNames.add(name);
    headerValues.add(value);
    return this;
  }

  public OutgoingMessage header(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException("postwire: header " + name + " has a null value");
    }
    return header(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Priority 0..255 for queues with max_priority; -1: none. */
  public OutgoingMessage priority(int priority) {
    this.priority = priority;
    return this;
  }

  /** Expire the message after this long (null: never). */
  public OutgoingMessage ttl(Duration ttl) {
    this.ttlMs = ttl == null ? -1 : ttl.toMillis();
    return this;
  }

  /** The sender's timestamp (null: the time of send). */
  public OutgoingMessage timestamp(Instant timestamp) {
    this.timestampMs = timestamp == null ? -1 : timestamp.toEpochMilli();
    return this;
  }

  /** Survive a broker restart where the destination is durable (the default). */
  public OutgoingMessage persistent(boolean persistent) {
    this.persistent = persistent;
    return this;
  }
}
