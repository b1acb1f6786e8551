package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One network outage through the fault proxy that ci/brokers puts in front of the broker
 * (toxiproxy, POSTWIRE_TEST_PROXY_API), as a user of the package meets it: the consumer keeps
 * returning messages across the outage, no exception escapes, every send is confirmed and every
 * message arrives once.
 */
class FaultsTest {
  private static final int TOTAL = 600;
  private static final Map<String, String> FAULT_CONFIG =
      Map.of(
          "reconnect.backoff.ms", "50",
          "reconnect.backoff.max.ms", "1000",
          "heartbeat.interval.ms", "1000",
          "dedup.window.size", "10000",
          "delivery.timeout.ms", "120000");

  private static String environment(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isEmpty()) {
      fail(
          variable + " is not set: start the brokers with `ci/brokers up` and eval ci/brokers env");
    }
    return value;
  }

  private static void setProxyEnabled(boolean enabled) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(environment("POSTWIRE_TEST_PROXY_API") + "/proxies/amqp"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": " + enabled + "}"))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void consumerKeepsReceivingAcrossAnOutage() throws Exception {
    String proxied = environment("POSTWIRE_TEST_AMQP_PROXY_URL");
    List<ClientListener.ConnectionState> states = new CopyOnWriteArrayList<>();
    ClientListener listener =
        new ClientListener() {
          @Override
          public void onConnection(
              ClientListener.ConnectionState state, String broker, PostwireException error) {
            states.add(state);
          }
        };
    try (Client admin = TestBroker.connect()) {
      String queue = TestBroker.queue(admin, "faults");
      List<Integer> received = new ArrayList<>();
      try (Client consumerClient = Postwire.connect(proxied, FAULT_CONFIG, listener);
          Client producerClient = Postwire.connect(proxied, FAULT_CONFIG);
          Consumer consumer = consumerClient.subscribe(queue, 50)) {
        Thread reader =
            new Thread(
                () -> {
                  long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                  while (new HashSet<>(received).size() < TOTAL && System.nanoTime() < deadline) {
                    for (Message message : consumer.poll(50, Duration.ofMillis(100))) {
                      String seq =
                          new String(message.header("seq").orElseThrow(), StandardCharsets.UTF_8);
                      synchronized (received) {
                        received.add(Integer.parseInt(seq));
                      }
                      message.ack();
                    }
                  }
                });
        reader.start();
        Producer producer = producerClient.producer();
        List<CompletableFuture<DeliveryReport>> sends = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
          if (i == TOTAL / 3) {
            setProxyEnabled(false);
            CompletableFuture.runAsync(
                () -> {
                  try {
                    Thread.sleep(1000);
                    setProxyEnabled(true);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
          }
          sends.add(
              producer.send(
                  queue, new OutgoingMessage(new byte[64]).header("seq", Integer.toString(i))));
          Thread.sleep(5);
        }
        for (CompletableFuture<DeliveryReport> send : sends) {
          send.get();
        }
        reader.join(Duration.ofSeconds(130).toMillis());
      } finally {
        setProxyEnabled(true);
        admin.deleteQueue(queue);
      }
      assertTrue(
          states.contains(ClientListener.ConnectionState.RECOVERING),
          "the outage was not seen: " + states);
      Set<Integer> distinct = new HashSet<>(received);
      assertEquals(TOTAL, distinct.size(), "distinct messages received");
      assertEquals(TOTAL, received.size(), "a message reached the application twice");
    }
  }
}
