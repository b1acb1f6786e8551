import io.postwire.Client;
import io.postwire.Consumer;
import io.postwire.DeliveryReport;
import io.postwire.Message;
import io.postwire.OutgoingMessage;
import io.postwire.Postwire;
import io.postwire.PostwireException;
import io.postwire.Producer;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java side of the cross-language interop suite (tests/languages/test_interop.py). The message
 * format on standard input and output is described in tests/languages/interop/README.md.
 *
 * <pre>
 * java -cp java/target/postwire-0.1.0.jar tests/languages/interop/InteropPeer.java send URL QUEUE
 * java -cp java/target/postwire-0.1.0.jar tests/languages/interop/InteropPeer.java \
 *     receive URL QUEUE COUNT
 * </pre>
 */
public final class InteropPeer {
  private static final HexFormat HEX = HexFormat.of();

  /** A message and its id, read from the format. */
  private record Spec(String id, OutgoingMessage message) {}

  private static List<Spec> readSpecs(BufferedReader in) throws IOException {
    List<Spec> specs = new ArrayList<>();
    String id = null;
    OutgoingMessage message = new OutgoingMessage(new byte[0]);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] parts = line.split(" ", 2);
      String value = parts.length > 1 ? parts[1] : "";
      switch (parts[0]) {
        case "id" -> {
          id = value;
          message.id(value);
        }
        case "key" -> message.key(HEX.parseHex(value));
        case "content-type" -> message.contentType(value);
        case "header" -> {
          String[] header = value.split(" ", 2);
          message.header(header[0], HEX.parseHex(header.length > 1 ? header[1] : ""));
        }
        case "body" -> message.body(HEX.parseHex(value));
        case "end" -> {
          specs.add(new Spec(id, message));
          id = null;
          message = new OutgoingMessage(new byte[0]);
        }
        case "" -> {}
        default -> throw new IllegalArgumentException("unknown field " + parts[0]);
      }
    }
    return specs;
  }

  private static int send(String url, String queue) throws IOException, InterruptedException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<Spec> specs = readSpecs(in);
    try (Client client = Postwire.connect(url, Map.of());
        Producer producer = client.producer()) {
      List<CompletableFuture<DeliveryReport>> reports = new ArrayList<>();
      for (Spec spec : specs) {
        reports.add(producer.send(queue, spec.message()));
      }
      int failed = 0;
      for (int i = 0; i < reports.size(); i++) {
        try {
          reports.get(i).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          failed++;
          Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
          System.err.println("message " + specs.get(i).id() + " failed: " + cause);
        }
      }
      return failed == 0 ? 0 : 1;
    }
  }

  private static void print(PrintStream out, Message message) {
    out.println("id " + message.id());
    // The Java API gives an empty key for a message without one.
    if (message.key().length > 0) {
      out.println("key " + HEX.formatHex(message.key()));
    }
    if (!message.contentType().isEmpty()) {
      out.println("content-type " + message.contentType());
    }
    for (Map.Entry<String, byte[]> header : message.headers()) {
      out.println("header " + header.getKey() + " " + HEX.formatHex(header.getValue()));
    }
    out.println("body " + HEX.formatHex(message.body()));
    out.println("delivery-count " + message.deliveryCount());
    out.println("end");
  }

  private static int receive(String url, String queue, int count) {
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)),
            false,
            StandardCharsets.UTF_8);
    try (Client client = Postwire.connect(url, Map.of());
        Consumer consumer = client.subscribe(queue)) {
      for (int received = 0; received < count; received++) {
        try (Message message = consumer.poll(Duration.ofSeconds(30))) {
          if (message == null) {
            System.err.println("received " + received + " of " + count + " messages within 30 s");
            return 1;
          }
          print(out, message);
          message.ack();
        }
      }
      return 0;
    } finally {
      out.flush();
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int status = 2;
    try {
      if (args.length == 3 && args[0].equals("send")) {
        status = send(args[1], args[2]);
      } else if (args.length == 4 && args[0].equals("receive") && args[3].matches("[0-9]+")) {
        status = receive(args[1], args[2], Integer.parseInt(args[3]));
      } else {
        System.err.println(
            "usage: InteropPeer send URL QUEUE\n       InteropPeer receive URL QUEUE COUNT");
      }
    } catch (PostwireException | IllegalArgumentException e) {
      System.err.println("error: " + e);
      status = 1;
    }
    System.exit(status);
  }
}
