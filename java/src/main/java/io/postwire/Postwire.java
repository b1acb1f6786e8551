package io.postwire;

import java.util.Map;

/**
 * The entry point: {@link #connect(String, Map)} returns a {@link Client}.
 *
 * <pre>{@code
 * try (Client client = Postwire.connect("amqp://guest:guest@localhost:5672/", Map.of());
 *     Producer producer = client.producer()) {
 *   producer.send("orders", "hello".getBytes(StandardCharsets.UTF_8)).join();
 * }
 * }</pre>
 */
public final class Postwire {
  private Postwire() {}

  /**
   * Connects to a broker (amqp://user:pass@host:5672/vhost, amqps://...) with configuration options
   * (docs/configuration.md: "delivery.timeout.ms" to "30000", ...). Blocks until connected or
   * failed.
   *
   * @throws PostwireException naming what was wrong (invalid_url, config_unknown_key,
   *     authentication_failed, connection_refused, not_supported for a broker without a transport
   *     yet, ...)
   */
  public static Client connect(String url, Map<String, String> config) {
    return connect(url, config, Listeners.LOGGING);
  }

  /** As {@link #connect(String, Map)}, with a listener for errors, logs and state changes. */
  public static Client connect(String url, Map<String, String> config, ClientListener listener) {
    if (url == null) {
      throw new IllegalArgumentException("postwire: the url must not be null");
    }
    if (config == null) {
      throw new IllegalArgumentException("postwire: the config must not be null (use Map.of())");
    }
    if (listener == null) {
      throw new IllegalArgumentException("postwire: the listener must not be null");
    }
    NativeLibrary.load();
    long handle = NativeApi.pwj_connect(url, Options.flatten(config, "config"));
    return new Client(handle, listener);
  }

  /** The version of the loaded native library, e.g. "0.1.0". */
  public static String version() {
    NativeLibrary.load();
    return NativeApi.postwire_version();
  }

  /**
   * How many native handles (clients, producers, consumers, messages) this process holds and has
   * not freed yet. A handle is freed by close() or, when its object was dropped without being
   * closed, after the garbage collector collects that object.
   */
  public static long nativeHandleCount() {
    return NativeRef.live();
  }
}
