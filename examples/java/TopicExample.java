import io.postwire.Client;
import io.postwire.Consumer;
import io.postwire.Message;
import io.postwire.Postwire;
import io.postwire.PostwireException;
import io.postwire.Producer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out through a topic exchange: each service has its own queue, bound with the routing-key
 * pattern of the events it wants. Publishes a few events, then drains each service's queue and
 * prints what it got. Deletes the exchange and the queues at the end.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/TopicExample.java \
 *     amqp://guest:guest@127.0.0.1:5672 events shop
 * </pre>
 *
 * declares the exchange "events" and the queues shop.billing, shop.shipping and shop.audit.
 */
public final class TopicExample {
  private record Service(String name, String pattern) {}

  // "*" stands for exactly one word of the routing key, "#" for any number of words.
  private static final List<Service> SERVICES =
      List.of(
          new Service("billing", "order.*"),
          new Service("shipping", "order.paid"),
          new Service("audit", "#"));

  private static final List<String> EVENTS =
      List.of("order.created", "order.paid", "order.cancelled", "user.signup");

  /** How long to wait for something the broker should do promptly. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The keys of the events waiting in {@code queue}, each acked. */
  private static List<String> drain(Client client, String queue) {
    // Every event is confirmed, so each queue already holds all it will get; declaring the
    // queue again says how many messages wait in it.
    long waiting = client.declareQueue(queue).messageCount();
    List<String> keys = new ArrayList<>();
    try (Consumer consumer = client.subscribe(queue)) {
      while (keys.size() < waiting) {
        try (Message message = consumer.poll(WAIT)) {
          if (message == null) {
            throw new IllegalStateException(
                "no event on " + queue + " within " + WAIT.toSeconds() + " s");
          }
          keys.add(new String(message.key(), StandardCharsets.UTF_8));
          message.ack();
        }
      }
    }
    return keys;
  }

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: TopicExample URL EXCHANGE PREFIX");
      System.exit(2);
    }
    String url = args[0];
    String exchange = args[1];
    String prefix = args[2];
    try (Client client = Postwire.connect(url, Map.of("log.level", "warn"))) {
      try {
        client.declareExchange(exchange, Map.of("type", "topic"));
        for (Service service : SERVICES) {
          String queue = prefix + "." + service.name();
          client.declareQueue(queue);
          client.bind(exchange, queue, Map.of("routing_key", service.pattern()));
        }

        // To "exchange/NAME" the message key is the routing key.
        try (Producer producer = client.producer()) {
          CompletableFuture<?>[] sends = new CompletableFuture<?>[EVENTS.size()];
          for (int i = 0; i < sends.length; i++) {
            String event = EVENTS.get(i);
            byte[] key = event.getBytes(StandardCharsets.UTF_8);
            byte[] body = ("{\"event\": \"" + event + "\"}").getBytes(StandardCharsets.UTF_8);
            sends[i] = producer.send("exchange/" + exchange, key, body);
          }
          // Fails for an event that no queue took.
          CompletableFuture.allOf(sends).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        for (Service service : SERVICES) {
          List<String> keys = drain(client, prefix + "." + service.name());
          System.out.println(
              service.name() + " (" + service.pattern() + "): " + String.join(" ", keys));
        }
      } finally {
        // This is a demonstration: leave nothing behind on the broker.
        for (Service service : SERVICES) {
          client.deleteQueue(prefix + "." + service.name());
        }
        client.deleteExchange(exchange, Map.of());
      }
    } catch (PostwireException | IllegalStateException e) {
      System.err.println("TopicExample: " + e);
      System.exit(1);
    } catch (CompletionException e) {
      // A send that failed completes its future with the PostwireException as the cause, one
      // that was not confirmed in time with a TimeoutException.
      System.err.println("TopicExample: " + e.getCause());
      System.exit(1);
    }
  }
}
