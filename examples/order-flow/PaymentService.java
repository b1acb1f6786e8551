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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
  private static final int PREFETCH = 200;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Producer producer;
  private final String payments;
  private final double transientRate;
  private final double permanentRate;
  private final Duration retryDelay;
  // The ledger lines: written from the main thread and from the poller thread (send callbacks).
  private final PrintStream ledger = new PrintStream(System.out, false, StandardCharsets.UTF_8);
  // Orders whose payment was sent but not yet confirmed, so not yet acked: at most PREFETCH.
  private final Set<CompletableFuture<Void>> unsettled = ConcurrentHashMap.newKeySet();

  private PaymentService(
      Producer producer,
      String payments,
      double transientRate,
      double permanentRate,
      Duration retryDelay) {
    this.producer = producer;
    this.payments = payments;
    this.transientRate = transientRate;
    this.permanentRate = permanentRate;
    this.retryDelay = retryDelay;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: PaymentService URL PREFIX TRANSIENT_RATE PERMANENT_RATE RETRY_DELAY_MS");
      System.exit(2);
    }
    String orders = args[1] + ".orders";
    String payments = args[1] + ".payments";
    Map<String, String> config =
        Map.of("client.id", "payment-service", "dedup.window.size", "100000");
    try (Client client = Postwire.connect(args[0], config);
        Producer producer = client.producer()) {
      client.declareQueue(orders, Map.of("durable", "true"));
      client.declareQueue(payments, Map.of("durable", "true"));
      PaymentService service =
          new PaymentService(
              producer,
              payments,
              Double.parseDouble(args[2]),
              Double.parseDouble(args[3]),
              Duration.ofMillis(Long.parseLong(args[4])));
      service.run(client, orders);
    }
  }

  private void run(Client client, String orders) throws Exception {
    Thread stdinWatcher = watchStdin();
    try (Consumer consumer = client.subscribe(orders, PREFETCH)) {
      log("ready");
      long lastStats = 0;
      while (stdinWatcher.isAlive()) {
        for (Message order : consumer.poll(PREFETCH, Duration.ofMillis(200))) {
          handle(order);
        }
        if (System.nanoTime() - lastStats > 500_000_000L) {
          lastStats = System.nanoTime();
          log("stats deduplicated=" + client.stats().get("deduplicated"));
        }
      }
      // The orders whose payment is on its way are settled before the consumer closes (the
      // orders it holds but did not hand out go back to the broker).
      CompletableFuture.allOf(unsettled.toArray(CompletableFuture[]::new))
          .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    log("stats deduplicated=" + client.stats().get("deduplicated"));
  }

  private void handle(Message order) {
    String body = new String(order.body(), StandardCharsets.UTF_8);
    long number = Long.parseLong(field(NUMBER, body));
    double draw = draw(number);
    // Each event is written before the order is settled: a crash in between repeats the line
    // when the order comes back, and never loses it.
    if (draw < permanentRate) {
      String reason = DECLINE_REASONS[(int) (number % DECLINE_REASONS.length)];
      log("dead " + order.id() + " " + reason);
      settle(order, () -> order.deadLetter(reason));
    } else if (draw < permanentRate + transientRate && order.deliveryCount() == 1) {
      log("retried " + order.id());
      settle(order, () -> order.nack(retryDelay));
    } else {
      OutgoingMessage payment =
          new OutgoingMessage(order.body())
              .id(order.id())
              .key(field(CUSTOMER, body))
              .contentType("application/json");
      CompletableFuture<Void> settled =
          producer
              .send(payments, payment)
              .handle(
                  (report, error) -> {
                    if (error == null) {
                      log("paid " + order.id() + " " + order.deliveryCount());
                      settle(order, order::ack);
                    } else {
                      // Not lost: the order comes back and is charged again (same id
                      // downstream, where the dedup window drops the repeat).
                      log("retried " + order.id() + " " + error.getMessage());
                      settle(order, () -> order.nack(retryDelay));
                    }
                    return null;
                  });
      unsettled.add(settled);
      settled.whenComplete((ignored, error) -> unsettled.remove(settled));
    }
  }

  /** Settles an order and frees it; a failure is reported, and the broker delivers it again. */
  private static void settle(Message order, Runnable settlement) {
    String id = order.id();
    try (order) {
      settlement.run();
    } catch (RuntimeException e) {
      System.err.println("payment service: could not settle " + id + ": " + e);
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
  private void log(String line) {
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
