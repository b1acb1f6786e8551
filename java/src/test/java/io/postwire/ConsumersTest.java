package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Consumer ids, positions, subscribe options and the new capabilities: each consumer gets only its
 * own messages (routed by consumer id, never by source), options by name reach the core.
 */
class ConsumersTest {
  private static final int N = 40;

  private static List<String> sendNumbered(Producer producer, String queue, int count) {
    List<String> bodies = IntStream.range(0, count).mapToObj(i -> "m" + i).toList();
    List<CompletableFuture<DeliveryReport>> reports = new ArrayList<>();
    for (String body : bodies) {
      reports.add(producer.send(queue, body.getBytes(StandardCharsets.UTF_8)));
    }
    reports.forEach(CompletableFuture::join);
    return bodies;
  }

  @Test
  void positionsAreAbsentOnRabbitmqAndMessagesCarryTheirConsumersId() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "position");
      DeliveryReport report = producer.send(queue, new byte[] {1}).join();
      assertEquals(Position.NONE, report.position());
      try (Consumer consumer = client.subscribe(queue)) {
        Message message = TestBroker.receive(consumer);
        Position position = message.position();
        assertEquals(Position.NONE, position);
        assertTrue(position.partition().isEmpty());
        assertTrue(position.offset().isEmpty());
        assertTrue(position.brokerTimestamp().isEmpty());
        assertTrue(position.brokerMessageId().isEmpty());
        assertTrue(position.sequenceNumber().isEmpty());
        assertEquals(consumer.id(), message.consumerId());
        message.ack();
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void positionsFromTheCAbiFormAreTyped() {
    Position position = Position.of(3, 17, 1_700_000_000_000L, "abc", "");
    assertEquals(3, position.partition().getAsInt());
    assertEquals(17, position.offset().getAsLong());
    assertEquals(1_700_000_000_000L, position.brokerTimestamp().orElseThrow().toEpochMilli());
    assertEquals("abc", position.brokerMessageId().orElseThrow());
    assertTrue(position.sequenceNumber().isEmpty());
    assertEquals(Position.NONE, Position.of(-1, -1, -1, "", null));
  }

  @Test
  void twoPolledConsumersOfOneQueueGetOnlyTheirOwn() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "two-polled");
      try (Consumer first = client.subscribe(queue, 5);
          Consumer second = client.subscribe(queue, 5)) {
        assertNotEquals(first.id(), second.id());
        List<String> sent = sendNumbered(producer, queue, N);
        Map<Long, List<String>> received = new HashMap<>();
        long deadline = System.nanoTime() + TestBroker.WAIT.toNanos();
        int total = 0;
        while (total < N && System.nanoTime() < deadline) {
          for (Consumer consumer : List.of(first, second)) {
            for (Message message : consumer.poll(N, Duration.ofMillis(50))) {
              assertEquals(consumer.id(), message.consumerId());
              received
                  .computeIfAbsent(consumer.id(), id -> new ArrayList<>())
                  .add(message.bodyAsString());
              message.ack();
              total++;
            }
          }
        }
        assertAllOnce(sent, received, Set.of(first.id(), second.id()));
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void twoSubscriptionsOfOneQueueGetOnlyTheirOwn() throws Exception {
    twoSubscriptions(false);
  }

  /** Messages already waiting may come before subscribe returned: kept for their subscription. */
  @Test
  void twoSubscriptionsGetOnlyTheirOwnOfMessagesWaitingBefore() throws Exception {
    twoSubscriptions(true);
  }

  private static void twoSubscriptions(boolean sendFirst) throws Exception {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "two-subscriptions");
      List<String> sent = sendFirst ? sendNumbered(producer, queue, N) : List.of();
      CountDownLatch all = new CountDownLatch(N);
      // What each handler got, as {consumer id, body}: the handler may run before subscribe
      // returned (messages waiting already), so it cannot ask its subscription for the id.
      List<ConcurrentLinkedQueue<Map.Entry<Long, String>>> handed =
          List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
      Subscription[] both = new Subscription[2];
      for (int i = 0; i < 2; i++) {
        ConcurrentLinkedQueue<Map.Entry<Long, String>> mine = handed.get(i);
        both[i] =
            client.subscribe(
                queue,
                5,
                Runnable::run,
                message -> {
                  mine.add(Map.entry(message.consumerId(), message.bodyAsString()));
                  message.ack();
                  all.countDown();
                });
      }
      try (Subscription first = both[0];
          Subscription second = both[1]) {
        assertNotEquals(first.id(), second.id());
        if (!sendFirst) {
          sent = sendNumbered(producer, queue, N);
        }
        assertTrue(all.await(TestBroker.WAIT.toSeconds(), TimeUnit.SECONDS), "not all came");
        Map<Long, List<String>> received = new HashMap<>();
        for (int i = 0; i < 2; i++) {
          long id = both[i].id();
          for (Map.Entry<Long, String> message : handed.get(i)) {
            assertEquals(id, message.getKey(), "subscription " + id + " got " + message);
            received.computeIfAbsent(id, k -> new ArrayList<>()).add(message.getValue());
          }
        }
        // Sent before subscribing, the first may take them all before the second subscribes.
        assertAllOnce(sent, received, sendFirst ? null : Set.of(first.id(), second.id()));
      }
      client.deleteQueue(queue);
    }
  }

  /**
   * Together they got every message once, and each consumer of {@code each} some (RabbitMQ
   * round-robins).
   */
  private static void assertAllOnce(
      List<String> sent, Map<Long, List<String>> received, Set<Long> each) {
    if (each != null) {
      assertEquals(each, received.keySet(), "each consumer got some");
    }
    List<String> together = new ArrayList<>();
    received.values().forEach(together::addAll);
    assertEquals(sent.size(), together.size(), "exactly once: " + together);
    assertEquals(new HashSet<>(sent), new HashSet<>(together));
  }

  @Test
  void consumerEventsCarryTheirConsumersId() throws Exception {
    Map<ClientListener.ConsumerState, Set<Long>> events = new ConcurrentHashMap<>();
    ClientListener listener =
        new ClientListener() {
          @Override
          public void onConsumer(
              long consumerId, String source, ConsumerState state, PostwireException error) {
            events.computeIfAbsent(state, s -> ConcurrentHashMap.newKeySet()).add(consumerId);
          }
        };
    try (Client client = Postwire.connect(TestBroker.amqpUrl(), Map.of(), listener)) {
      String queue = TestBroker.queue(client, "consumer-events");
      try (Consumer first = client.subscribe(queue);
          Subscription second = client.subscribe(queue, Runnable::run, Message::ack)) {
        client.deleteQueue(queue); // the broker cancels both consumers
        Set<Long> expected = Set.of(first.id(), second.id());
        long deadline = System.nanoTime() + TestBroker.WAIT.toNanos();
        while (!expected.equals(events.get(ClientListener.ConsumerState.CANCELLED))
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(expected, events.get(ClientListener.ConsumerState.CANCELLED));
      }
    }
  }

  @Test
  void priorityGivesEveryMessageToTheHigherConsumerWhileItHasRoom() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "priority");
      try (Consumer high = client.subscribe(queue, 50, Map.of("priority", 10));
          Consumer low = client.subscribe(queue, 0, Map.of("priority", 0))) {
        List<String> sent = sendNumbered(producer, queue, 20);
        List<Message> received = new ArrayList<>();
        while (received.size() < sent.size()) {
          Message message = high.poll(TestBroker.WAIT);
          assertNotNull(message, "the high-priority consumer got " + received.size() + " of 20");
          received.add(message); // no ack until all are counted: it keeps room for all
        }
        assertNull(low.poll(Duration.ofMillis(300)));
        assertEquals(
            new HashSet<>(sent),
            received.stream().map(Message::bodyAsString).collect(Collectors.toSet()));
        received.forEach(Message::ack);
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void badSubscribeOptionsAreRefusedByName() {
    try (Client client = TestBroker.connect()) {
      String queue = TestBroker.queue(client, "bad-options");
      Map<Map<String, ?>, String> cases =
          Map.of(
              Map.of("no_such_option", 1), "no_such_option",
              Map.of("prefetch", "abc"), "prefetch",
              Map.of("priority", "high"), "priority");
      cases.forEach(
          (options, key) -> {
            PostwireException error =
                assertThrows(PostwireException.class, () -> client.subscribe(queue, 0, options));
            assertEquals(ErrorCode.INVALID_ARGUMENT, error.code());
            assertTrue(error.getMessage().contains(key), error.getMessage());
            error =
                assertThrows(
                    PostwireException.class,
                    () -> client.subscribe(queue, 0, options, Runnable::run, Message::ack));
            assertEquals(ErrorCode.INVALID_ARGUMENT, error.code());
            assertTrue(error.getMessage().contains(key), error.getMessage());
          });
      // The delivery mode is the overload's; prefetch may be given once only.
      assertThrows(
          IllegalArgumentException.class,
          () -> client.subscribe(queue, 0, Map.of("deliver_as_events", true)));
      assertThrows(
          IllegalArgumentException.class, () -> client.subscribe(queue, 5, Map.of("prefetch", 5)));
      assertThrows(
          IllegalArgumentException.class,
          () -> client.subscribe(queue, 0, Map.of("priority", List.of(1))));
      client.deleteQueue(queue);
    }
  }

  @Test
  void typedAndNamedOptionsTogether() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "exclusive");
      try (Consumer exclusive = client.subscribe(queue, 3, Map.of("exclusive", true))) {
        assertThrows(PostwireException.class, () -> client.subscribe(queue));
        producer.send(queue, new byte[] {9}).join();
        Message message = TestBroker.receive(exclusive);
        assertEquals(exclusive.id(), message.consumerId());
        message.ack();
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void theNewCapabilitiesAreOffOnRabbitmq() {
    try (Client client = TestBroker.connect()) {
      Set<Capability> capabilities = client.capabilities();
      for (Capability capability :
          EnumSet.of(
              Capability.PARTITIONS,
              Capability.SEEK,
              Capability.CONSUMER_GROUPS,
              Capability.FIFO,
              Capability.NATIVE_DELAY,
              Capability.VISIBILITY_EXTENSION)) {
        assertTrue(!capabilities.contains(capability), capability.name());
      }
      assertTrue(capabilities.contains(Capability.EXCHANGES));
    }
  }
}
