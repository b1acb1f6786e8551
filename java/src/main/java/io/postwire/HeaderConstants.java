package io.postwire;

import java.util.HashMap;
import java.util.Map;

/**
 * postwire.h's constants as the loaded native library was compiled with them, so that no Java file
 * spells out a value of the header: error codes by name through postwire_code_name(), the others
 * (POSTWIRE_CAP_*, POSTWIRE_EVENT_*, states, log levels) through pwj_constant_or().
 */
final class HeaderConstants {
  /** The highest code the C ABI's numbering leaves room for (postwire.h: 1xx ... 9xx). */
  static final int HIGHEST_CODE = 999;

  private HeaderConstants() {}

  /** The value of the constant named {@code name}; fails if the header has none. */
  static long of(String name) {
    NativeLibrary.load();
    long value = NativeApi.pwj_constant_or(name, Long.MIN_VALUE);
    if (value == Long.MIN_VALUE) {
      throw new IllegalStateException("postwire.h has no constant " + name);
    }
    return value;
  }

  /** Every code the C ABI names, by name ("timed_out" = 201, ...). */
  static Map<String, Integer> codes() {
    return Codes.BY_NAME;
  }

  private static final class Codes {
    static final Map<String, Integer> BY_NAME = scan();

    private static Map<String, Integer> scan() {
      NativeLibrary.load();
      Map<String, Integer> byName = new HashMap<>();
      for (int code = 0; code <= HIGHEST_CODE; code++) {
        String name = NativeApi.postwire_code_name(code);
        if (!"unknown".equals(name)) {
          byName.put(name, code);
        }
      }
      return Map.copyOf(byName);
    }
  }
}
