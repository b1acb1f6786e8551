package io.postwire;

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
}
