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

/**
 * A priority queue: low-priority jobs are sent first and high-priority ones after them, yet once
 * all of them are queued the broker hands out the high-priority jobs first. Prints each job as it
 * is sent and as it arrives.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar examples/java/PriorityExample.java \
 *     amqp://guest:guest@127.0.0.1:5672 jobs
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

  /** How long to wait for something the broker should do promptly. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PriorityExample URL QUEUE");
      System.exit(2);
    }
    String url = args[0];
    String queue = args[1];
    try (Client client = Postwire.connect(url, Map.of("log.level", "warn"))) {
      // A queue orders by priority only if it was declared with a maximum priority.
      client.declareQueue(queue, Map.of("durable", "true", "max_priority", "9"));

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
        CompletableFuture.allOf(sends).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      }

      try (Consumer consumer = client.subscribe(queue)) {
        for (int received = 0; received < JOBS.size(); received++) {
          try (Message message = consumer.poll(WAIT)) {
            if (message == null) {
              throw new IllegalStateException("no job within " + WAIT.toSeconds() + " s");
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
      // A send that failed completes its future with the PostwireException as the cause, one
      // that was not confirmed in time with a TimeoutException.
      System.err.println("PriorityExample: " + e.getCause());
      System.exit(1);
    }
  }
}
