package io.postwire;

import java.util.EnumSet;
import java.util.Set;

/** What the connected broker can do (postwire.h POSTWIRE_CAP_*, docs/capabilities.md). */
public enum Capability {
  EXCHANGES(1L << 0),
  PRIORITIES(1L << 1),
  PER_MESSAGE_TTL(1L << 2),
  DELAYED_NACK(1L << 3),
  BROKER_DEAD_LETTER(1L << 4),
  EXCLUSIVE_CONSUMERS(1L << 5),
  SINGLE_ACTIVE_CONSUMER(1L << 6),
  QUORUM_QUEUES(1L << 7);

  private final long bit;

  Capability(long bit) {
    this.bit = bit;
  }

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
