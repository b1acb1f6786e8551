package io.postwire;

import java.util.Arrays;
import java.util.Map;

/** String options as the C ABI takes them: key, value, key, value... */
final class Options {
  private static final String[] NONE = new String[0];

  private Options() {}

  static String[] flatten(Map<String, String> options, String what) {
    if (options == null || options.isEmpty()) {
      return NONE;
    }
    String[] flat = new String[options.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> entry : options.entrySet()) {
      if (entry.getKey() == null || entry.getValue() == null) {
        throw new IllegalArgumentException(
            "postwire: " + what + " keys and values must not be null (key " + entry.getKey() + ")");
      }
      flat[i++] = entry.getKey();
      flat[i++] = entry.getValue();
    }
    return flat;
  }

  /**
   * Subscribe options for postwire_client_subscribe_with_options: {@code prefetch} (0: none given)
   * and the named options, values as text (numbers and booleans by their toString). The delivery
   * mode is the binding's to choose (deliver_as_events for a Subscription, none for a Consumer), so
   * {@code deliverAsEvents} is appended and the named options may not set it.
   */
  static String[] subscribe(int prefetch, Map<String, ?> options, boolean deliverAsEvents) {
    Map<String, ?> named = options == null ? Map.of() : options;
    if (named.containsKey("deliver_as_events")) {
      throw new IllegalArgumentException(
          "postwire: deliver_as_events is chosen by the subscribe overload (a Subscription"
              + " receives through the client's events, a Consumer is polled); leave it out");
    }
    if (prefetch > 0 && named.containsKey("prefetch")) {
      throw new IllegalArgumentException(
          "postwire: prefetch given twice, as an argument and as an option");
    }
    String[] flat = new String[2 * (named.size() + 2)];
    int i = 0;
    for (Map.Entry<String, ?> entry : named.entrySet()) {
      Object value = entry.getValue();
      if (entry.getKey() == null
          || !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new IllegalArgumentException(
            "postwire: subscribe options need a key and a String, Number or Boolean value (key "
                + entry.getKey()
                + ")");
      }
      flat[i++] = entry.getKey();
      flat[i++] = value.toString();
    }
    if (prefetch > 0) {
      flat[i++] = "prefetch";
      flat[i++] = Integer.toString(prefetch);
    }
    if (deliverAsEvents) {
      flat[i++] = "deliver_as_events";
      flat[i++] = "true";
    }
    return Arrays.copyOf(flat, i);
  }
}
