package io.postwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** What every postwire language does alike around closing, and the errors' Java classes. */
class ClosingTest {
  /** A closed error as the C ABI flags it (docs/errors.md): not retriable, fatal. */
  private static void assertClosed(PostwireException error) {
    assertEquals(ErrorCode.CLOSED, error.code(), error.toString());
    assertTrue(error.isFatal(), "closed is fatal: " + error);
    assertFalse(error.isRetriable(), "closed is not retriable: " + error);
  }

  @Test
  void everyClosedErrorIsFatalWhetherTheJavaSideOrTheNativeLibraryRaisedIt() {
    Client client = TestBroker.connect();
    String queue = TestBroker.queue(client, "closed-flags");
    Producer producer = client.producer();
    producer.send(queue, new byte[] {1}).join();
    Consumer consumer = client.subscribe(queue);
    Message message = TestBroker.receive(consumer);
    consumer.close();
    // The native library refuses to settle on a closed consumer.
    assertClosed(assertThrows(PostwireException.class, message::ack));
    // The Java side refuses to poll a consumer whose handle it freed.
    assertClosed(assertThrows(PostwireException.class, () -> consumer.poll(TestBroker.WAIT)));
    producer.close();
    assertClosed(assertThrows(PostwireException.class, () -> producer.send(queue, new byte[] {1})));
    client.deleteQueue(queue);
    client.close();
    assertClosed(assertThrows(PostwireException.class, client::producer));
    assertClosed(assertThrows(PostwireException.class, () -> client.declareQueue("x")));
  }

  @Test
  void closingTwiceDoesNothing() {
    Client client = TestBroker.connect();
    String queue = TestBroker.queue(client, "close-twice");
    Producer producer = client.producer();
    Consumer consumer = client.subscribe(queue);
    Subscription subscription = client.subscribe(queue, Runnable::run, Message::ack);
    client.deleteQueue(queue);
    consumer.close();
    consumer.close();
    subscription.close();
    subscription.close();
    producer.close();
    producer.close();
    client.close();
    client.close();
    // Closing what the closed client made does nothing either.
    Consumer late = consumerOf(client);
    assertTrue(late == null);
  }

  /** A consumer of a client known to be closed: null, since subscribing throws CLOSED. */
  private static Consumer consumerOf(Client client) {
    try {
      return client.subscribe("anything");
    } catch (PostwireException e) {
      assertClosed(e);
      return null;
    }
  }

  @Test
  void statsAfterCloseAreTheFinalFigures() {
    Client client = TestBroker.connect();
    String queue = TestBroker.queue(client, "stats-after-close");
    try (Producer producer = client.producer()) {
      for (int i = 0; i < 3; i++) {
        producer.send(queue, new byte[] {(byte) i});
      }
      assertTrue(producer.flush(TestBroker.WAIT));
    }
    client.deleteQueue(queue);
    client.close();
    Stats last = client.stats();
    assertEquals(3, last.get("confirmed"), last.json());
    assertEquals(last.json(), client.stats().json(), "the figures stay as they were at close");
  }

  @Test
  void subscribingAfterCloseThrowsClosed() {
    Client client = TestBroker.connect();
    String queue = TestBroker.queue(client, "subscribe-after-close");
    client.deleteQueue(queue);
    client.close();
    assertClosed(assertThrows(PostwireException.class, () -> client.subscribe(queue)));
    assertClosed(assertThrows(PostwireException.class, () -> client.subscribe(queue, 10)));
    assertClosed(
        assertThrows(
            PostwireException.class, () -> client.subscribe(queue, Runnable::run, m -> {})));
  }

  @Test
  void leavingAForEachLoopDoesNotCloseTheConsumer() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "for-each");
      for (int i = 1; i <= 3; i++) {
        producer.send(queue, new byte[] {(byte) i}).join();
      }
      List<byte[]> bodies = new ArrayList<>();
      try (Consumer consumer = client.subscribe(queue)) {
        for (Message message : consumer) {
          bodies.add(message.body());
          message.ack();
          break;
        }
        // The consumer goes on: by polling, and by a second loop.
        Message second = TestBroker.receive(consumer);
        bodies.add(second.body());
        second.ack();
        for (Message message : consumer) {
          bodies.add(message.body());
          message.ack();
          break;
        }
        assertArrayEquals(new byte[] {1}, bodies.get(0));
        assertArrayEquals(new byte[] {2}, bodies.get(1));
        assertArrayEquals(new byte[] {3}, bodies.get(2));
        // Once the consumer is closed, a loop over it ends.
        consumer.close();
        Iterator<Message> after = consumer.iterator();
        assertFalse(after.hasNext());
        assertThrows(NoSuchElementException.class, after::next);
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void consumerIsTheFormerNameOfSubscribe() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "former-name");
      producer.send(queue, new byte[] {9}).join();
      try (Consumer consumer = client.consumer(queue)) {
        Message message = TestBroker.receive(consumer);
        assertArrayEquals(new byte[] {9}, message.body());
        message.ack();
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void aTimeoutIsAPostwireTimeoutException() throws IOException {
    // A server that accepts the connection and never answers the AMQP handshake.
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                List<Socket> held = new ArrayList<>();
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException e) {
                  // the test closed the server socket
                }
                for (Socket socket : held) {
                  try {
                    socket.close();
                  } catch (IOException e) {
                    // already gone
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "amqp://guest:guest@127.0.0.1:" + silent.getLocalPort() + "/";
      PostwireException error =
          assertThrows(
              PostwireException.class,
              () -> Postwire.connect(url, Map.of("socket.connection.setup.timeout.ms", "300")));
      assertEquals(ErrorCode.TIMED_OUT, error.code(), error.toString());
      assertTrue(error instanceof PostwireTimeoutException, error.getClass().getName());
      assertTrue(error.isRetriable(), error.toString());
    }
  }
}
