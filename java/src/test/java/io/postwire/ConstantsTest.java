package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The package's constants come from the C ABI: ErrorCode, Capability, the listener's states, the
 * event kinds and log levels agree with postwire.h and with what the native library reports. Needs
 * no broker.
 */
class ConstantsTest {
  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

  /** postwire.h's constants named PREFIX..., as {suffix: value}. */
  private static Map<String, Long> header(String prefix) throws IOException {
    String text = Files.readString(ROOT.resolve("bindings/c/include/postwire.h"));
    Matcher matcher =
        Pattern.compile("^\\s*" + prefix + "([A-Z0-9_]+) = ([^,\\n/]+)", Pattern.MULTILINE)
            .matcher(text);
    Map<String, Long> found = new LinkedHashMap<>();
    while (matcher.find()) {
      String expression = matcher.group(2).trim();
      Matcher shift = Pattern.compile("1u << (\\d+)").matcher(expression);
      found.put(
          matcher.group(1),
          shift.matches() ? 1L << Integer.parseInt(shift.group(1)) : Long.parseLong(expression));
    }
    assertNotEquals(0, found.size(), prefix);
    return found;
  }

  @Test
  void everyCodeTheCAbiNamesIsAnErrorCodeWithItsNumber() throws IOException {
    NativeLibrary.load();
    Map<String, Long> known = new LinkedHashMap<>();
    for (int code = 1; code <= HeaderConstants.HIGHEST_CODE; code++) {
      String name = NativeApi.postwire_code_name(code);
      if (!"unknown".equals(name)) {
        known.put(name.toUpperCase(Locale.ROOT), (long) code);
      }
    }
    Map<String, Long> members = new LinkedHashMap<>();
    for (ErrorCode code : EnumSet.complementOf(EnumSet.of(ErrorCode.UNKNOWN))) {
      members.put(code.name(), (long) code.value());
      assertEquals(code, ErrorCode.of(code.value()));
    }
    assertEquals(known, members);
    assertEquals(header("POSTWIRE_ERR_"), members);
    assertEquals(-1, ErrorCode.UNKNOWN.value());
  }

  @Test
  void errorsOfThePackagesOwnHaveTheFlagsOfDocsErrorsMd() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/errors.md"));
    Matcher row =
        Pattern.compile(
                "^\\| (\\d+) \\| `([a-z_]+)` \\| (yes|no) \\| (yes|no) \\|", Pattern.MULTILINE)
            .matcher(docs);
    int rows = 0;
    while (row.find()) {
      int number = Integer.parseInt(row.group(1));
      if (number == 0) {
        continue;
      }
      ErrorCode code = ErrorCode.valueOf(row.group(2).toUpperCase(Locale.ROOT));
      assertEquals(number, code.value());
      PostwireException error = PostwireException.raised(code, "made by the test");
      assertEquals(code, error.code());
      assertEquals("yes".equals(row.group(3)), error.isRetriable(), row.group(2));
      assertEquals("yes".equals(row.group(4)), error.isFatal(), row.group(2));
      rows++;
    }
    assertEquals(ErrorCode.values().length - 1, rows);
  }

  @Test
  void capabilitiesStatesEventKindsAndLogLevelsAreTheHeaders() throws IOException {
    Map<String, Long> capabilities = new LinkedHashMap<>();
    for (Capability capability : Capability.values()) {
      long bit = header("POSTWIRE_CAP_").get(capability.name());
      assertEquals(EnumSet.of(capability), Capability.fromBits(bit));
      capabilities.put(capability.name(), bit);
    }
    assertEquals(header("POSTWIRE_CAP_"), capabilities);

    Map<String, Long> connection = new LinkedHashMap<>();
    EventPoller.CONNECTION_STATES.forEach((value, state) -> connection.put(state.name(), value));
    assertEquals(header("POSTWIRE_CONNECTION_"), connection);
    assertEquals(ClientListener.ConnectionState.values().length, connection.size());

    Map<String, Long> consumer = new LinkedHashMap<>();
    EventPoller.CONSUMER_STATES.forEach((value, state) -> consumer.put(state.name(), value));
    assertEquals(header("POSTWIRE_CONSUMER_"), consumer);
    assertEquals(ClientListener.ConsumerState.values().length, consumer.size());

    assertEquals(
        Map.copyOf(header("POSTWIRE_LOG_")).values().stream().sorted().toList(),
        EventPoller.LOG_LEVELS.keySet().stream().sorted().toList());
    for (Map.Entry<String, Long> kind : header("POSTWIRE_EVENT_").entrySet()) {
      assertEquals(kind.getValue(), HeaderConstants.of("POSTWIRE_EVENT_" + kind.getKey()));
    }
    assertTrue(header("POSTWIRE_EVENT_").containsKey("SOURCES_ASSIGNED"));
    assertTrue(header("POSTWIRE_EVENT_").containsKey("SOURCES_REVOKED"));
  }

  @Test
  void assignmentEventsAreTyped() {
    // RabbitMQ never raises them: the mapping of pwj_client_poll's fields is checked here.
    Assignment assignment = EventPoller.assignment(7, new Object[] {"orders", new int[] {0, 2}});
    assertEquals(new Assignment(7, "orders", List.of(0, 2)), assignment);
    assertEquals(List.of(), EventPoller.assignment(8, new Object[] {"o", new int[0]}).partitions());
  }
}
