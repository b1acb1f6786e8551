import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A reference Kafka peer for postwire's interop tests: Apache Kafka's own Java client
 * (kafka-clients, from the jars ci/brokers runs Kafka from), driven from the command line, so that
 * tests can check what postwire writes against what the Java client reads, and the other way round.
 * Messages are JSON lines with bytes in base64 (tests/languages/interop/README.md).
 *
 * <pre>
 * java -cp "$(ci/lib/fetch-jars kafka)/*" tests/languages/interop/KafkaPeer.java COMMAND ...
 *   produce BOOTSTRAP TOPIC [--codec none|gzip|snappy|lz4|zstd] [--count N [--size BYTES]]
 *   consume BOOTSTRAP TOPIC --count N [--from-beginning] [--idle-timeout-ms MS]
 *   partitions-for-keys BOOTSTRAP TOPIC --keys FILE [--base64]
 * every command also takes --property KEY=VALUE (any client setting, e.g. SASL), repeatable
 * </pre>
 *
 * <p>produce: sends the JSON lines of standard input ({"key": b64|null, "value": b64|null,
 * "headers": [[name, b64|null], ...]}, every field optional), or with --count N generated messages
 * (key "key-I", SIZE random bytes, one header "seq" = I), with the idempotent producer and
 * acks=all; prints {"partition": P, "offset": O} for each message, in input order.
 *
 * <p>consume: assigns every partition of TOPIC (no group), starting at the earliest offset with
 * --from-beginning and at the end otherwise, and prints COUNT messages as {"partition", "offset",
 * "timestamp", "key", "value", "headers"}. Once its positions are fixed it says "KafkaPeer:
 * assigned N partitions" on standard error, so that a test knows when to produce. Exits 1 if fewer
 * arrive before no message has come for the idle timeout (30 s).
 *
 * <p>partitions-for-keys: produces one empty message for each key in FILE (a line each, UTF-8, or
 * base64 with --base64) with the default partitioner and prints "KEY\tPARTITION", the key as
 * written in FILE, from the broker's RecordMetadata: the partition the Java client picks.
 */
