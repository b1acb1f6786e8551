package io.postwire;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where a message sits on its broker, as far as the broker says: each part is empty when the broker
 * gives none. RabbitMQ gives none of them; Kafka the partition, offset and broker timestamp; SQS
 * the broker's message id and, on FIFO queues, the sequence number.
 *
 * @param partition the partition of its source
 * @param offset its offset in that partition
 * @param brokerTimestamp when the broker stored it
 * @param brokerMessageId the id the broker gave it
 * @param sequenceNumber its sequence number (a decimal string) on a FIFO queue
 */
public record Position(
    OptionalInt partition,
    OptionalLong offset,
    Optional<Instant> brokerTimestamp,
    Optional<String> brokerMessageId,
    Optional<String> sequenceNumber) {
  /** A position of which the broker said nothing. */
  public static final Position NONE =
      new Position(
          OptionalInt.empty(),
          OptionalLong.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  /** From the C ABI's form: -1 for an absent number, "" (or null) for an absent text. */
  static Position of(
      long partition,
      long offset,
      long brokerTimestampMs,
      String brokerMessageId,
      String sequence) {
    if (partition < 0
        && offset < 0
        && brokerTimestampMs < 0
        && isAbsent(brokerMessageId)
        && isAbsent(sequence)) {
      return NONE;
    }
    return new Position(
        partition < 0 ? OptionalInt.empty() : OptionalInt.of((int) partition),
        offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset),
        brokerTimestampMs < 0
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(brokerTimestampMs)),
        isAbsent(brokerMessageId) ? Optional.empty() : Optional.of(brokerMessageId),
        isAbsent(sequence) ? Optional.empty() : Optional.of(sequence));
  }

  private static boolean isAbsent(String text) {
    return text == null || text.isEmpty();
  }
}
