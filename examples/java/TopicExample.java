import io.postwire.Client;
import io.postwire.Consumer;
import io.postwire.Message;
import io.postwire.OutgoingMessage;
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

/**
 * Fan-out through a topic exchange: each service has its own queue, bound with the routing-key
 * pattern of the events it wants. Publishes a few events, then drains each service's queue and
 * prints what it got. Deletes the exchange and the queues at the end.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/TopicExample.java \
 *     amqp://guest:guest@localhost:5672/ events shop
 * </pre>
 *
 * declares the exchange "events" and the queues shop.billing, shop.shipping and shop.audit.
 */
public final class TopicExample {
  private record Service(String name, String pattern) {}

  // "*" matches one word of the routing key, "#" any number of words.
  private static final List<Service> SERVICES =
      List.of(
          new Service("billing", "order.*"),
          new Service("shipping", "order.paid"),
          new Service("audit", "#"));

  private static final List<String> EVENTS =
      List.of("order.created", "order.paid", "order.cancelled", "user.signup");

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: TopicExample URL EXCHANGE QUEUE_PREFIX");
      System.exit(2);
    }
    String url = args[0];
    String exchange = args[1];
    String prefix = args[2];
    try (Client client = Postwire.connect(url, Map.of("log.level", "warn"))) {
      client.declareExchange(exchange, Map.of("type", "topic"));
      for (Service service : SERVICES) {
        String queue = prefix + "." + service.name();
        client.declareQueue(queue, Map.of("durable", "false"));
        client.bind(exchange, queue, Map.of("routing_key", service.pattern()));
      }

      // To "exchange/NAME" the message key is the routing key.
      try (Producer producer = client.producer()) {
        CompletableFuture<?>[] sends = new CompletableFuture<?>[EVENTS.size()];
        for (int i = 0; i < sends.length; i++) {
          String event = EVENTS.get(i);
          byte[] body = ("{\"event\":\"" + event + "\"}").getBytes(StandardCharsets.UTF_8);
          OutgoingMessage message =
              new OutgoingMessage(body).key(event).contentType("application/json");
          sends[i] = producer.send("exchange/" + exchange, message);
        }
        CompletableFuture.allOf(sends).join();
      }

      // Once confirmed, every event is in the queues it was routed to; declaring a queue again
      // reports how many messages it holds, so each is drained without waiting on a timeout.
      for (Service service : SERVICES) {
        String queue = prefix + "." + service.name();
        long count = client.declareQueue(queue, Map.of("durable", "false")).messageCount();
        List<String> received = new ArrayList<>();
        try (Consumer consumer = client.consumer(queue)) {
          while (received.size() < count) {
            List<Message> batch = consumer.poll(100, Duration.ofSeconds(30));
            if (batch.isEmpty()) {
              throw new IllegalStateException("the events for " + queue + " did not arrive");
            }
            for (Message message : batch) {
              received.add(new String(message.key(), StandardCharsets.UTF_8));
              message.ack();
              message.close();
            }
          }
        }
        System.out.println(
            service.name() + " (" + service.pattern() + "): " + String.join(" ", received));
      }

      for (Service service : SERVICES) {
        client.deleteQueue(prefix + "." + service.name());
      }
      client.deleteExchange(exchange, Map.of());
    } catch (PostwireException | IllegalStateException e) {
      System.err.println("TopicExample: " + e);
      System.exit(1);
    } catch (CompletionException e) {
      // A send that failed completes its future with the PostwireException as the cause.
      System.err.println("TopicExample: " + e.getCause());
      System.exit(1);
    }
  }
}
