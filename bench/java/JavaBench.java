import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.postwire.Client;
import io.postwire.Consumer;
import io.postwire.DeliveryReport;
import io.postwire.Message;
import io.postwire.Postwire;
import io.postwire.Producer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of ci/bench java, run in its own JVM by bench/java/run.py: publishes COUNT persistent
 * messages of SIZE bytes to a fresh durable queue with publisher confirms, then consumes them with
 * acks, and prints one JSON line with the rates and the process's CPU time.
 *
 * <p>Clients: "postwire" (this repository's Java package: futures from send, one ack() per message,
 * which the library coalesces) and "amqp-client" (RabbitMQ's Java client with asynchronous
 * publisher confirms through a ConfirmListener and a multiple basicAck every ACK_EVERY messages).
 * The settings of bench/amqp apply to both: at most WINDOW unconfirmed messages, a prefetch of
 * PREFETCH. A warm-up of WARMUP messages runs first, unmeasured, so that both JVMs have compiled
 * their hot paths.
 *
 * <p>CPU is the whole process's user + sys time (every thread: the JVM's, the client's, and
 * postwire's native IO thread), from the platform MXBean, over the measured phases only.
 */
public final class JavaBench {
  private static final int PREFETCH = 1000;
  private static final int WINDOW = 1000;
  private static final int ACK_EVERY = 100;
  private static final int WARMUP = 10_000;
  private static final long WAIT_SECONDS = 600;

  private JavaBench() {}

  /** The figures of one run of one phase. */
  private record Phase(long messages, double seconds, double cpuSeconds) {}

  private interface Workload {
    /** Publishes count messages; returns how many were confirmed. */
    long publish(String queue, int count, byte[] body) throws Exception;

    /** Consumes count messages with acks; returns how many were received. */
    long consume(String queue, int count) throws Exception;

