package io.postwire;

import java.util.EnumSet;
import java.util.Set;

/** What the connected broker can do (postwire.h POSTWIRE_CAP_*, docs/capabilities.md). */
public enum Capability {
  EXCHANGES,
  PRIORITIES,
  PER_MESSAGE_TTL,
  DELAYED_NACK,
  BROKER_DEAD_LETTER,
  EXCLUSIVE_CONSUMERS,
  SINGLE_ACTIVE_CONSUMER,
  QUORUM_QUEUES,
  /** Sources split into partitions; messages carry a partition and offset. */
  PARTITIONS,
  /** Consuming from a chosen position. */
  SEEK,
  /** Consumers share a source by group (sources are assigned and revoked). */
  CONSUMER_GROUPS,
  /** Strict order per key and broker-side deduplication. */
  FIFO,
  /** The broker delays a message itself. */
  NATIVE_DELAY,
  /** A received message's lease can be extended. */
  VISIBILITY_EXTENSION;

  /** The POSTWIRE_CAP_* bit of the same name, as the native library was compiled with it. */
  private final long bit = HeaderConstants.of("POSTWIRE_CAP_" + name());

  static Set<Capability> fromBits(long bits) {
    Set<Capability> result = EnumSet.noneOf(Capability.class);
    for (Capability capability : values()) {
      if ((bits & capability.bit) != 0) {
        result.add(capability);
      }
    }
    return result;
  }
}
