package io.postwire;

import java.time.Duration;

/**
 * The broker's confirmation of one sent message.
 *
 * @param id the message id (the one given, or the UUIDv7 assigned at send)
 * @param destination where it was sent
 * @param attempts how many times it was written to the broker
 * @param latency the time from send to this report
 * @param position where the broker stored it ({@link Position#NONE} on RabbitMQ)
 */
public record DeliveryReport(
    String id, String destination, int attempts, Duration latency, Position position) {
  /** A report without a position, as before positions existed. */
  public DeliveryReport(String id, String destination, int attempts, Duration latency) {
    this(id, destination, attempts, latency, Position.NONE);
  }
}
