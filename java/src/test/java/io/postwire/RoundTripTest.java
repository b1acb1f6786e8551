package io.postwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoundTripTest {
  @Test
  void aSentMessageArrivesWithItsBodyKeyAndSource() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "roundtrip");
      byte[] body = {0, 1, 2, (byte) 0xff, 'x'};
      producer.send(queue, "key-1".getBytes(StandardCharsets.UTF_8), body).join();
      try (Consumer consumer = client.subscribe(queue)) {
        Message message = TestBroker.receive(consumer);
        assertArrayEquals(body, message.body());
        assertArrayEquals("key-1".getBytes(StandardCharsets.UTF_8), message.key());
        assertEquals(queue, message.source());
        assertEquals(1, message.deliveryCount());
        assertFalse(message.redelivered());
        message.ack();
        assertTrue(message.isSettled());
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void deliveryReportsCarryTheIdTheDestinationAndTheAttempts() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "report");
      DeliveryReport assigned = producer.send(queue, new byte[] {1}).join();
      DeliveryReport given =
          producer.send(queue, new OutgoingMessage(new byte[] {2}).id("order-17")).join();
      assertEquals(queue, assigned.destination());
      assertFalse(assigned.id().isEmpty(), "an id is assigned at send");
      assertTrue(assigned.attempts() >= 1);
      assertFalse(assigned.latency().isNegative());
      assertEquals("order-17", given.id());
      try (Consumer consumer = client.subscribe(queue)) {
        Message first = TestBroker.receive(consumer);
        Message second = TestBroker.receive(consumer);
        assertEquals(assigned.id(), first.id());
        assertEquals("order-17", second.id());
        first.ack();
        second.ack();
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void everyFieldOfAnOutgoingMessageArrives() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.unique("fields");
      client.declareQueue(
          queue, Map.of("durable", "false", "expires_ms", "300000", "max_priority", "9"));
      // AMQP carries timestamps in whole seconds.
      Instant timestamp = Instant.ofEpochSecond(1_700_000_000L);
      byte[] binary = {0, (byte) 0x80, (byte) 0xfe};
      producer
          .send(
              queue,
              new OutgoingMessage("{\"n\":1}".getBytes(StandardCharsets.UTF_8))
                  .id("fields-1")
                  .contentType("application/json")
                  .header("tenant", "acme")
                  .header("raw", binary)
                  .header("tenant", "second")
                  .priority(7)
                  .timestamp(timestamp)
                  .persistent(false))
          .join();
      try (Consumer consumer = client.subscribe(queue)) {
        Message message = TestBroker.receive(consumer);
        assertEquals("{\"n\":1}", message.bodyAsString());
        assertEquals("fields-1", message.id());
        assertEquals("application/json", message.contentType());
        assertEquals(7, message.priority().getAsInt());
        assertEquals(timestamp, message.timestamp().orElseThrow());
        assertArrayEquals(
            "acme".getBytes(StandardCharsets.UTF_8), message.header("tenant").orElseThrow());
        assertArrayEquals(binary, message.header("raw").orElseThrow());
        List<String> names = message.headers().stream().map(Map.Entry::getKey).toList();
        assertTrue(names.containsAll(List.of("tenant", "raw")));
        assertEquals(2, names.stream().filter("tenant"::equals).count(), "repeated names are kept");
        message.ack();
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void aSubscriptionHandsEveryMessageToTheExecutor() throws Exception {
    int count = 200;
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "handler-pool"));
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "subscription");
      Set<String> bodies = ConcurrentHashMap.newKeySet();
      Set<String> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch received = new CountDownLatch(count);
      try (Subscription subscription =
          client.subscribe(
              queue,
              pool,
              message -> {
                threads.add(Thread.currentThread().getName());
                bodies.add(message.bodyAsString());
                message.ack();
                received.countDown();
              })) {
        for (int i = 0; i < count; i++) {
          producer.send(queue, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(producer.flush(TestBroker.WAIT));
        assertTrue(
            received.await(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS), "every message handled");
        assertEquals(queue, subscription.source());
      }
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < count; i++) {
        expected.add("m" + i);
      }
      assertEquals(expected, bodies);
      assertEquals(Set.of("handler-pool"), threads);
      client.deleteQueue(queue);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eachSubscriptionGetsOnlyTheMessagesOfItsSource() throws Exception {
    int count = 50;
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String first = TestBroker.queue(client, "route-a");
      String second = TestBroker.queue(client, "route-b");
      Set<String> wrong = ConcurrentHashMap.newKeySet();
      CountDownLatch received = new CountDownLatch(2 * count);
      try (Subscription a =
              client.subscribe(first, Runnable::run, m -> check(m, first, wrong, received));
          Subscription b =
              client.subscribe(second, Runnable::run, m -> check(m, second, wrong, received))) {
        for (int i = 0; i < count; i++) {
          producer.send(first, first.getBytes(StandardCharsets.UTF_8));
          producer.send(second, second.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(producer.flush(TestBroker.WAIT));
        assertTrue(
            received.await(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS), "every message handled");
        assertEquals(first, a.source());
        assertEquals(second, b.source());
      }
      assertEquals(Set.of(), wrong, "messages handed to the other source's handler");
      client.deleteQueue(first);
      client.deleteQueue(second);
    }
  }

  private static void check(
      Message message, String source, Set<String> wrong, CountDownLatch received) {
    if (!message.bodyAsString().equals(source) || !message.source().equals(source)) {
      wrong.add(message.bodyAsString() + " at " + source);
    }
    message.ack();
    received.countDown();
  }

  @Test
  void aHandlerThatThrowsGetsItsMessageNackedForRedelivery() throws Exception {
    CountDownLatch redelivered = new CountDownLatch(1);
    CountDownLatch failureSeen = new CountDownLatch(1);
    ClientListener listener =
        new ClientListener() {
          @Override
          public void onHandlerFailure(Message message, Throwable failure) {
            failureSeen.countDown();
          }
        };
    try (Client client = Postwire.connect(TestBroker.amqpUrl(), Map.of(), listener);
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "throwing-handler");
      try (Subscription subscription =
          client.subscribe(
              queue,
              Runnable::run,
              message -> {
                if (message.deliveryCount() == 1) {
                  throw new IllegalStateException("first delivery refused");
                }
                message.ack();
                redelivered.countDown();
              })) {
        producer.send(queue, new byte[] {9}).join();
        assertTrue(failureSeen.await(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(redelivered.await(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(queue, subscription.source());
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void aBatchPollReturnsSeveralMessages() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "batch");
      for (int i = 0; i < 20; i++) {
        producer.send(queue, new byte[] {(byte) i});
      }
      assertTrue(producer.flush(TestBroker.WAIT));
      int received = 0;
      try (Consumer consumer = client.subscribe(queue)) {
        while (received < 20) {
          List<Message> batch = consumer.poll(50, TestBroker.WAIT);
          assertFalse(batch.isEmpty(), "messages within " + TestBroker.WAIT);
          for (Message message : batch) {
            assertEquals(received, message.body()[0]);
            message.ack();
            message.close();
            received++;
          }
        }
      }
      assertEquals(20, received);
      client.deleteQueue(queue);
    }
  }
}
