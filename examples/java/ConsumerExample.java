import io.postwire.Client;
import io.postwire.Postwire;
import io.postwire.PostwireException;
import io.postwire.Subscription;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Receives COUNT messages from QUEUE on a pool of two worker threads, acknowledges each, and exits;
 * exits with 1 if they do not all arrive within a minute.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/ConsumerExample.java \
 *     amqp://guest:guest@localhost:5672/ orders 10
 * </pre>
 */
public final class ConsumerExample {
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: ConsumerExample URL QUEUE COUNT");
      System.exit(2);
    }
    String url = args[0];
    String queue = args[1];
    int count = Integer.parseInt(args[2]);
    CountDownLatch remaining = new CountDownLatch(count);
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try (Client client = Postwire.connect(url, Map.of("client.id", "example-consumer"));
        Subscription subscription =
            client.subscribe(
                queue,
                workers,
                message -> {
                  System.out.println(
                      "received "
                          + message.bodyAsString()
                          + " (id "
                          + message.id()
                          + ", delivery "
                          + message.deliveryCount()
                          + ")");
                  message.ack();
                  message.close();
                  remaining.countDown();
                })) {
      boolean all = remaining.await(1, TimeUnit.MINUTES);
      System.out.println(
          all ? "received " + count + " messages" : "timed out waiting for messages");
      if (!all) {
        System.exit(1);
      }
    } catch (PostwireException e) {
      System.err.println("postwire: " + e.codeName() + ": " + e.getMessage());
      System.exit(1);
    } finally {
      workers.shutdown();
    }
  }
}
