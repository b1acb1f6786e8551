package io.postwire;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The brokers the tests use, from the environment ci/brokers env sets. */
final class TestBroker {
  /** How long a test waits for a message that should come; a bound, never an assertion. */
  static final Duration WAIT = Duration.ofSeconds(15);

  private TestBroker() {}

  /** The brokers of POSTWIRE_BROKERS (all three by default). */
  static List<String> brokers() {
    String list = System.getenv("POSTWIRE_BROKERS");
    List<String> names = new ArrayList<>();
    for (String name : (list == null || list.isBlank() ? "amqp,kafka,sqs" : list).split(",")) {
      if (!name.isBlank()) {
        names.add(name.trim());
      }
    }
    return names;
  }

  static String url(String broker) {
    String variable = "POSTWIRE_TEST_" + broker.toUpperCase(Locale.ROOT) + "_URL";
    String url = System.getenv(variable);
    if (url == null || url.isEmpty()) {
      fail(
          variable
              + " is not set: start the brokers with `ci/brokers up` and load their URLs with"
              + " `eval \"$(ci/brokers env)\"`");
    }
    return url;
  }

  static String amqpUrl() {
    return url("amqp");
  }

  static Client connect() {
    return connect(Map.of());
  }

  static Client connect(Map<String, String> config) {
    return Postwire.connect(amqpUrl(), config);
  }

  /** A name no other test run uses (the broker is shared). */
  static String unique(String what) {
    return "java-" + what + "-" + UUID.randomUUID();
  }

  /** A queue for one test: not durable, and expiring unused, so no run leaves queues behind. */
  static String queue(Client client, String what) {
    String name = unique(what);
    client.declareQueue(name, Map.of("durable", "false", "expires_ms", "300000"));
    return name;
  }

  /**
   * A consumer of a queue that postwire declares asynchronously (a dead-letter queue is declared
   * when the first message is moved there, after the call that moved it returned): subscribing is
   * retried while the queue is not there yet, a bounded number of times.
   */
  static Consumer consumerOnceDeclared(Client client, String queue) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return client.subscribe(queue);
      } catch (PostwireException e) {
        if (e.code() != ErrorCode.NOT_FOUND || attempt == 300) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  static Message receive(Consumer consumer) {
    Message message = consumer.poll(WAIT);
    assertNotNull(message, "no message on " + consumer.source() + " within " + WAIT);
    return message;
  }
}
