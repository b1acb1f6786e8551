package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Kafka through the Java API: a topic declared with partitions, delivery reports with the partition
 * and offset the broker gave, partition reads with their start position, what Kafka refuses, and
 * the topic deleted again. Runs when kafka is in POSTWIRE_BROKERS (no tests otherwise, rather than
 * skipped ones).
 */
class KafkaTest {
  private static final int PARTITIONS = 3;
  private static final List<String> KEYS =
      List.of("customer-1", "customer-2", "customer-3", "customer-4");

  @TestFactory
  Stream<DynamicTest> kafka() {
    if (!TestBroker.brokers().contains("kafka")) {
      return Stream.empty();
    }
    return Stream.of(
        test("capabilities say partitions and seek, not exchanges", KafkaTest::capabilities),
        test("reports carry the partition and ascending offsets", KafkaTest::reports),
        test("a read from earliest delivers each message with its position", KafkaTest::read),
        test("a read of one partition from an offset", KafkaTest::readFromOffset),
        test(
            "priorities, TTLs, missing topics and unknown options are refused", KafkaTest::refused),
        test("a deleted topic is gone", KafkaTest::deleted));
  }

  private interface TopicTest {
    void run(Client client, String topic) throws Exception;
  }

  /** A test with a client and a fresh topic of PARTITIONS partitions, deleted afterwards. */
  private static DynamicTest test(String name, TopicTest body) {
    Executable run =
        () -> {
          try (Client client =
              Postwire.connect(TestBroker.url("kafka"), Map.of("linger.ms", "2"))) {
            String topic = TestBroker.unique("topic");
            QueueInfo declared =
                client.declareQueue(topic, Map.of("partitions", Integer.toString(PARTITIONS)));
            try {
              assertEquals(new QueueInfo(topic, 0, 0), declared);
              body.run(client, topic);
            } finally {
              try {
                client.deleteQueue(topic);
              } catch (PostwireException e) {
                // already deleted by the test
              }
            }
          }
        };
    return DynamicTest.dynamicTest("kafka: " + name, run);
  }

