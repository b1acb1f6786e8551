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

/**
 * A priority queue: low-priority jobs are sent first and high-priority ones after them, yet once
 * all of them are queued the broker hands out the high-priority jobs first. Prints each job in the
 * order it arrives.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/PriorityExample.java \
 *     amqp://guest:guest@localhost:5672/ jobs
 * </pre>
 */
public final class PriorityExample {
  private record Job(String name, int priority) {}

  private static final List<Job> JOBS =
      List.of(
          new Job("report-1", 1),
          new Job("report-2", 1),
          new Job("report-3", 1),
          new Job("alert-1", 9),
          new Job("alert-2", 9));

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PriorityExample URL QUEUE");
      System.exit(2);
    }
    String url = args[0];
    String queue = args[1];
    try (Client client = Postwire.connect(url, Map.of("log.level", "warn"))) {
      // Priorities only take effect on a queue declared with max_priority.
      client.declareQueue(queue, Map.of("durable", "true", "max_priority", "10"));

      try (Producer producer = client.producer()) {
        CompletableFuture<?>[] sends = new CompletableFuture<?>[JOBS.size()];
        for (int i = 0; i < sends.length; i++) {
          Job job = JOBS.get(i);
          byte[] body = job.name().getBytes(StandardCharsets.UTF_8);
          sends[i] = producer.send(queue, new OutgoingMessage(body).priority(job.priority()));
          System.out.println("sent " + job.name() + " (priority " + job.priority() + ")");
        }
        // Waiting for every confirm means every job is in the queue before the first is taken,
        // so the broker can order all of them by priority.
        CompletableFuture.allOf(sends).join();
      }

      try (Consumer consumer = client.consumer(queue)) {
        for (int received = 0; received < JOBS.size(); received++) {
          try (Message message = consumer.poll(Duration.ofSeconds(30))) {
            if (message == null) {
              throw new IllegalStateException("a job did not arrive within 30 s");
            }
            int priority = message.priority().orElse(0);
            System.out.println(
                "received " + message.bodyAsString() + " (priority " + priority + ")");
            message.ack();
          }
        }
      }
    } catch (PostwireException | IllegalStateException e) {
      System.err.println("PriorityExample: " + e);
      System.exit(1);
    } catch (CompletionException e) {
      // A send that failed completes its future with the PostwireException as the cause.
      System.err.println("PriorityExample: " + e.getCause());
      System.exit(1);
    }
  }
}
