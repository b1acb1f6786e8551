package io.postwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettlementTest {
  @Test
  void nackRedeliversWithOneMoreDelivery() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "nack");
      producer.send(queue, new byte[] {42}).join();
      try (Consumer consumer = client.subscribe(queue)) {
        Message first = TestBroker.receive(consumer);
        assertEquals(1, first.deliveryCount());
        first.nack(Duration.ZERO);
        Message again = TestBroker.receive(consumer);
        assertArrayEquals(new byte[] {42}, again.body());
        assertEquals(2, again.deliveryCount());
        again.ack();
      }
      assertEquals(1, client.stats().get("nacked"));
      client.deleteQueue(queue);
    }
  }

  @Test
  void aDelayedNackComesBackAfterTheDelay() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "nack-delay");
      producer.send(queue, new byte[] {7}).join();
      try (Consumer consumer = client.subscribe(queue)) {
        TestBroker.receive(consumer).nack(Duration.ofMillis(300));
        Message again = TestBroker.receive(consumer);
        assertArrayEquals(new byte[] {7}, again.body());
        assertEquals(2, again.deliveryCount());
        again.ack();
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void deadLetterMovesTheMessageWithItsReason() throws Exception {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "dead-letter");
      producer.send(queue, "poison".getBytes(StandardCharsets.UTF_8)).join();
      try (Consumer consumer = client.subscribe(queue)) {
        TestBroker.receive(consumer).deadLetter("cannot parse");
      }
      try (Consumer dlq = TestBroker.consumerOnceDeclared(client, queue + ".dlq")) {
        Message dead = TestBroker.receive(dlq);
        assertEquals("poison", dead.bodyAsString());
        assertArrayEquals(
            "cannot parse".getBytes(StandardCharsets.UTF_8),
            dead.header("pw-dead-letter-reason").orElseThrow());
        dead.ack();
      }
      assertEquals(1, client.stats().get("dead_lettered"));
      client.deleteQueue(queue + ".dlq");
      client.deleteQueue(queue);
    }
  }

  @Test
  void pastMaxDeliveriesANackDeadLetters() throws Exception {
    try (Client client = TestBroker.connect(Map.of("max.deliveries", "2"));
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "max-deliveries");
      producer.send(queue, new byte[] {3}).join();
      try (Consumer consumer = client.subscribe(queue)) {
        TestBroker.receive(consumer).nack(Duration.ZERO);
        Message second = TestBroker.receive(consumer);
        assertEquals(2, second.deliveryCount());
        second.nack(Duration.ZERO);
      }
      try (Consumer dlq = TestBroker.consumerOnceDeclared(client, queue + ".dlq")) {
        Message dead = TestBroker.receive(dlq);
        assertArrayEquals(new byte[] {3}, dead.body());
        dead.ack();
      }
      client.deleteQueue(queue + ".dlq");
      client.deleteQueue(queue);
    }
  }

  @Test
  void settlingTwiceIsRefused() {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "settle-twice");
      producer.send(queue, new byte[] {1}).join();
      try (Consumer consumer = client.subscribe(queue)) {
        Message message = TestBroker.receive(consumer);
        message.ack();
        PostwireException error = assertThrows(PostwireException.class, message::ack);
        assertEquals(ErrorCode.INVALID_ARGUMENT, error.code());
        assertThrows(PostwireException.class, () -> message.nack(Duration.ZERO));
        assertThrows(PostwireException.class, () -> message.deadLetter("late"));
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void theDedupWindowDropsAnIdAlreadyAcked() {
    try (Client client = TestBroker.connect(Map.of("dedup.window.size", "100"));
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "dedup");
      try (Consumer consumer = client.subscribe(queue)) {
        producer
            .send(queue, new OutgoingMessage("first".getBytes(StandardCharsets.UTF_8)).id("dup-1"))
            .join();
        Message first = TestBroker.receive(consumer);
        assertEquals("first", first.bodyAsString());
        first.ack();
        producer
            .send(queue, new OutgoingMessage("copy".getBytes(StandardCharsets.UTF_8)).id("dup-1"))
            .join();
        producer
            .send(queue, new OutgoingMessage("next".getBytes(StandardCharsets.UTF_8)).id("other-1"))
            .join();
        Message next = TestBroker.receive(consumer);
        assertEquals("next", next.bodyAsString(), "the copy with the same id is not handed out");
        next.ack();
      }
      assertEquals(1, client.stats().get("deduplicated"));
      client.deleteQueue(queue);
    }
  }
}
