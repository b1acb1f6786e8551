/* The kafka benchmark's C anchor: the workload of ci/bench kafka on librdkafka.
 *
 * --mode produce: `count` messages of `size` bytes (no key) go to `topic` from one idempotent
 * producer with acks=all, configured as librdkafka's documentation advises for throughput:
 * linger.ms, batch.size and batch.num.messages large enough for whole batches, a deep
 * queue.buffering.max.*, and the given compression.codec. At most `window` messages are unacked
 * at a time: the program counts outstanding delivery reports and serves them (rd_kafka_poll)
 * before sending more. Each message's latency runs from the producev call to its delivery report.
 *
 * --mode consume: one consumer assigns every partition of `topic` from the beginning (no group
 * membership, no commits) and reads `count` messages.
 *
 * Prints one JSON line: which librdkafka ran (rd_kafka_version_str), throughput, the process's
 * own CPU seconds in the phase (user + sys over every thread, getrusage), and for produce
 * p50/p99 send-to-report latency and how many were acked and failed. Exits 1 if any message
 * failed or did not arrive, 2 on bad arguments.
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct options {
  const char* mode;
  const char* bootstrap;
  const char* topic;
  const char* codec;
  long count;
  long size;
  long window;
  long linger_ms;
  long batch_size;
  int idle_timeout_s;
};

/* What the delivery report callback tallies. */
struct produce_state {
  long acked;
  long failed;
  long outstanding;
  uint64_t* sent_ns;   /* by message index */
  int64_t* latency_us; /* one per acked message */
  uint64_t last_report_ns;
};

