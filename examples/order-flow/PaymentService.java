import io.postwire.Client;
import io.postwire.Consumer;
import io.postwire.Message;
import io.postwire.OutgoingMessage;
import io.postwire.Postwire;
import io.postwire.Producer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payment service of the demo (examples/demo): charges orders.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/order-flow/PaymentService.java \
 *     URL PREFIX TRANSIENT_RATE PERMANENT_RATE RETRY_DELAY_MS
 * </pre>
 *
 * <p>Consumes PREFIX.orders. A share of the payments fails transiently the first time (the order is
 * nacked with a delay and comes back with delivery count 2, then succeeds) and a share fails for
 * good (the order is dead-lettered to PREFIX.orders.dlq with the decline reason). Which order fails
 * is a function of its number, so the demo can check every outcome. A paid order is sent on to
 * PREFIX.payments, and acked only once the broker confirmed that send: a crash in between delivers
 * the order again rather than losing it.
 *
 * <p>Writes one line per event to stdout for the demo's ledger, and stops when stdin closes.
 */
public final class PaymentService {
  private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
  private static final Pattern CUSTOMER = Pattern.compile("\"customer\":\"([^\"]+)\"");
  private static final String[] DECLINE_REASONS = {"card declined", "card expired"};

  private PaymentService() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: PaymentService URL PREFIX TRANSIENT_RATE PERMANENT_RATE RETRY_DELAY_MS");
      System.exit(2);
    }
    String url = args[0];
    String orders = args[1] + ".orders";
    String payments = args[1] + ".payments";
    double transientRate = Double.parseDouble(args[2]);
    double permanentRate = Double.parseDouble(args[3]);
    Duration retryDelay = Duration.ofMillis(Long.parseLong(args[4]));
    // The ledger lines: written from this thread and from the poller thread (send callbacks).
    PrintStream ledger = new PrintStream(System.out, false, StandardCharsets.UTF_8);

    Map<String, String> config =
        Map.of("client.id", "payment-service", "dedup.window.size", "100000");
    try (Client client = Postwire.connect(url, config);
        Producer producer = client.producer()) {
      client.declareQueue(orders, Map.of("durable", "true"));
      client.declareQueue(payments, Map.of("durable", "true"));
      Thread stdinWatcher = watchStdin();
      try (Consumer consumer = client.consumer(orders, 200)) {
        log(ledger, "ready");
        long lastStats = 0;
        while (stdinWatcher.isAlive()) {
          List<Message> batch = consumer.poll(200, Duration.ofMillis(200));
          for (Message order : batch) {
            handle(order, producer, payments, transientRate, permanentRate, retryDelay, ledger);
          }
          synchronized (ledger) {
            if (System.nanoTime() - lastStats > 500_000_000L) {
              lastStats = System.nanoTime();
              ledger.println("stats deduplicated=" + client.stats().get("deduplicated"));
            }
            ledger.flush();
          }
        }
        // Payments already sent are confirmed (and their orders acked) before the consumer
        // closes; orders still unsettled then go back to the broker.
        producer.flush(Duration.ofSeconds(30));
      }
      synchronized (ledger) {
        ledger.println("stats deduplicated=" + client.stats().get("deduplicated"));
        ledger.flush();
      }
    }
  }

  private static void handle(
      Message order,
      Producer producer,
      String payments,
      double transientRate,
      double permanentRate,
      Duration retryDelay,
      PrintStream ledger) {
    String body = new String(order.body(), StandardCharsets.UTF_8);
    long number = Long.parseLong(field(NUMBER, body));
    double draw = draw(number);
    if (draw < permanentRate) {
      String reason = DECLINE_REASONS[(int) (number % DECLINE_REASONS.length)];
      // Each event is written before the order is settled: a crash in between repeats the
      // line when the order comes back, and never loses it.
      log(ledger, "dead " + order.id() + " " + reason);
      order.deadLetter(reason);
    } else if (draw < permanentRate + transientRate && order.deliveryCount() == 1) {
      log(ledger, "retried " + order.id());
      order.nack(retryDelay);
    } else {
      OutgoingMessage payment =
          new OutgoingMessage(order.body())
              .id(order.id())
              .key(field(CUSTOMER, body))
              .contentType("application/json");
      producer
          .send(payments, payment)
          .whenComplete(
              (report, error) -> {
                if (error == null) {
                  log(ledger, "paid " + order.id() + " " + order.deliveryCount());
                  order.ack();
                } else {
                  // Not lost: the order comes back and is charged again (same id downstream).
                  log(ledger, "retried " + order.id() + " " + error.getMessage());
                  order.nack(retryDelay);
                }
              });
    }
  }

  /**
   * Where an order falls in [0, 1): Knuth's multiplicative hash of its number, so the demo knows
   * each order's fate without asking (examples/order-flow/ledger.py has the same).
   */
  static double draw(long number) {
    return ((number * 2654435761L) & 0xFFFFFFFFL) / 4294967296.0;
  }

  private static String field(Pattern pattern, String json) {
    Matcher matcher = pattern.matcher(json);
    if (!matcher.find()) {
      throw new IllegalArgumentException("order without " + pattern + ": " + json);
    }
    return matcher.group(1);
  }

  /** Writes a ledger line through to stdout before the caller settles the order. */
  private static void log(PrintStream ledger, String line) {
    synchronized (ledger) {
      ledger.println(line);
      ledger.flush();
    }
  }

  /** A thread that ends when stdin closes: the demo's way of asking the service to stop. */
  private static Thread watchStdin() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // keep reading until end of file
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }
}
