package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** examples/java: the producer sends, the consumer receives, both as a user runs them. */
class ExamplesTest {
  private static final Path EXAMPLES =
      Paths.get("..", "examples", "java").toAbsolutePath().normalize();

  private static String run(String example, String... args) throws Exception {
    Path source = EXAMPLES.resolve(example);
    assertTrue(Files.exists(source), source + " exists");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), example + " finished");
    assertEquals(0, process.exitValue(), example + " output:\n" + output);
    return output;
  }

  @Test
  void theProducerAndTheConsumerExamplesTalk() throws Exception {
    String queue = TestBroker.unique("examples");
    try {
      String sent = run("ProducerExample.java", TestBroker.amqpUrl(), queue, "5");
      assertTrue(sent.contains("sent 5 messages, 5 confirmed"), sent);
      String received = run("ConsumerExample.java", TestBroker.amqpUrl(), queue, "5");
      assertTrue(received.contains("received order 5"), received);
      assertTrue(received.contains("received 5 messages"), received);
    } finally {
      try (Client client = TestBroker.connect()) {
        client.deleteQueue(queue);
      }
    }
  }
}
