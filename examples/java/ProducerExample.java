import io.postwire.Client;
import io.postwire.DeliveryReport;
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

/**
 * Sends COUNT orders to QUEUE and prints each delivery report.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/ProducerExample.java \
 *     amqp://guest:guest@localhost:5672/ orders 10
 * </pre>
 */
public final class ProducerExample {
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: ProducerExample URL QUEUE COUNT");
      System.exit(2);
    }
    String url = args[0];
    String queue = args[1];
    int count = Integer.parseInt(args[2]);
    try (Client client = Postwire.connect(url, Map.of("client.id", "example-producer"));
        Producer producer = client.producer()) {
      client.declareQueue(queue, Map.of("durable", "true"));
      List<CompletableFuture<DeliveryReport>> reports = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        OutgoingMessage order =
            new OutgoingMessage(("order " + i).getBytes(StandardCharsets.UTF_8))
                .key("customer-" + (i % 3))
                .contentType("text/plain")
                .header("source", "example");
        reports.add(producer.send(queue, order));
      }
      // Every report arrives on the client's poller thread; join waits for each in turn.
      for (CompletableFuture<DeliveryReport> report : reports) {
        DeliveryReport confirmed = report.join();
        System.out.println("confirmed " + confirmed.id() + " to " + confirmed.destination());
      }
      System.out.println(
          "sent " + count + " messages, " + client.stats().get("confirmed") + " confirmed");
      client.close(Duration.ofSeconds(5));
    } catch (PostwireException e) {
      System.err.println("postwire: " + e.codeName() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