static void die(const char* format, ...) {
  va_list args;
  va_start(args, format);
  fputs("librdkafka_bench: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(2);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The process's own CPU time (user + sys, every thread) in seconds. */
static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
         (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
}

static long parse_long(const char* text, const char* name, long min, long max) {
  char* end = NULL;
  long value = strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < min || value > max) {
    die("%s must be an integer from %ld to %ld, got '%s'", name, min, max, text);
  }
  return value;
}

static void usage(void) {
  fputs(
      "usage: librdkafka_bench --mode produce|consume --bootstrap HOST:PORT --topic T\n"
      "         [--count N] [--size BYTES] [--window N] [--codec none|gzip|snappy|lz4|zstd]\n"
      "         [--linger-ms MS] [--batch-size BYTES] [--idle-timeout S]\n",
      stderr);
  exit(2);
}

static struct options parse_options(int argc, char** argv) {
  struct options opt = {"produce", "127.0.0.1:9092", NULL, "none", 200000, 100, 10000,
                        5,         1048576,          60};
  for (int i = 1; i < argc; i++) {
    const char* arg = argv[i];
    if (i + 1 >= argc) usage();
    const char* value = argv[++i];
    if (strcmp(arg, "--mode") == 0) {
      opt.mode = value;
    } else if (strcmp(arg, "--bootstrap") == 0) {
      opt.bootstrap = value;
    } else if (strcmp(arg, "--topic") == 0) {
      opt.topic = value;
    } else if (strcmp(arg, "--codec") == 0) {
      opt.codec = value;
    } else if (strcmp(arg, "--count") == 0) {
      opt.count = parse_long(value, arg, 1, 1000000000L);
    } else if (strcmp(arg, "--size") == 0) {
      opt.size = parse_long(value, arg, 0, 16 * 1024 * 1024);
    } else if (strcmp(arg, "--window") == 0) {
      opt.window = parse_long(value, arg, 1, 10000000L);
    } else if (strcmp(arg, "--linger-ms") == 0) {
      opt.linger_ms = parse_long(value, arg, 0, 60000);
    } else if (strcmp(arg, "--batch-size") == 0) {
      opt.batch_size = parse_long(value, arg, 1, 2147483647L);
    } else if (strcmp(arg, "--idle-timeout") == 0) {
      opt.idle_timeout_s = (int)parse_long(value, arg, 1, 3600);
    } else {
      usage();
    }
  }
  if (opt.topic == NULL) usage();
  if (strcmp(opt.mode, "produce") != 0 && strcmp(opt.mode, "consume") != 0) usage();
  return opt;
}

static void set(rd_kafka_conf_t* conf, const char* key, const char* value) {
  char error[512];
  if (rd_kafka_conf_set(conf, key, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
    die("%s=%s: %s", key, value, error);
  }
}

static void set_long(rd_kafka_conf_t* conf, const char* key, long value) {
  char text[32];
  snprintf(text, sizeof text, "%ld", value);
  set(conf, key, text);
}

static int compare_i64(const void* a, const void* b) {
  int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
  return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted values. */
static int64_t percentile(const int64_t* sorted, long n, double p) {
  if (n == 0) return 0;
  long rank = (long)((p / 100.0) * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque) {
  (void)rk;
  struct produce_state* state = opaque;
  uint64_t now = now_ns();
  state->outstanding--;
  state->last_report_ns = now;
  if (message->err) {
    if (state->failed++ < 5) {
      fprintf(stderr, "librdkafka_bench: delivery failed: %s\n", rd_kafka_err2str(message->err));
    }
    return;
  }
  long index = (long)(intptr_t)message->_private;
  state->latency_us[state->acked++] = (int64_t)((now - state->sent_ns[index]) / 1000u);
}

static int produce(const struct options* opt) {
  char error[512];
  struct produce_state state = {0};
  state.sent_ns = calloc((size_t)opt->count, sizeof *state.sent_ns);
  state.latency_us = calloc((size_t)opt->count, sizeof *state.latency_us);
  char* body = malloc((size_t)opt->size + 1);
  if (!state.sent_ns || !state.latency_us || !body) die("out of memory");
  memset(body, 'x', (size_t)opt->size);

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", opt->bootstrap);
  set(conf, "acks", "all");
  set(conf, "enable.idempotence", "true");
  set(conf, "compression.codec", opt->codec);
  set_long(conf, "linger.ms", opt->linger_ms);
  set_long(conf, "batch.size", opt->batch_size);
  /* Batches are bounded by bytes (batch.size), not by count. */
  set(conf, "batch.num.messages", "1000000");
  /* The window bounds what is queued; the queue itself must never be the limit. */
  set_long(conf, "queue.buffering.max.messages", opt->window > 100000 ? opt->window : 100000);
  set(conf, "queue.buffering.max.kbytes", "2097151");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, &state);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (!rk) die("rd_kafka_new: %s", error);

  const uint64_t idle_ns = (uint64_t)opt->idle_timeout_s * 1000000000u;
  double cpu0 = cpu_seconds();
  uint64_t t0 = now_ns();
  state.last_report_ns = t0;
  for (long i = 0; i < opt->count; i++) {
    while (state.outstanding >= opt->window) {
      rd_kafka_poll(rk, 10);
      if (now_ns() - state.last_report_ns > idle_ns)
        die("no delivery report for %d s", opt->idle_timeout_s);
    }
    state.sent_ns[i] = now_ns();
    rd_kafka_resp_err_t err;
    while ((err = rd_kafka_producev(
                rk, RD_KAFKA_V_TOPIC(opt->topic), RD_KAFKA_V_VALUE(body, (size_t)opt->size),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE((void*)(intptr_t)i),
                RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 10);
    }
    if (err) die("producev: %s", rd_kafka_err2str(err));
    state.outstanding++;
    if ((i & 1023) == 1023) rd_kafka_poll(rk, 0);
  }
  while (state.outstanding > 0 && now_ns() - state.last_report_ns <= idle_ns) {
    rd_kafka_poll(rk, 50);
  }
  uint64_t t1 = now_ns();
  double cpu = cpu_seconds() - cpu0;
  rd_kafka_flush(rk, 1000);
  rd_kafka_destroy(rk);

  qsort(state.latency_us, (size_t)state.acked, sizeof *state.latency_us, compare_i64);
  printf(
      "{\"client\": \"librdkafka\", \"version\": \"%s\", \"phase\": \"produce\", "
      "\"count\": %ld, \"size\": %ld, \"codec\": \"%s\", \"msgs_per_s\": %.1f, "
      "\"cpu_s\": %.4f, \"p50_us\": %lld, \"p99_us\": %lld, \"acked\": %ld, \"failed\": %ld}\n",
      rd_kafka_version_str(), opt->count, opt->size, opt->codec,
      (double)opt->count / ((double)(t1 - t0) / 1e9), cpu,
      (long long)percentile(state.latency_us, state.acked, 50.0),
      (long long)percentile(state.latency_us, state.acked, 99.0), state.acked, state.failed);
  fflush(stdout);
  int complete = state.acked == opt->count && state.failed == 0;
  free(state.sent_ns);
  free(state.latency_us);
  free(body);
  return complete ? 0 : 1;
}

static int consume(const struct options* opt) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", opt->bootstrap);
  /* Partitions are assigned by hand: the group id is never used to join or commit. */
  set(conf, "group.id", "postwire-bench-librdkafka");
  set(conf, "enable.auto.commit", "false");
  set(conf, "enable.auto.offset.store", "false");
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (!rk) die("rd_kafka_new: %s", error);
  rd_kafka_poll_set_consumer(rk);

  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, opt->topic, NULL);
  const struct rd_kafka_metadata* metadata = NULL;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, topic, &metadata, 30000);
  if (err) die("metadata of %s: %s", opt->topic, rd_kafka_err2str(err));
  if (metadata->topic_cnt != 1 || metadata->topics[0].err) {
    die("topic %s: %s", opt->topic,
        metadata->topic_cnt ? rd_kafka_err2str(metadata->topics[0].err) : "not found");
  }
  int partitions = metadata->topics[0].partition_cnt;
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; p++) {
    rd_kafka_topic_partition_list_add(assignment, opt->topic, metadata->topics[0].partitions[p].id)
        ->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(topic);

  const uint64_t idle_ns = (uint64_t)opt->idle_timeout_s * 1000000000u;
  long received = 0;
  double cpu0 = cpu_seconds();
  uint64_t t0 = now_ns(), last = t0;
  err = rd_kafka_assign(rk, assignment);
  if (err) die("assign: %s", rd_kafka_err2str(err));
  rd_kafka_topic_partition_list_destroy(assignment);
  while (received < opt->count) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, 100);
    if (!message) {
      if (now_ns() - last > idle_ns) {
        fprintf(stderr, "librdkafka_bench: no message for %d s; %ld of %ld received\n",
                opt->idle_timeout_s, received, opt->count);
        break;
      }
      continue;
    }
    if (message->err) {
      fprintf(stderr, "librdkafka_bench: consume: %s\n", rd_kafka_message_errstr(message));
    } else {
      received++;
      last = now_ns();
    }
    rd_kafka_message_destroy(message);
  }
  uint64_t t1 = now_ns();
  double cpu = cpu_seconds() - cpu0;
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);

  printf(
      "{\"client\": \"librdkafka\", \"version\": \"%s\", \"phase\": \"consume\", "
      "\"count\": %ld, \"msgs_per_s\": %.1f, \"cpu_s\": %.4f, \"received\": %ld}\n",
      rd_kafka_version_str(), opt->count, (double)received / ((double)(t1 - t0) / 1e9), cpu,
      received);
  fflush(stdout);
  return received == opt->count ? 0 : 1;
}

int main(int argc, char** argv) {
  struct options opt = parse_options(argc, argv);
  return strcmp(opt.mode, "produce") == 0 ? produce(&opt) : consume(&opt);
}