public final class KafkaPeer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

  private KafkaPeer() {}

  /** The command line after COMMAND BOOTSTRAP TOPIC. */
  private static final class Options {
    String codec = "none";
    long count = -1;
    int size = 100;
    boolean fromBeginning;
    long idleTimeoutMs = 30_000;
    Path keys;
    boolean base64Keys;
    final Map<String, String> properties = new HashMap<>();

    static Options parse(String[] args, int from) {
      Options o = new Options();
      for (int i = from; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--from-beginning" -> o.fromBeginning = true;
          case "--base64" -> o.base64Keys = true;
          case "--codec" -> o.codec = value(args, ++i, arg);
          case "--count" -> o.count = Long.parseLong(value(args, ++i, arg));
          case "--size" -> o.size = Integer.parseInt(value(args, ++i, arg));
          case "--idle-timeout-ms" -> o.idleTimeoutMs = Long.parseLong(value(args, ++i, arg));
          case "--keys" -> o.keys = Path.of(value(args, ++i, arg));
          case "--property" -> {
            String kv = value(args, ++i, arg);
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--property needs KEY=VALUE: " + kv);
            o.properties.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
      return args[i];
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) usage();
    Options options;
    try {
      options = Options.parse(args, 3);
    } catch (IllegalArgumentException e) {
      System.err.println("KafkaPeer: " + e.getMessage());
      usage();
      return;
    }
    String bootstrap = args[1];
    String topic = args[2];
    Writer out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    int status =
        switch (args[0]) {
          case "produce" -> produce(bootstrap, topic, options, out);
          case "consume" -> consume(bootstrap, topic, options, out);
          case "partitions-for-keys" -> partitionsForKeys(bootstrap, topic, options, out);
          default -> {
            usage();
            yield 2;
          }
        };
    out.flush();
    System.exit(status);
  }

  private static void usage() {
    System.err.println(
        "usage: KafkaPeer produce BOOTSTRAP TOPIC [--codec C] [--count N [--size BYTES]]\n"
            + "       KafkaPeer consume BOOTSTRAP TOPIC --count N [--from-beginning]"
            + " [--idle-timeout-ms MS]\n"
            + "       KafkaPeer partitions-for-keys BOOTSTRAP TOPIC --keys FILE [--base64]\n"
            + "       (each also takes --property KEY=VALUE, repeatable)");
    System.exit(2);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap, Options o) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, o.codec);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.putAll(o.properties);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] bytes(JsonNode node) {
    return node == null || node.isNull() ? null : B64_DECODE.decode(node.asText());
  }

  private static String base64(byte[] value) {
    return value == null ? null : B64.encodeToString(value);
  }

  /** A message of the input format as a record of TOPIC. */
  private static ProducerRecord<byte[], byte[]> record(String topic, JsonNode message) {
    List<Header> headers = new ArrayList<>();
    JsonNode list = message.get("headers");
    if (list != null && !list.isNull()) {
      for (JsonNode pair : list) {
        headers.add(new RecordHeader(pair.get(0).asText(), bytes(pair.get(1))));
      }
    }
    return new ProducerRecord<>(
        topic, null, bytes(message.get("key")), bytes(message.get("value")), headers);
  }

  private static ProducerRecord<byte[], byte[]> generated(
      String topic, long i, int size, Random random) {
    byte[] value = new byte[size];
    random.nextBytes(value);
    List<Header> headers =
        List.of(new RecordHeader("seq", Long.toString(i).getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(
        topic, null, ("key-" + i).getBytes(StandardCharsets.UTF_8), value, headers);
  }

  private static int produce(String bootstrap, String topic, Options o, Writer out)
      throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, o)) {
      if (o.count >= 0) {
        Random random = new Random(1);
        for (long i = 0; i < o.count; i++) {
          sent.add(producer.send(generated(topic, i, o.size, random)));
        }
      } else {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) sent.add(producer.send(record(topic, JSON.readTree(line))));
        }
      }
      producer.flush();
      int failed = 0;
      for (Future<RecordMetadata> future : sent) {
        try {
          RecordMetadata m = future.get();
          ObjectNode line = JSON.createObjectNode();
          line.put("partition", m.partition());
          line.put("offset", m.offset());
          out.write(JSON.writeValueAsString(line));
          out.write('\n');
        } catch (ExecutionException e) {
          if (failed++ < 5) System.err.println("KafkaPeer: send failed: " + e.getCause());
        }
      }
      if (failed > 0) System.err.println("KafkaPeer: " + failed + " sends failed");
      return failed == 0 ? 0 : 1;
    }
  }

  private static int consume(String bootstrap, String topic, Options o, Writer out)
      throws IOException {
    if (o.count < 0) throw new IllegalArgumentException("consume needs --count N");
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putAll(o.properties);
    long received = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      if (o.fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: fix the positions now, before anything is produced.
        for (TopicPartition tp : partitions) consumer.position(tp);
      }
      // A test that produces after starting the consumer waits for this line.
      System.err.println("KafkaPeer: assigned " + partitions.size() + " partitions");
      System.err.flush();
      long idleSince = System.nanoTime();
      while (received < o.count) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          if ((System.nanoTime() - idleSince) / 1_000_000 > o.idleTimeoutMs) break;
          continue;
        }
        idleSince = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (received >= o.count) break;
          out.write(JSON.writeValueAsString(describe(r)));
          out.write('\n');
          received++;
        }
      }
    }
    if (received < o.count) {
      System.err.println("KafkaPeer: received " + received + " of " + o.count + " messages");
      return 1;
    }
    return 0;
  }

  private static ObjectNode describe(ConsumerRecord<byte[], byte[]> r) {
    ObjectNode line = JSON.createObjectNode();
    line.put("partition", r.partition());
    line.put("offset", r.offset());
    line.put("timestamp", r.timestamp());
    line.put("key", base64(r.key()));
    line.put("value", base64(r.value()));
    ArrayNode headers = line.putArray("headers");
    for (Header h : r.headers()) {
      headers.addArray().add(h.key()).add(base64(h.value()));
    }
    return line;
  }

  private static int partitionsForKeys(String bootstrap, String topic, Options o, Writer out)
      throws Exception {
    if (o.keys == null) throw new IllegalArgumentException("partitions-for-keys needs --keys");
    List<String> lines = Files.readAllLines(o.keys, StandardCharsets.UTF_8);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, o)) {
      for (String line : lines) {
        byte[] key = o.base64Keys ? B64_DECODE.decode(line) : line.getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new ProducerRecord<>(topic, key, new byte[0])));
      }
      producer.flush();
      for (int i = 0; i < lines.size(); i++) {
        out.write(lines.get(i) + "\t" + sent.get(i).get().partition() + "\n");
      }
    }
    return 0;
  }
}
