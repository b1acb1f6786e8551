import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.internals.AppInfoParser;

/**
 * The kafka benchmark's Java anchor: the workload of ci/bench kafka on Apache Kafka's Java client
 * (kafka-clients), plus the topic administration that bench/kafka/run.py needs.
 *
 * <p>Kafka's own ProducerPerformance cannot bound the unacked messages (max.in.flight is per
 * connection and counts requests, not messages), so its latency is not comparable with the other
 * clients'; this program bounds them with a semaphore released by each send's callback, as the C
 * and Go anchors bound theirs.
 *
 * <pre>
 * produce BOOTSTRAP TOPIC COUNT SIZE WINDOW CODEC LINGER_MS BATCH_SIZE
 * consume BOOTSTRAP TOPIC COUNT
 * create-topics BOOTSTRAP NAME:PARTITIONS...
 * end-offsets BOOTSTRAP TOPIC...       prints {"TOPIC": sum of end offsets, ...}
 * delete-topics BOOTSTRAP TOPIC...
 * </pre>
 *
 * <p>produce and consume print one JSON line like bench/kafka/librdkafka_bench.c, with the JVM's
 * CPU seconds (every thread) spent in the phase.
 */
public final class JavaKafkaBench {
  private static final long IDLE_TIMEOUT_S = 60;

  private JavaKafkaBench() {}

