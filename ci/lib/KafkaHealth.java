// The health checks of ci/brokers' Kafka brokers, on Kafka's own Admin client: every check in
// one JVM, because a JVM start costs more than the checks themselves.
//
//   single PLAINTEXT SASL_PLAINTEXT SASL_SSL CA OTHER_CA USER PASSWORD_FILE
//       creates, describes and deletes a topic over the PLAINTEXT listener; logs in as USER
//       with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 over the SASL_PLAINTEXT listener and over
//       the SASL_SSL one (verifying the server against CA); and checks that a wrong password is
//       refused with each mechanism and that OTHER_CA does not verify the server.
//   cluster BOOTSTRAP NODES
//       waits until NODES brokers are registered, creates a topic with a replica on each
//       of them, waits until every replica is in sync, and deletes it.
//   add-scram BOOTSTRAP USER PASSWORD_FILE
//       sets USER's SCRAM-SHA-256 and SCRAM-SHA-512 credentials (for storage formatted
//       before the broker had SCRAM users).
//
// Exits 0 when every check passed, 1 naming the first that failed.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

public class KafkaHealth {
  static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
  // Long enough for a broker that has just opened its port; short enough to fail a dead one.
  static final String TIMEOUT_MS = "20000";

  static final class CheckFailed extends Exception {
    CheckFailed(String message) {
      super(message);
    }
  }

  public static void main(String[] args) throws Exception {
    try {
      if (args.length == 8 && args[0].equals("single")) {
        single(args[1], args[2], args[3], args[4], args[5], args[6], password(args[7]));
      } else if (args.length == 3 && args[0].equals("cluster")) {
        cluster(args[1], Integer.parseInt(args[2]));
      } else if (args.length == 4 && args[0].equals("add-scram")) {
        addScram(args[1], args[2], password(args[3]));
      } else {
        System.err.println(
            "usage: KafkaHealth single PLAINTEXT SASL_PLAINTEXT SASL_SSL CA OTHER_CA USER"
                + " PASSWORD_FILE\n"
                + "       KafkaHealth cluster BOOTSTRAP NODES\n"
                + "       KafkaHealth add-scram BOOTSTRAP USER PASSWORD_FILE");
        System.exit(2);
      }
    } catch (CheckFailed e) {
      System.err.println("kafka health: " + e.getMessage());
      System.exit(1);
    }
  }

  static String password(String file) throws Exception {
    return Files.readString(Path.of(file)).strip();
  }

  static Properties base(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", TIMEOUT_MS);
    p.put("default.api.timeout.ms", TIMEOUT_MS);
    p.put("reconnect.backoff.ms", "100");
    p.put("reconnect.backoff.max.ms", "500");
    p.put("retry.backoff.ms", "100");
    p.put("retry.backoff.max.ms", "500");
    return p;
  }

  static Properties sasl(
      String bootstrap, boolean tls, String ca, String mechanism, String user, String password) {
    Properties p = base(bootstrap);
    p.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
    p.put("sasl.mechanism", mechanism);
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    p.put(
        "sasl.jaas.config",
        module + " required username=\"" + user + "\" password=\"" + password + "\";");
    if (tls) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", ca);
    }
    return p;
  }

  /** The cause of a failed Admin call, unwrapped from the future's ExecutionException. */
  static Throwable describeClusterFailure(Properties props) throws InterruptedException {
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
  }

  interface Check {
    void run() throws Exception;
  }

  /** Runs the checks side by side (each waits on the network); throws the first failure. */
  static void all(List<Check> checks) throws Exception {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (Check check : checks) {
      running.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  check.run();
                } catch (Exception e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              }));
    }
    for (CompletableFuture<Void> f : running) {
      try {
        f.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof Exception cause) throw cause;
        throw e;
      }
    }
  }

  static void single(
      String plaintext,
      String saslPlaintext,
      String saslSsl,
      String ca,
      String otherCa,
      String user,
      String password)
      throws Exception {
    List<Check> checks = new ArrayList<>();
    checks.add(() -> topicRoundTrip(plaintext, "postwire-health-" + ProcessHandle.current().pid()));
    for (String mechanism : MECHANISMS) {
      for (boolean tls : new boolean[] {false, true}) {
        String bootstrap = tls ? saslSsl : saslPlaintext;
        String where = mechanism + " over " + (tls ? "SASL_SSL " : "SASL_PLAINTEXT ") + bootstrap;
        checks.add(
            () -> {
              Throwable failure =
                  describeClusterFailure(sasl(bootstrap, tls, ca, mechanism, user, password));
              if (failure != null)
                throw new CheckFailed(where + ": login as " + user + " failed: " + failure);
            });
        if (!tls) {
          checks.add(
              () -> {
                Throwable failure =
                    describeClusterFailure(
                        sasl(bootstrap, false, ca, mechanism, user, password + "-wrong"));
                if (!(failure instanceof SaslAuthenticationException)) {
                  throw new CheckFailed(
                      where
                          + ": a wrong password was not refused (got "
                          + (failure == null ? "a session" : failure.toString())
                          + ")");
                }
              });
        }
      }
    }
    checks.add(
        () -> {
          Throwable failure =
              describeClusterFailure(sasl(saslSsl, true, otherCa, "PLAIN", user, password));
          if (!(failure instanceof SslAuthenticationException)) {
            throw new CheckFailed(
                "SASL_SSL "
                    + saslSsl
                    + ": a CA that did not issue the server's "
                    + "certificate verified it (got "
                    + (failure == null ? "a session" : failure)
                    + ")");
          }
        });
    all(checks);
  }

  static void topicRoundTrip(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(base(bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get();
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      if (d == null || d.partitions().size() != 1) {
        throw new CheckFailed(bootstrap + ": topic " + topic + " was not created as asked");
      }
      admin.deleteTopics(List.of(topic)).all().get();
    }
  }

  static void cluster(String bootstrap, int nodes) throws Exception {
    String topic = "postwire-health-" + ProcessHandle.current().pid();
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (Admin admin = Admin.create(base(bootstrap))) {
      // A node's port opens before it has registered with the controllers.
      int registered = 0;
      while ((registered = admin.describeCluster().nodes().get().size()) < nodes) {
        if (System.nanoTime() > deadline) {
          throw new CheckFailed(
              bootstrap + ": " + registered + " of " + nodes + " brokers registered after 60 s");
        }
        Thread.sleep(200);
      }
      admin
          .createTopics(
              List.of(new NewTopic(topic, Optional.of(nodes), Optional.of((short) nodes))))
          .all()
          .get();
      try {
        while (true) {
          TopicDescription d =
              admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
          boolean inSync = d.partitions().size() == nodes;
          for (TopicPartitionInfo p : d.partitions()) {
            inSync &= p.replicas().size() == nodes && p.isr().size() == nodes;
          }
          if (inSync) break;
          if (System.nanoTime() > deadline) {
            throw new CheckFailed(bootstrap + ": topic " + topic + " not fully in sync: " + d);
          }
          Thread.sleep(200);
        }
      } finally {
        admin.deleteTopics(List.of(topic)).all().get();
      }
    }
  }

  static void addScram(String bootstrap, String user, String password) throws Exception {
    try (Admin admin = Admin.create(base(bootstrap))) {
      // One request may alter a user's credentials only once: one request per mechanism.
      for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(m, 4096), password)))
            .all()
            .get();
      }
    }
  }
}
