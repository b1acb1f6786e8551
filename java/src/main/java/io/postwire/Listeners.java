package io.postwire;

/** The logger of the default {@link ClientListener}, which only writes there. */
final class Listeners {
  static final System.Logger LOGGER = System.getLogger("io.postwire");
  static final ClientListener LOGGING = new ClientListener() {};

  private Listeners() {}
}