  private static double cpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
  }

  private static long percentile(long[] sorted, int n, double p) {
    if (n == 0) return 0;
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.min(Math.max(rank, 1), n) - 1];
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) usage();
    String bootstrap = args[1];
    String[] rest = Arrays.copyOfRange(args, 2, args.length);
    int status =
        switch (args[0]) {
          case "produce" -> {
            if (rest.length != 7) usage();
            yield produce(
                bootstrap,
                rest[0],
                Integer.parseInt(rest[1]),
                Integer.parseInt(rest[2]),
                Integer.parseInt(rest[3]),
                rest[4],
                rest[5],
                rest[6]);
          }
          case "consume" -> {
            if (rest.length != 2) usage();
            yield consume(bootstrap, rest[0], Long.parseLong(rest[1]));
          }
          case "create-topics" -> createTopics(bootstrap, rest);
          case "end-offsets" -> endOffsets(bootstrap, rest);
          case "delete-topics" -> deleteTopics(bootstrap, rest);
          default -> {
            usage();
            yield 2;
          }
        };
    System.exit(status);
  }

  private static void usage() {
    System.err.println(
        "usage: JavaKafkaBench produce BOOTSTRAP TOPIC COUNT SIZE WINDOW CODEC LINGER_MS"
            + " BATCH_SIZE\n"
            + "       JavaKafkaBench consume BOOTSTRAP TOPIC COUNT\n"
            + "       JavaKafkaBench create-topics|end-offsets|delete-topics BOOTSTRAP ...");
    System.exit(2);
  }

  private static int produce(
      String bootstrap,
      String topic,
      int count,
      int size,
      int window,
      String codec,
      String lingerMs,
      String batchSize)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("compression.type", codec);
    p.put("linger.ms", lingerMs);
    p.put("batch.size", batchSize);
    // The window, not the buffer, bounds what waits: room for it at any message size.
    p.put("buffer.memory", Long.toString(Math.max(64L << 20, 2L * window * (size + 100))));
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    long[] latencyUs = new long[count];
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Semaphore permits = new Semaphore(window);
    double cpu0;
    long t0;
    long t1;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      cpu0 = cpuSeconds();
      t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (!permits.tryAcquire(IDLE_TIMEOUT_S, TimeUnit.SECONDS)) {
          System.err.println("java_bench: no ack for " + IDLE_TIMEOUT_S + " s");
          break;
        }
        long sent = System.nanoTime();
        producer.send(
            new ProducerRecord<>(topic, body),
            (metadata, error) -> {
              if (error != null) {
                if (failed.getAndIncrement() < 5) {
                  System.err.println("java_bench: delivery failed: " + error);
                }
              } else {
                // Callbacks run on the producer's one I/O thread: no two write at once.
                latencyUs[(int) acked.getAndIncrement()] = (System.nanoTime() - sent) / 1000;
              }
              permits.release();
            });
      }
      // Every permit back: every send has its callback.
      permits.tryAcquire(window, IDLE_TIMEOUT_S, TimeUnit.SECONDS);
      t1 = System.nanoTime();
    }
    double cpu = cpuSeconds() - cpu0;
    int n = (int) acked.get();
    long[] sorted = Arrays.copyOf(latencyUs, n);
    Arrays.sort(sorted);
    System.out.printf(
        "{\"client\": \"java\", \"version\": \"%s\", \"phase\": \"produce\", \"count\": %d, "
            + "\"size\": %d, \"codec\": \"%s\", \"msgs_per_s\": %.1f, \"cpu_s\": %.4f, "
            + "\"p50_us\": %d, \"p99_us\": %d, \"acked\": %d, \"failed\": %d}%n",
        AppInfoParser.getVersion(),
        count,
        size,
        codec,
        count / ((t1 - t0) / 1e9),
        cpu,
        percentile(sorted, n, 50),
        percentile(sorted, n, 99),
        n,
        failed.get());
    return n == count && failed.get() == 0 ? 0 : 1;
  }

  private static int consume(String bootstrap, String topic, long count) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    long received = 0;
    double cpu0;
    long t0;
    long t1;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      cpu0 = cpuSeconds();
      t0 = System.nanoTime();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long last = System.nanoTime();
      while (received < count) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          if (System.nanoTime() - last > TimeUnit.SECONDS.toNanos(IDLE_TIMEOUT_S)) {
            System.err.printf(
                "java_bench: no message for %d s; %d of %d received%n",
                IDLE_TIMEOUT_S, received, count);
            break;
          }
          continue;
        }
        received += records.count();
        last = System.nanoTime();
      }
      t1 = System.nanoTime();
    }
    double cpu = cpuSeconds() - cpu0;
    System.out.printf(
        "{\"client\": \"java\", \"version\": \"%s\", \"phase\": \"consume\", \"count\": %d, "
            + "\"msgs_per_s\": %.1f, \"cpu_s\": %.4f, \"received\": %d}%n",
        AppInfoParser.getVersion(), count, received / ((t1 - t0) / 1e9), cpu, received);
    return received >= count ? 0 : 1;
  }

  private static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return Admin.create(p);
  }

  private static int createTopics(String bootstrap, String[] specs) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (String spec : specs) {
      String[] parts = spec.split(":", 2);
      topics.add(new NewTopic(parts[0], Optional.of(Integer.parseInt(parts[1])), Optional.empty()));
    }
    try (Admin admin = admin(bootstrap)) {
      admin.createTopics(topics).all().get();
      // Created is not yet led: wait until every partition has a leader.
      List<String> names = topics.stream().map(NewTopic::name).toList();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        boolean led = true;
        for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
          for (TopicPartitionInfo info : d.partitions()) led &= info.leader() != null;
        }
        if (led) return 0;
        if (System.nanoTime() > deadline) {
          System.err.println("java_bench: topics without a leader after 30 s: " + names);
          return 1;
        }
        Thread.sleep(100);
      }
    }
  }

  private static int endOffsets(String bootstrap, String[] topics) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (TopicDescription d :
          admin.describeTopics(List.of(topics)).allTopicNames().get().values()) {
        for (TopicPartitionInfo info : d.partitions()) {
          request.put(new TopicPartition(d.name(), info.partition()), OffsetSpec.latest());
        }
      }
      Map<String, Long> sums = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get()
          .forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
      StringBuilder out = new StringBuilder("{");
      for (String topic : topics) {
        if (out.length() > 1) out.append(", ");
        out.append('"').append(topic).append("\": ").append(sums.getOrDefault(topic, 0L));
      }
      System.out.println(out.append('}'));
    }
    return 0;
  }

  private static int deleteTopics(String bootstrap, String[] topics) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      admin.deleteTopics(List.of(topics)).all().get();
    }
    return 0;
  }
}
