package io.postwire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handles dropped without close() are freed once the garbage collector collects them. */
class NativeMemoryTest {
  /** Collections to try before concluding that dropped handles are never freed. */
  private static final int COLLECTIONS = 200;

  /** Collects until at most {@code target} native handles are live; returns how many are. */
  private static long settle(long target) throws InterruptedException {
    long live = Postwire.nativeHandleCount();
    for (int i = 0; i < COLLECTIONS && live > target; i++) {
      System.gc();
      Thread.sleep(20); // the Cleaner frees on its own thread
      live = Postwire.nativeHandleCount();
    }
    return live;
  }

  /** Collects until the number of live handles holds still: what earlier tests left is gone. */
  private static long steady() throws InterruptedException {
    long last = -1;
    int unchanged = 0;
    for (int i = 0; i < COLLECTIONS && unchanged < 3; i++) {
      System.gc();
      Thread.sleep(20);
      long live = Postwire.nativeHandleCount();
      unchanged = live == last ? unchanged + 1 : 0;
      last = live;
    }
    return last;
  }

  @Test
  void droppedMessagesAreFreed() throws Exception {
    try (Client client = TestBroker.connect();
        Producer producer = client.producer()) {
      String queue = TestBroker.queue(client, "gc-messages");
      int count = 300;
      for (int i = 0; i < count; i++) {
        producer.send(queue, new byte[] {(byte) i});
      }
      assertTrue(producer.flush(TestBroker.WAIT));
      try (Consumer consumer = client.subscribe(queue, count)) {
        long before = steady();
        List<Message> messages = new ArrayList<>();
        while (messages.size() < count) {
          Message message = TestBroker.receive(consumer);
          message.ack();
          messages.add(message); // never closed
        }
        assertTrue(
            Postwire.nativeHandleCount() >= before + count, "each message holds a native handle");
        messages.clear();
        assertTrue(
            settle(before) <= before,
            "dropped messages were freed: " + Postwire.nativeHandleCount() + " > " + before);
      }
      client.deleteQueue(queue);
    }
  }

  @Test
  void droppedClientsAndProducersAreClosedAndFreed() throws Exception {
    long before = steady();
    for (int i = 0; i < 10; i++) {
      Client client = TestBroker.connect();
      client.producer();
      client.producer();
    }
    assertTrue(Postwire.nativeHandleCount() >= before + 30, "clients and producers hold handles");
    long after = settle(before);
    assertTrue(
        after <= before, "dropped clients and producers were freed: " + after + " > " + before);
  }
}