    void close() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: JavaBench postwire|amqp-client URL COUNT SIZE");
      System.exit(2);
    }
    String client = args[0];
    String url = args[1];
    int count = Integer.parseInt(args[2]);
    byte[] body = new byte[Integer.parseInt(args[3])];
    Workload workload =
        switch (client) {
          case "postwire" -> new PostwireWorkload(url);
          case "amqp-client" -> new AmqpClientWorkload(url);
          default -> throw new IllegalArgumentException("unknown client " + client);
        };
    try {
      String warmupQueue = "pw.bench.java.warmup." + UUID.randomUUID();
      run(workload, warmupQueue, WARMUP, body);
      String queue = "pw.bench.java." + UUID.randomUUID();
      Phase[] phases = run(workload, queue, count, body);
      Phase publish = phases[0];
      Phase consume = phases[1];
      System.out.printf(
          "{\"client\":\"%s\",\"count\":%d,\"size\":%d,\"published\":%d,\"consumed\":%d,"
              + "\"publish_seconds\":%.6f,\"consume_seconds\":%.6f,"
              + "\"publish_cpu_seconds\":%.6f,\"consume_cpu_seconds\":%.6f}%n",
          client,
          count,
          body.length,
          publish.messages(),
          consume.messages(),
          publish.seconds(),
          consume.seconds(),
          publish.cpuSeconds(),
          consume.cpuSeconds());
    } finally {
      workload.close();
    }
  }

  private static Phase[] run(Workload workload, String queue, int count, byte[] body)
      throws Exception {
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    long published = workload.publish(queue, count, body);
    long cpu1 = cpuNanos();
    long t1 = System.nanoTime();
    long consumed = workload.consume(queue, count);
    long cpu2 = cpuNanos();
    long t2 = System.nanoTime();
    return new Phase[] {
      new Phase(published, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9),
      new Phase(consumed, (t2 - t1) / 1e9, (cpu2 - cpu1) / 1e9)
    };
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** postwire: futures from send, one flush, then batch polls with one ack per message. */
  private static final class PostwireWorkload implements Workload {
    private final Client client;
    private final Producer producer;

    PostwireWorkload(String url) {
      client =
          Postwire.connect(
              url,
              Map.of(
                  "max.in.flight",
                  Integer.toString(WINDOW),
                  "consumer.prefetch.count",
                  Integer.toString(PREFETCH),
                  "compression.codec",
                  "none"));
      producer = client.producer();
    }

    @Override
    public long publish(String queue, int count, byte[] body) {
      client.declareQueue(queue, Map.of("durable", "true"));
      List<CompletableFuture<DeliveryReport>> reports = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        reports.add(producer.send(queue, body));
      }
      producer.flush(Duration.ofSeconds(WAIT_SECONDS));
      long confirmed = 0;
      for (CompletableFuture<DeliveryReport> report : reports) {
        if (report.isDone() && !report.isCompletedExceptionally()) {
          confirmed++;
        }
      }
      return confirmed;
    }

    @Override
    public long consume(String queue, int count) {
      long received = 0;
      try (Consumer consumer = client.subscribe(queue, PREFETCH)) {
        while (received < count) {
          List<Message> batch = consumer.poll(512, Duration.ofSeconds(30));
          if (batch.isEmpty()) {
            break;
          }
          for (Message message : batch) {
            if (message.body().length >= 0) {
              received++;
            }
            message.ack();
            message.close();
          }
        }
      }
      client.deleteQueue(queue);
      return received;
    }

    @Override
    public void close() {
      producer.close();
      client.close();
    }
  }

  /** amqp-client: confirm mode with a ConfirmListener, a bounded window, basicConsume. */
  private static final class AmqpClientWorkload implements Workload {
    private final Connection connection;

    AmqpClientWorkload(String url) throws Exception {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(url);
      connection = factory.newConnection("postwire-bench-amqp-client");
    }

    @Override
    public long publish(String queue, int count, byte[] body) throws Exception {
      Channel channel = connection.createChannel();
      channel.queueDeclare(queue, true, false, false, null);
      channel.confirmSelect();
      ConcurrentNavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
      Semaphore window = new Semaphore(WINDOW);
      AtomicLong confirmed = new AtomicLong();
      AtomicLong settled = new AtomicLong();
      CountDownLatch done = new CountDownLatch(1);
      channel.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
              settle(tag, multiple, true);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
              settle(tag, multiple, false);
            }

            private void settle(long tag, boolean multiple, boolean ack) {
              int released;
              if (multiple) {
                ConcurrentNavigableMap<Long, Boolean> head = outstanding.headMap(tag, true);
                released = head.size();
                head.clear();
              } else {
                released = outstanding.remove(tag) == null ? 0 : 1;
              }
              if (ack) {
                confirmed.addAndGet(released);
              }
              window.release(released);
              if (settled.addAndGet(released) == count) {
                done.countDown();
              }
            }
          });
      for (int i = 0; i < count; i++) {
        window.acquire();
        outstanding.put(channel.getNextPublishSeqNo(), Boolean.TRUE);
        channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
      }
      done.await(WAIT_SECONDS, TimeUnit.SECONDS);
      channel.close();
      return confirmed.get();
    }

    @Override
    public long consume(String queue, int count) throws Exception {
      Channel channel = connection.createChannel();
      channel.basicQos(PREFETCH);
      AtomicLong received = new AtomicLong();
      CountDownLatch done = new CountDownLatch(1);
      String tag =
          channel.basicConsume(
              queue,
              false,
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String consumerTag,
                    Envelope envelope,
                    AMQP.BasicProperties properties,
                    byte[] body)
                    throws java.io.IOException {
                  long n = received.incrementAndGet();
                  if (n % ACK_EVERY == 0 || n == count) {
                    channel.basicAck(envelope.getDeliveryTag(), true);
                  }
                  if (n == count) {
                    done.countDown();
                  }
                }
              });
      done.await(WAIT_SECONDS, TimeUnit.SECONDS);
      channel.basicCancel(tag);
      channel.queueDelete(queue);
      channel.close();
      return received.get();
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }
  }
}
