package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TopologyTest {
  @Test
  void exchangesBindingsPurgeAndDelete() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String exchange = TestBroker.unique("exchange");
      String queue = TestBroker.queue(client, "bound");
      client.declareExchange(
          exchange, Map.of("type", "direct", "durable", "false", "auto_delete", "false"));
      client.bind(exchange, queue, Map.of("routing_key", "blue"));

      producer
          .send("exchange/" + exchange, "blue".getBytes(StandardCharsets.UTF_8), new byte[] {1})
          .join();
      producer
          .send("exchange/" + exchange, "blue".getBytes(StandardCharsets.UTF_8), new byte[] {2})
          .join();
      CompletionException unroutable =
          assertThrows(
              CompletionException.class,
              () ->
                  producer
                      .send(
                          "exchange/" + exchange,
                          "red".getBytes(StandardCharsets.UTF_8),
                          new byte[] {3})
                      .join());
      assertEquals(ErrorCode.UNROUTABLE, ((PostwireException) unroutable.getCause()).code());

      // Confirmed, so both are in the queue: purge counts them.
      assertEquals(2, client.purgeQueue(queue), "both blue messages were routed to the queue");

      client.unbind(exchange, queue, Map.of("routing_key", "blue"));
      CompletionException unbound =
          assertThrows(
              CompletionException.class,
              () ->
                  producer
                      .send(
                          "exchange/" + exchange,
                          "blue".getBytes(StandardCharsets.UTF_8),
                          new byte[] {4})
                      .join());
      assertEquals(ErrorCode.UNROUTABLE, ((PostwireException) unbound.getCause()).code());

      client.deleteExchange(exchange, Map.of());
      producer.send(queue, new byte[] {5}).join();
      assertEquals(1, client.deleteQueue(queue, Map.of()), "delete reports the messages it held");
    }
  }

  @Test
  void aQueueNamedByTheBrokerAndItsCounts() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      QueueInfo named = client.declareQueue("", Map.of("durable", "false", "exclusive", "true"));
      assertFalse(named.name().isEmpty());
      assertEquals(0, named.messageCount());
      producer.send(named.name(), new byte[] {1}).join();
      client.deleteQueue(named.name());

      Map<String, String> options = Map.of("durable", "false", "expires_ms", "300000");
      String queue = TestBroker.unique("counts");
      assertEquals(0, client.declareQueue(queue, options).messageCount());
      producer.send(queue, new byte[] {1}).join();
      QueueInfo again = client.declareQueue(queue, options);
      assertEquals(queue, again.name());
      assertEquals(1, again.messageCount());
      assertEquals(0, again.consumerCount());
      client.deleteQueue(queue);
    }
  }

  @Test
  void capabilitiesAndStats() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      assertTrue(client.capabilities().contains(Capability.EXCHANGES));
      assertTrue(client.capabilities().contains(Capability.DELAYED_NACK));
      String queue = TestBroker.queue(client, "stats");
      for (int i = 0; i < 3; i++) {
        producer.send(queue, new byte[14]).join();
      }
      Stats stats = client.stats();
      assertEquals(3, stats.get("sent"));
      assertEquals(3, stats.get("confirmed"));
      assertEquals(0, stats.get("in_flight"));
      assertEquals(42, stats.get("bytes_sent"));
      assertTrue(stats.getDouble("send_to_confirm_max_us") > 0);
      assertTrue(stats.json().startsWith("{"));
      assertThrows(IllegalArgumentException.class, () -> stats.get("no_such_field"));
      client.deleteQueue(queue);
    }
  }
}
