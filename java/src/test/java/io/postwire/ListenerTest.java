package io.postwire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The listener hears what the client reports through its event queue besides sends. */
class ListenerTest {
  @Test
  void theListenerHearsTheConnectionAndTheLogRecords() {
    List<String> heard = new CopyOnWriteArrayList<>();
    ClientListener listener =
        new ClientListener() {
          @Override
          public void onConnection(ConnectionState state, String broker, PostwireException error) {
            heard.add("connection " + state + " " + broker);
          }

          @Override
          public void onLog(System.Logger.Level level, String category, String text) {
            heard.add("log " + level + " " + category);
          }
        };
    Client client = Postwire.connect(TestBroker.amqpUrl(), Map.of("log.level", "debug"), listener);
    client.close();
    // close() returns after the poller handed out the last events.
    String broker =
        TestBroker.amqpUrl().replaceFirst("^amqp://[^@]*@", "").replaceFirst("/.*$", "");
    assertTrue(heard.contains("connection CONNECTED " + broker), heard.toString());
    assertTrue(heard.stream().anyMatch(h -> h.startsWith("connection CLOSED")), heard.toString());
    assertTrue(heard.stream().anyMatch(h -> h.startsWith("log ")), heard.toString());
    assertFalse(heard.stream().anyMatch(h -> h.contains("guest")), "no credentials: " + heard);
  }
}