  /** Each of KEYS {@code rounds} times, in order; ids are TOPIC-KEY-ROUND. */
  private static List<DeliveryReport> sendKeyed(Client client, String topic, int rounds) {
    try (Producer producer = client.producer()) {
      List<CompletableFuture<DeliveryReport>> sends = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (String key : KEYS) {
          sends.add(
              producer.send(
                  topic,
                  new OutgoingMessage((key + " #" + round).getBytes(StandardCharsets.UTF_8))
                      .key(key)
                      .id(topic + "-" + key + "-" + round)
                      .header("round", Integer.toString(round))
                      .header("bin", new byte[] {0, (byte) 0xff})));
        }
      }
      return sends.stream().map(CompletableFuture::join).toList();
    }
  }

  private static String keyOf(String topic, DeliveryReport report) {
    String keyAndRound = report.id().substring(topic.length() + 1);
    return keyAndRound.substring(0, keyAndRound.lastIndexOf('-'));
  }

  private static void capabilities(Client client, String topic) {
    assertTrue(client.capabilities().contains(Capability.PARTITIONS));
    assertTrue(client.capabilities().contains(Capability.SEEK));
    assertFalse(client.capabilities().contains(Capability.EXCHANGES));
    assertFalse(client.capabilities().contains(Capability.PRIORITIES));
    // The same partition count again is fine; another is refused.
    assertEquals(
        topic,
        client.declareQueue(topic, Map.of("partitions", Integer.toString(PARTITIONS))).name());
    PostwireException refused =
        assertThrows(
            PostwireException.class, () -> client.declareQueue(topic, Map.of("partitions", "5")));
    assertEquals(ErrorCode.PRECONDITION_FAILED, refused.code());
    assertTrue(refused.getMessage().contains(PARTITIONS + " partitions"), refused.getMessage());
  }

  private static void reports(Client client, String topic) {
    List<DeliveryReport> reports = sendKeyed(client, topic, 3);
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<Integer, List<Long>> offsets = new HashMap<>();
    for (DeliveryReport report : reports) {
      int partition = report.position().partition().orElseThrow();
      long offset = report.position().offset().orElseThrow();
      assertTrue(partition >= 0 && partition < PARTITIONS, "partition " + partition);
      assertTrue(report.attempts() >= 1);
      // A key always lands on the same partition.
      assertEquals(partition, partitionOf.computeIfAbsent(keyOf(topic, report), k -> partition));
      offsets.computeIfAbsent(partition, p -> new ArrayList<>()).add(offset);
    }
    assertEquals(KEYS.size(), partitionOf.size());
    offsets.forEach(
        (partition, seen) -> {
          // A fresh topic, sent to in order: each partition's offsets are 0, 1, 2, ...
          for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i), "partition " + partition + ": " + seen);
          }
        });
    assertEquals(reports.size(), client.declareQueue(topic).messageCount());
  }

  private static void read(Client client, String topic) {
    Map<String, DeliveryReport> reports = new HashMap<>();
    for (DeliveryReport report : sendKeyed(client, topic, 2)) {
      reports.put(report.id(), report);
    }
    int total = reports.size();
    Map<Integer, Long> lastOffset = new HashMap<>();
    try (Consumer consumer = client.subscribe(topic, 0, Map.of("start", "earliest"))) {
      for (int i = 0; i < total; i++) {
        Message message = TestBroker.receive(consumer);
        DeliveryReport report = reports.remove(message.id());
        assertNotNull(report, "unexpected id " + message.id());
        String key = new String(message.key(), StandardCharsets.UTF_8);
        assertTrue(KEYS.contains(key), key);
        String round = new String(message.header("round").orElseThrow(), StandardCharsets.UTF_8);
        assertEquals(key + " #" + round, message.bodyAsString());
        assertEquals(2, message.header("bin").orElseThrow().length);
        assertEquals(topic, message.source());
        Position position = message.position();
        assertEquals(report.position().partition(), position.partition());
        assertEquals(report.position().offset(), position.offset());
        assertTrue(position.brokerTimestamp().isPresent(), "a broker timestamp");
        int partition = position.partition().orElseThrow();
        long offset = position.offset().orElseThrow();
        assertTrue(offset > lastOffset.getOrDefault(partition, -1L), "offsets ascend");
        lastOffset.put(partition, offset);
        message.ack();
      }
      assertTrue(reports.isEmpty(), "not received: " + reports.keySet());
      assertNull(consumer.poll(Duration.ofMillis(300)));
    }
  }

  private static void readFromOffset(Client client, String topic) {
    List<DeliveryReport> reports = sendKeyed(client, topic, 3);
    int partition = reports.get(0).position().partition().orElseThrow();
    List<DeliveryReport> onIt =
        reports.stream().filter(r -> r.position().partition().orElseThrow() == partition).toList();
    Map<String, Object> options =
        Map.of("partitions", Integer.toString(partition), "start.offset", 1);
    try (Consumer consumer = client.subscribe(topic, 0, options)) {
      for (DeliveryReport report : onIt.subList(1, onIt.size())) {
        Message message = TestBroker.receive(consumer);
        assertEquals(report.id(), message.id());
        assertEquals(report.position().offset(), message.position().offset());
        message.ack();
      }
      assertNull(consumer.poll(Duration.ofMillis(300)));
    }
  }

  private static void refused(Client client, String topic) {
    try (Producer producer = client.producer()) {
      PostwireException priority =
          assertThrows(
              PostwireException.class,
              () -> producer.send(topic, new OutgoingMessage(new byte[] {1}).priority(5)).join());
      assertEquals(ErrorCode.NOT_SUPPORTED, priority.code());
      PostwireException ttl =
          assertThrows(
              PostwireException.class,
              () ->
                  producer
                      .send(topic, new OutgoingMessage(new byte[] {1}).ttl(Duration.ofSeconds(1)))
                      .join());
      assertEquals(ErrorCode.NOT_SUPPORTED, ttl.code());
      String missing = TestBroker.unique("missing");
      // Observed from the send on (handle), so the failure is not logged as unobserved.
      Throwable lost = producer.send(missing, new byte[] {1}).handle((r, error) -> error).join();
      PostwireException notFound = assertInstanceOf(PostwireException.class, lost);
      assertEquals(ErrorCode.NOT_FOUND, notFound.code());
      assertTrue(notFound.getMessage().contains(missing), notFound.getMessage());
    }
    PostwireException unknown =
        assertThrows(
            PostwireException.class,
            () -> client.subscribe(topic, 0, Map.of("start.ofset", 3)).close());
    assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
    assertTrue(unknown.getMessage().contains("start.ofset"), unknown.getMessage());
    PostwireException misspelt =
        assertThrows(
            PostwireException.class,
            () -> client.declareQueue(TestBroker.unique("topic"), Map.of("partitons", "3")));
    assertEquals(ErrorCode.INVALID_ARGUMENT, misspelt.code());
    assertTrue(misspelt.getMessage().contains("partitons"), misspelt.getMessage());
  }

  private static void deleted(Client client, String topic) {
    try (Producer producer = client.producer()) {
      producer.send(topic, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1}).join();
    }
    assertEquals(1, client.deleteQueue(topic));
    PostwireException gone =
        assertThrows(PostwireException.class, () -> client.subscribe(topic).close());
    assertEquals(ErrorCode.NOT_FOUND, gone.code());
  }
}
