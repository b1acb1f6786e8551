package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One test per broker in POSTWIRE_BROKERS. RabbitMQ (amqp) runs the whole API in the other test
 * classes, Kafka its own in KafkaTest; here each connects and sends. SQS has no transport yet:
 * connecting must be refused with not_supported, clearly, and leave no client behind.
 */
class BrokerSupportTest {
  @TestFactory
  Stream<DynamicTest> everyBroker() {
    List<String> brokers = TestBroker.brokers();
    return brokers.stream().map(broker -> DynamicTest.dynamicTest(broker, () -> check(broker)));
  }

  private static void check(String broker) {
    String url = TestBroker.url(broker);
    switch (broker) {
      case "amqp":
        try (Client client = Postwire.connect(url, Map.of());
            Producer producer = client.producer()) {
          String queue = TestBroker.queue(client, "support");
          producer.send(queue, new byte[] {1}).join();
          client.deleteQueue(queue);
        }
        break;
      case "kafka":
        try (Client client = Postwire.connect(url, Map.of());
            Producer producer = client.producer()) {
          String topic = TestBroker.unique("support");
          client.declareQueue(topic); // Kafka topics are durable: no RabbitMQ test options
          producer.send(topic, new byte[] {1}).join();
          client.deleteQueue(topic);
        }
        break;
      case "sqs":
        long before = Postwire.nativeHandleCount();
        PostwireException error =
            assertThrows(PostwireException.class, () -> Postwire.connect(url, Map.of()));
        assertEquals(ErrorCode.NOT_SUPPORTED, error.code());
        assertFalse(error.getMessage().isEmpty());
        assertTrue(Postwire.nativeHandleCount() <= before, "no client handle was made");
        break;
      default:
        fail("no tests for broker \"" + broker + "\" (known: amqp, kafka, sqs)");
    }
  }
}
