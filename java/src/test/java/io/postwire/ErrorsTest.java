package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void anUnknownConfigKeyIsNamed() {
    PostwireException error =
        assertThrows(
            PostwireException.class,
            () -> Postwire.connect(TestBroker.amqpUrl(), Map.of("no.such.option", "1")));
    assertEquals(ErrorCode.CONFIG_UNKNOWN_KEY, error.code());
    assertEquals(101, error.codeValue());
    assertEquals("config_unknown_key", error.codeName());
    assertTrue(error.getMessage().contains("no.such.option"), error.getMessage());
    assertFalse(error.isRetriable());
  }

  @Test
  void aBadConfigValueIsNamed() {
    PostwireException error =
        assertThrows(
            PostwireException.class,
            () -> Postwire.connect(TestBroker.amqpUrl(), Map.of("max.deliveries", "five")));
    assertEquals(ErrorCode.CONFIG_INVALID_VALUE, error.code());
    assertTrue(error.getMessage().contains("max.deliveries"), error.getMessage());
  }

  @Test
  void aBadUrlIsRefused() {
    PostwireException error =
        assertThrows(PostwireException.class, () -> Postwire.connect("nonsense://x", Map.of()));
    assertEquals(ErrorCode.INVALID_URL, error.code());
  }

  @Test
  void aClosedPortIsConnectionRefusedWithoutTheCredentials() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "amqp://guest:s3cret-pass@127.0.0.1:" + port + "/";
    PostwireException error =
        assertThrows(PostwireException.class, () -> Postwire.connect(url, Map.of()));
    assertEquals(ErrorCode.CONNECTION_REFUSED, error.code());
    assertFalse(
        error.getMessage().contains("s3cret-pass"), "no secrets in errors: " + error.getMessage());
  }

  @Test
  void consumingAMissingQueueIsNotFound() {
    try (Client client = TestBroker.connect()) {
      PostwireException error =
          assertThrows(
              PostwireException.class, () -> client.subscribe(TestBroker.unique("missing")));
      assertEquals(ErrorCode.NOT_FOUND, error.code());
    }
  }

  @Test
  void sendingToAMissingExchangeFailsItsFuture() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String exchange = TestBroker.unique("no-exchange");
      CompletionException failure =
          assertThrows(
              CompletionException.class,
              () -> producer.send("exchange/" + exchange, new byte[] {1}).join());
      PostwireException error = assertInstanceOf(PostwireException.class, failure.getCause());
      assertEquals(ErrorCode.NOT_FOUND, error.code());
      assertTrue(error.getMessage().contains(exchange), error.getMessage());
    }
  }

  @Test
  void anUnroutableMessageFailsItsFuture() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      CompletionException failure =
          assertThrows(
              CompletionException.class,
              () -> producer.send(TestBroker.unique("nobody-here"), new byte[] {1}).join());
      assertEquals(ErrorCode.UNROUTABLE, ((PostwireException) failure.getCause()).code());
    }
  }

  @Test
  void callsAfterCloseThrowClosed() {
    Client client = TestBroker.connect();
    Producer producer = client.producer();
    String queue = TestBroker.queue(client, "after-close");
    client.close();
    client.close(); // closing again does nothing
    assertEquals(client.stats().json(), client.stats().json()); // the final figures
    assertEquals(
        ErrorCode.CLOSED,
        assertThrows(PostwireException.class, () -> producer.send(queue, new byte[] {1})).code());
    assertEquals(
        ErrorCode.CLOSED,
        assertThrows(PostwireException.class, () -> client.subscribe(queue)).code());
    producer.close();
    assertEquals(
        ErrorCode.CLOSED,
        assertThrows(PostwireException.class, () -> producer.send(queue, new byte[] {1})).code());
    try (Client cleanup = TestBroker.connect()) {
      cleanup.deleteQueue(queue);
    }
  }

  @Test
  void badArgumentsAreNamedBeforeReachingTheBroker() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> producer.send("q", (byte[]) null))
              .getMessage()
              .contains("body"));
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> producer.send("", new byte[0]))
              .getMessage()
              .contains("destination"));
      assertThrows(IllegalArgumentException.class, () -> client.subscribe("q", -1));
      PostwireException badOption =
          assertThrows(
              PostwireException.class,
              () -> client.declareQueue(TestBroker.unique("q"), Map.of("colour", "red")));
      assertEquals(ErrorCode.INVALID_ARGUMENT, badOption.code());
      assertTrue(badOption.getMessage().contains("colour"), badOption.getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> Postwire.connect(TestBroker.amqpUrl(), null));
      assertThrows(
          IllegalArgumentException.class,
          () -> new OutgoingMessage(new byte[0]).header("name", (String) null));
      String queue = TestBroker.queue(client, "bad-args");
      try (Consumer consumer = client.subscribe(queue)) {
        assertThrows(IllegalArgumentException.class, () -> consumer.poll(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> consumer.poll(0, Duration.ZERO));
      }
      client.deleteQueue(queue);
    }
  }
}
