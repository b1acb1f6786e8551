package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  @Test
  void manyThreadsSendThroughOneProducer() throws Exception {
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "many-threads");
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<CompletableFuture<DeliveryReport>>>> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        senders.add(
            pool.submit(
                () -> {
                  start.await();
                  List<CompletableFuture<DeliveryReport>> futures = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    byte[] body = ByteBuffer.allocate(8).putInt(thread).putInt(i).array();
                    futures.add(producer.send(queue, body));
                  }
                  return futures;
                }));
      }
      start.countDown();
      Set<String> ids = new HashSet<>();
      for (Future<List<CompletableFuture<DeliveryReport>>> sender : senders) {
        for (CompletableFuture<DeliveryReport> future : sender.get(60, TimeUnit.SECONDS)) {
          ids.add(future.join().id());
        }
      }
      assertEquals(threads * perThread, ids.size(), "every send confirmed, each with its own id");
      assertEquals(0, producer.inFlight());

      Set<Long> received = new HashSet<>();
      try (Consumer consumer = client.subscribe(queue, 500)) {
        while (received.size() < threads * perThread) {
          List<Message> batch = consumer.poll(500, TestBroker.WAIT);
          assertTrue(
              !batch.isEmpty(), "received " + received.size() + " of " + threads * perThread);
          for (Message message : batch) {
            assertTrue(received.add(ByteBuffer.wrap(message.body()).getLong()), "no duplicates");
            message.ack();
            message.close();
          }
        }
      }
      assertEquals(threads * perThread, received.size());
      client.deleteQueue(queue);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closingWithSendsInFlightCompletesEveryFuture() {
    Client client = TestBroker.connect();
    String queue = TestBroker.queue(client, "close-in-flight");
    Producer producer = client.producer();
    List<CompletableFuture<DeliveryReport>> futures = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      futures.add(producer.send(queue, new byte[100]));
    }
    client.close(Duration.ZERO);
    int confirmed = 0;
    int closed = 0;
    for (CompletableFuture<DeliveryReport> future : futures) {
      assertTrue(future.isDone(), "close leaves no future pending");
      try {
        future.join();
        confirmed++;
      } catch (CompletionException e) {
        PostwireException error = assertInstanceOf(PostwireException.class, e.getCause());
        assertEquals(ErrorCode.CLOSED, error.code(), error.toString());
        closed++;
      }
    }
    assertEquals(futures.size(), confirmed + closed);
    producer.close();
    try (Client cleanup = TestBroker.connect()) {
      cleanup.deleteQueue(queue);
    }
  }

  @Test
  void closingAConsumerWakesAPollWaitingOnIt() throws Exception {
    try (Client client = TestBroker.connect()) {
      String queue = TestBroker.queue(client, "wake-poll");
      Consumer consumer = client.subscribe(queue);
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread poller =
          new Thread(
              () -> {
                try {
                  outcome.complete(consumer.poll(Duration.ofMinutes(10)));
                } catch (RuntimeException e) {
                  outcome.complete(e);
                }
              });
      poller.start();
      // Closing before or while the poll waits: either way it must return, not hang.
      consumer.close();
      Object result = outcome.get(60, TimeUnit.SECONDS);
      if (result instanceof PostwireException) {
        assertEquals(ErrorCode.CLOSED, ((PostwireException) result).code());
      } else {
        assertNull(result);
      }
      poller.join();
      client.deleteQueue(queue);
    }
  }

  @Test
  void closingTheClientStopsItsSubscriptions() throws Exception {
    Client client = TestBroker.connect();
    String queue = TestBroker.queue(client, "close-subscriptions");
    CountDownLatch first = new CountDownLatch(1);
    Subscription subscription =
        client.subscribe(
            queue,
            Runnable::run,
            message -> {
              message.ack();
              first.countDown();
            });
    try (Producer producer = client.producer()) {
      producer.send(queue, new byte[] {1}).join();
    }
    assertTrue(first.await(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS));
    client.close();
    subscription.close(); // after the client: does nothing, throws nothing
    try (Client other = TestBroker.connect()) {
      QueueInfo info =
          other.declareQueue(queue, java.util.Map.of("durable", "false", "expires_ms", "300000"));
      assertEquals(0, info.consumerCount(), "the subscription's consumer is gone");
      assertNotNull(info.name());
      other.deleteQueue(queue);
    }
  }

  @Test
  void flushOnThePollerThreadIsRefusedInsteadOfWaitingForItself() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "flush-on-poller");
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      // A direct executor: the handler runs on the poller thread itself.
      try (Subscription subscription =
          client.subscribe(
              queue,
              Runnable::run,
              message -> {
                message.ack();
                try {
                  producer.flush(Duration.ofSeconds(1));
                  refused.complete(null);
                } catch (IllegalStateException e) {
                  refused.complete(e);
                }
              })) {
        producer.send(queue, new byte[] {1}).join();
        Throwable error = refused.get(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, error);
        assertTrue(error.getMessage().contains("poller thread"), error.getMessage());
        assertEquals(queue, subscription.source());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      client.deleteQueue(queue);
    }
  }
}
