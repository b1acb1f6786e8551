package io.postwire;

import java.util.List;

/**
 * Partitions of a source given to, or taken from, a consumer in a consumer group ({@link
 * ClientListener#onSourcesAssigned}, {@link ClientListener#onSourcesRevoked}). RabbitMQ has no
 * consumer groups and never reports one.
 *
 * @param consumerId the consumer's id ({@link Consumer#id()}, {@link Subscription#id()})
 * @param source the source the partitions belong to
 * @param partitions the partitions
 */
public record Assignment(long consumerId, String source, List<Integer> partitions) {
  public Assignment {
    partitions = List.copyOf(partitions);
  }
}
