package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A send whose future nobody observes still has its failure told: a WARNING on the io.postwire
 * logger and {@link ClientListener#onUnobservedFailure}. An observed failure reaches only its
 * observers, and is thrown where the future is awaited.
 */
class UnobservedFailureTest {
  /** Held here: java.util.logging keeps loggers only weakly. */
  private static final Logger LOGGER = Logger.getLogger("io.postwire");

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** What the listener was told, in order: "destination code". */
  private final BlockingQueue<String> told = new LinkedBlockingQueue<>();

  private final List<PostwireException> errors = new CopyOnWriteArrayList<>();

  private final ClientListener listener =
      new ClientListener() {
        @Override
        public void onUnobservedFailure(String destination, PostwireException error) {
          errors.add(error);
          told.add(destination + " " + error.codeName());
        }
      };

  @BeforeEach
  void captureTheLog() {
    LOGGER.addHandler(capture);
  }

  @AfterEach
  void releaseTheLog() {
    LOGGER.removeHandler(capture);
  }

  private Client connect() {
    return Postwire.connect(TestBroker.amqpUrl(), Map.of(), listener);
  }

  /** The next thing the listener was told, waiting a bounded time for it. */
  private String nextTold() throws InterruptedException {
    String next = told.poll(TestBroker.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(next, "the listener was told nothing within " + TestBroker.WAIT);
    return next;
  }

  @Test
  void anUnobservedFailureIsLoggedAtWarningAndHandedToTheListener() throws Exception {
    try (Client client = connect();
        Producer producer = client.producer()) {
      String nobody = TestBroker.unique("nobody-here");
      producer.send(nobody, new byte[] {1}); // the future is dropped
      assertEquals(nobody + " unroutable", nextTold());
      assertEquals(ErrorCode.UNROUTABLE, errors.get(0).code());
      // The log line was written before the listener was called.
      assertTrue(
          records.stream()
              .anyMatch(
                  r ->
                      r.getLevel() == Level.WARNING
                          && r.getMessage().contains(nobody)
                          && r.getMessage().contains("unroutable")),
          records.toString());
    }
  }

  @Test
  void aFailureOnlyFlushWaitedForIsUnobserved() throws Exception {
    try (Client client = connect();
        Producer producer = client.producer()) {
      String nobody = TestBroker.unique("flushed");
      producer.send(nobody, new byte[] {1});
      assertTrue(producer.flush(TestBroker.WAIT));
      assertEquals(nobody + " unroutable", nextTold());
    }
  }

  @Test
  void anObservedFailureIsThrownWhereAwaitedAndNotReported() throws Exception {
    try (Client client = connect();
        Producer producer = client.producer()) {
      // The poller thread is held in a handler while the observed sends are made, so their
      // reports wait in the event queue until every observer is in place.
      String queue = TestBroker.queue(client, "hold");
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      try (Subscription hold =
          client.subscribe(
              queue,
              Runnable::run,
              message -> {
                message.ack();
                held.countDown();
                release.await();
              })) {
        producer.send(queue, new byte[] {0});
        assertTrue(held.await(TestBroker.WAIT.toMillis(), TimeUnit.MILLISECONDS));

        String handled = TestBroker.unique("handled");
        CompletableFuture<String> outcome =
            producer.send(handled, new byte[] {1}).handle((report, error) -> "handled " + error);
        String recovered = TestBroker.unique("recovered");
        CompletableFuture<DeliveryReport> send = producer.send(recovered, new byte[] {1});
        CompletableFuture<String> rescued =
            send.thenApply(report -> "confirmed").exceptionally(error -> "rescued");
        String combined = TestBroker.unique("combined");
        CompletableFuture<Void> all = CompletableFuture.allOf(producer.send(combined, new byte[0]));
        String joined = TestBroker.unique("joined");
        ClientCore.Pending awaited = (ClientCore.Pending) producer.send(joined, new byte[] {1});
        Thread releaser =
            new Thread(
                () -> {
                  // Lets the poller go once join() below counts as observing (bounded).
                  for (int i = 0; i < 15_000 && !awaited.isAwaited(); i++) {
                    try {
                      Thread.sleep(1);
                    } catch (InterruptedException e) {
                      break;
                    }
                  }
                  release.countDown();
                });
        releaser.start();
        CompletionException thrown = assertThrows(CompletionException.class, awaited::join);
        assertEquals(
            ErrorCode.UNROUTABLE,
            assertInstanceOf(PostwireException.class, thrown.getCause()).code());
        releaser.join();
        assertTrue(outcome.join().startsWith("handled "), outcome.join());
        assertEquals("rescued", rescued.join());
        assertThrows(CompletionException.class, all::join);

        // The reports of the observed sends were handed out before this one's.
        String dropped = TestBroker.unique("dropped");
        producer.send(dropped, new byte[] {1});
        assertEquals(dropped + " unroutable", nextTold(), "only the unobserved send is told");
        assertTrue(told.isEmpty(), told.toString());
        for (String observed : List.of(handled, recovered, combined, joined)) {
          assertTrue(
              records.stream().noneMatch(r -> r.getMessage().contains(observed)),
              observed + " was observed, yet logged");
        }
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void aFailureAwaitedWithGetIsThrownThere() {
    try (Client client = connect();
        Producer producer = client.producer()) {
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () -> producer.send(TestBroker.unique("got"), new byte[] {1}).get());
      assertEquals(
          ErrorCode.UNROUTABLE,
          assertInstanceOf(PostwireException.class, failed.getCause()).code());
    }
  }

  @Test
  void theDefaultListenerStillLogs() throws Exception {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String nobody = TestBroker.unique("default-listener");
      producer.send(nobody, new byte[] {1});
      assertTrue(producer.flush(TestBroker.WAIT));
      // The poller hands out one report after the other: once a later send's report is in,
      // the failure's log line was written.
      String queue = TestBroker.queue(client, "after");
      producer.send(queue, new byte[] {2}).join();
      assertTrue(
          records.stream()
              .anyMatch(r -> r.getLevel() == Level.WARNING && r.getMessage().contains(nobody)),
          records.toString());
      client.deleteQueue(queue);
    }
  }
}
