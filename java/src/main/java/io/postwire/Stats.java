package io.postwire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a client's counters, gauges and latencies (the fields are listed in docs/c-api.md
 * under "Stats"). Every field is a number; a newer library may add fields.
 */
public final class Stats {
  private final String json;
  private final Map<String, Double> fields;

  Stats(String json) {
    this.json = json;
    this.fields = Collections.unmodifiableMap(parse(json));
  }

  /** A field as a whole number (counters and gauges); throws for a field that is not there. */
  public long get(String field) {
    return (long) getDouble(field);
  }

  /** A field as it is (latencies have three decimals); throws for a field that is not there. */
  public double getDouble(String field) {
    Double value = fields.get(field);
    if (value == null) {
      throw new IllegalArgumentException("postwire: no stats field '" + field + "'");
    }
    return value;
  }

  /** Every field, in the library's order. */
  public Map<String, Double> asMap() {
    return fields;
  }

  /** The JSON object the C ABI returned. */
  public String json() {
    return json;
  }

  @Override
  public String toString() {
    return json;
  }

  /** The C ABI's stats are one flat JSON object of numbers: {"name":1,"other":2.5,...}. */
  private static Map<String, Double> parse(String json) {
    Map<String, Double> result = new LinkedHashMap<>();
    String body = json.trim();
    if (!body.startsWith("{") || !body.endsWith("}")) {
      throw new IllegalStateException("postwire: stats are not a JSON object: " + json);
    }
    body = body.substring(1, body.length() - 1).trim();
    if (body.isEmpty()) {
      return result;
    }
    for (String pair : body.split(",")) {
      int colon = pair.indexOf(':');
      String name = pair.substring(0, colon).trim();
      if (name.length() < 2 || name.charAt(0) != '"' || name.charAt(name.length() - 1) != '"') {
        throw new IllegalStateException("postwire: unexpected stats field " + pair);
      }
      result.put(
          name.substring(1, name.length() - 1),
          Double.parseDouble(pair.substring(colon + 1).trim()));
    }
    return result;
  }
}
