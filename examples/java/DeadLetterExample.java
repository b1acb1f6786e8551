import io.postwire.Client;
import io.postwire.Consumer;
import io.postwire.Message;
import io.postwire.OutgoingMessage;
import io.postwire.Postwire;
import io.postwire.PostwireException;
import io.postwire.Producer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An order queue with a dead-letter queue: good orders are acked, an order that fails for a moment
 * is nacked with a short delay and processed on its second delivery, and an invalid order is
 * dead-lettered with a reason. Then it reads QUEUE.dlq and prints each dead letter with the reason
 * postwire recorded in its pw-dead-letter-reason header.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/DeadLetterExample.java \
 *     amqp://guest:guest@127.0.0.1:5672 orders
 * </pre>
 */
public final class DeadLetterExample {
  private record Order(String id, String customer, String item, int quantity) {
    byte[] json() {
      String json = String.format("{\"item\": \"%s\", \"quantity\": %d}", item, quantity);
      return json.getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final List<Order> ORDERS =
      List.of(
          new Order("order-1", "alice", "book", 2),
          new Order("order-2", "bob", "lamp", 0), // invalid: dead-lettered
          new Order("order-3", "carol", "desk", 1), // fails at first: retried
          new Order("order-4", "alice", "pen", 10));

  /** How long to wait for something the broker should do promptly. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Why an order could not be fulfilled, and whether trying again later may succeed. */
  private static final class OrderFailure extends Exception {
    final boolean retriable;

    OrderFailure(String reason, boolean retriable) {
      super(reason);
      this.retriable = retriable;
    }
  }

  // The JDK has no JSON parser; a real service would use its JSON library here.
  private static final Pattern QUANTITY = Pattern.compile("\"quantity\": *(-?\\d+)");

  /** Stands in for the real work; order-3's first attempt fails as if the warehouse were down. */
  private static void process(Message message) throws OrderFailure {
    Matcher quantity = QUANTITY.matcher(message.bodyAsString());
    if (!quantity.find() || Integer.parseInt(quantity.group(1)) <= 0) {
      throw new OrderFailure("quantity must be positive", false);
    }
    if (message.id().equals("order-3") && message.deliveryCount() == 1) {
      throw new OrderFailure("warehouse unavailable", true);
    }
  }

  /** The next message, or an error when none arrives in time: every one waited for is due. */
  private static Message next(Consumer consumer, String what) {
    Message message = consumer.poll(WAIT);
    if (message == null) {
      throw new IllegalStateException("no " + what + " within " + WAIT.toSeconds() + " s");
    }
    return message;
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: DeadLetterExample URL QUEUE");
      System.exit(2);
    }
    String url = args[0];
    String queue = args[1];
    try (Client client = Postwire.connect(url, Map.of("log.level", "warn"))) {
      client.declareQueue(queue, Map.of("durable", "true"));
      // postwire declares QUEUE.dlq (durable) on the first dead letter; declaring it here as
      // well means it exists before this program starts reading it.
      client.declareQueue(queue + ".dlq", Map.of("durable", "true"));

      try (Producer producer = client.producer()) {
        CompletableFuture<?>[] sends = new CompletableFuture<?>[ORDERS.size()];
        for (int i = 0; i < sends.length; i++) {
          Order order = ORDERS.get(i);
          OutgoingMessage message =
              new OutgoingMessage(order.json())
                  .id(order.id())
                  .key(order.customer())
                  .contentType("application/json");
          sends[i] = producer.send(queue, message);
        }
        CompletableFuture.allOf(sends).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      }

      // Every order is settled for good by an ack or a dead letter; a nack brings it back.
      int settled = 0;
      int deadLettered = 0;
      try (Consumer consumer = client.subscribe(queue)) {
        while (settled < ORDERS.size()) {
          try (Message message = next(consumer, "order")) {
            String id = message.id();
            int delivery = message.deliveryCount();
            try {
              process(message);
              message.ack();
              System.out.println("processed " + id + " (delivery " + delivery + ")");
              settled++;
            } catch (OrderFailure failure) {
              if (failure.retriable) {
                // The broker holds it for 200 ms, then delivers it again with delivery count + 1
                // (even if this process died meanwhile).
                message.nack(Duration.ofMillis(200));
                System.out.println(
                    "retrying " + id + " (delivery " + delivery + "): " + failure.getMessage());
              } else {
                // Retrying cannot fix a bad order: park it with the reason for a human.
                message.deadLetter(failure.getMessage());
                System.out.println("dead-lettered " + id + ": " + failure.getMessage());
                settled++;
                deadLettered++;
              }
            }
          }
        }
      }

      // The dead letters keep their id and body and carry the reason as a header.
      try (Consumer deadLetters = client.subscribe(queue + ".dlq")) {
        for (int read = 0; read < deadLettered; read++) {
          try (Message message = next(deadLetters, "dead letter")) {
            String reason =
                message
                    .header("pw-dead-letter-reason")
                    .map(value -> new String(value, StandardCharsets.UTF_8))
                    .orElse("(none)");
            System.out.println("dlq: " + message.id() + " reason=" + reason);
            message.ack();
          }
        }
      }
    } catch (PostwireException | IllegalStateException e) {
      System.err.println("DeadLetterExample: " + e);
      System.exit(1);
    } catch (CompletionException e) {
      // A send that failed completes its future with the PostwireException as the cause, one
      // that was not confirmed in time with a TimeoutException.
      System.err.println("DeadLetterExample: " + e.getCause());
      System.exit(1);
    }
  }
}
