package io.postwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Messages cross between postwire and RabbitMQ's own Java client, byte for byte. */
class InteropTest {
  private static Connection amqpClient() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(TestBroker.amqpUrl());
    return factory.newConnection("postwire-interop-test");
  }

  private static byte[] randomBody(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    return body;
  }

  /** basicGet until the message is there, within a bounded number of tries. */
  private static GetResponse get(Channel channel, String queue) throws Exception {
    for (int i = 0; i < 300; i++) {
      GetResponse response = channel.basicGet(queue, false);
      if (response != null) {
        return response;
      }
      Thread.sleep(50);
    }
    return null;
  }

  @Test
  void amqpClientReadsWhatPostwireSends() throws Exception {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer();
        Connection connection = amqpClient()) {
      String queue = TestBroker.queue(client, "interop-out");
      Channel channel = connection.createChannel();
      for (int size : new int[] {0, 1, 100, 4096, 200_000}) {
        byte[] body = randomBody(size);
        DeliveryReport report =
            producer
                .send(
                    queue,
                    new OutgoingMessage(body)
                        .contentType("application/octet-stream")
                        .header("tenant", "acme"))
                .join();
        GetResponse response = get(channel, queue);
        assertNotNull(response, "amqp-client got the message of " + size + " bytes");
        assertArrayEquals(body, response.getBody(), "body of " + size + " bytes");
        assertEquals(report.id(), response.getProps().getMessageId());
        assertEquals("application/octet-stream", response.getProps().getContentType());
        assertEquals("acme", String.valueOf(response.getProps().getHeaders().get("tenant")));
        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
      }
      channel.close();
      client.deleteQueue(queue);
    }
  }

  @Test
  void postwireReadsWhatAmqpClientSends() throws Exception {
    try (Client client = TestBroker.connect();
        Connection connection = amqpClient()) {
      String queue = TestBroker.queue(client, "interop-in");
      Channel channel = connection.createChannel();
      int[] sizes = {0, 1, 100, 4096, 200_000};
      for (int size : sizes) {
        AMQP.BasicProperties properties =
            new AMQP.BasicProperties.Builder()
                .messageId("amqp-client-" + size)
                .contentType("text/plain")
                .headers(Map.of("origin", "amqp-client"))
                .build();
        channel.basicPublish("", queue, properties, randomBody(size));
      }
      try (Consumer consumer = client.subscribe(queue)) {
        for (int size : sizes) {
          Message message = TestBroker.receive(consumer);
          assertArrayEquals(randomBody(size), message.body(), "body of " + size + " bytes");
          assertEquals("amqp-client-" + size, message.id());
          assertEquals("text/plain", message.contentType());
          assertEquals(1, message.deliveryCount());
          assertEquals(
              "amqp-client",
              new String(
                  message.header("origin").orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
          message.ack();
        }
      }
      channel.close();
      client.deleteQueue(queue);
    }
  }
}
