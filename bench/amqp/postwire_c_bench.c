/* The amqp benchmark's postwire-c client: the workload of ci/bench amqp on postwire's C ABI
 * (postwire.h, libpostwire.so), the same as bench/amqp/postwire_bench.cpp runs on the C++ API,
 * so that the two side by side show what the C boundary costs. Every language binding goes
 * through this boundary.
 *
 * One client. `count` persistent messages of `size` bytes are sent to a durable classic queue
 * with publisher confirms, at most `window` unconfirmed at a time (max.in.flight), each with
 * postwire_producer_send_bytes() (persistent is the default); the delivery reports are taken
 * from the client's event queue with postwire_client_poll() while sending. Then one consumer
 * with prefetch `prefetch` receives them with postwire_consumer_poll_batch() and acks each one
 * (postwire decides how acks are batched on the wire). The queue is declared (and purged) first
 * and deleted at the end.
 *
 * Prints one JSON line in the postwire bench's format: throughput of each phase, the process's
 * own CPU seconds (user + sys over all its threads, from getrusage) in each phase, p50/p99 of
 * each delivery report's send-to-report latency, and how many messages were confirmed and
 * received. Exits 1 if any send failed, any message was not received, or the client reported
 * an error; 2 on bad arguments or when a call fails (its code name and message are printed).
 */
#define _POSIX_C_SOURCE 200809L

#include <postwire.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

enum { EVENT_BATCH = 4096 };

struct options {
  const char* url;
  const char* host;
  long long port; /* 0: not given */
  const char* user;
  const char* pass;
  const char* queue;
  long long count;
  long long size;
  long long window;
  long long prefetch;
  long long idle_timeout_s;
  int delete_only;
};

/* Everything the run holds, so that a failure anywhere can free it all before exiting. A slot
 * of `events` or `messages` is NULL once its handle is freed. */
static struct {
  char* url;
  char* body;
  postwire_config* config;
  postwire_client* client;
  postwire_producer* producer;
  postwire_consumer* consumer;
  postwire_event* events[EVENT_BATCH];
  size_t event_count;
  postwire_message** messages;
  size_t message_count;
  int64_t* latency_us;
} run_state;

/* Frees every handle and buffer the run still holds, the dependents before their client. */
static void release_all(void) {
  size_t i;
  for (i = 0; i < run_state.event_count; i++) {
    postwire_event_destroy(run_state.events[i]);
    run_state.events[i] = NULL;
  }
  run_state.event_count = 0;
  for (i = 0; i < run_state.message_count; i++) {
    postwire_message_destroy(run_state.messages[i]);
    run_state.messages[i] = NULL;
  }
  run_state.message_count = 0;
  postwire_consumer_destroy(run_state.consumer);
  run_state.consumer = NULL;
  postwire_producer_destroy(run_state.producer);
  run_state.producer = NULL;
  postwire_client_destroy(run_state.client);
  run_state.client = NULL;
  postwire_config_destroy(run_state.config);
  run_state.config = NULL;
  free(run_state.messages);
  run_state.messages = NULL;
  free(run_state.latency_us);
  run_state.latency_us = NULL;
  free(run_state.body);
  run_state.body = NULL;
  free(run_state.url);
  run_state.url = NULL;
}

static void usage(void) {
  fputs(
      "usage: postwire_c_bench [--url amqp://user:pass@host:port/vhost] [--host H] [--port P]\n"
      "         [--user U] [--pass P] --queue NAME [--count N] [--size BYTES]\n"
      "         [--window N] [--prefetch N] [--ack-every N] [--idle-timeout S] [--delete]\n"
      "--delete only deletes the queue and exits. --ack-every is accepted for the same\n"
      "command line as rabbitmq_c_bench; postwire batches acks itself.\n",
      stderr);
  release_all();
  exit(2);
}

static void die(const char* format, ...) {
  va_list args;
  va_start(args, format);
  fputs("postwire_c_bench: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  release_all();
  exit(2);
}

/* Prints "code_name: message" (only the code name when there is no message). */
static void print_error(const postwire_error* error) {
  const char* message = postwire_error_message(error);
  fputs(postwire_code_name(postwire_error_code(error)), stderr);
  if (message != NULL && message[0] != '\0') fprintf(stderr, ": %s", message);
}

/* A failed call ends the run: its code name and message are printed and everything freed.
 * `error` is the call's error out-parameter, read only here, after the call has returned (an
 * argument `error` would be evaluated in no particular order relative to the call). */
static void check(postwire_code code, postwire_error** error, const char* what) {
  if (code == POSTWIRE_OK) return;
  fprintf(stderr, "postwire_c_bench: %s: ", what);
  if (*error != NULL) {
    print_error(*error);
  } else {
    fputs(postwire_code_name(code), stderr);
  }
  fputc('\n', stderr);
  postwire_error_destroy(*error);
  *error = NULL;
  release_all();
  exit(2);
}

static long long parse_int(const char* text, const char* name, long long min, long long max) {
  char* end = NULL;
  long long value = strtoll(text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || value < min || value > max) {
    die("%s must be an integer from %lld to %lld, got '%s'", name, min, max, text);
  }
  return value;
}

/* Whether a string option was given and is not empty. */
static int given(const char* value) { return value != NULL && value[0] != '\0'; }

static void parse_options(int argc, char** argv, struct options* opt) {
  const long long max = 1000000000;
  int i;
  for (i = 1; i < argc; i++) {
    const char* arg = argv[i];
    const char* value;
    if (strcmp(arg, "--delete") == 0) {
      opt->delete_only = 1;
      continue;
    }
    if (strcmp(arg, "--help") == 0 || i + 1 >= argc) usage();
    value = argv[++i];
    if (strcmp(arg, "--url") == 0) {
      opt->url = value;
    } else if (strcmp(arg, "--host") == 0) {
      opt->host = value;
    } else if (strcmp(arg, "--port") == 0) {
      opt->port = parse_int(value, arg, 1, 65535);
    } else if (strcmp(arg, "--user") == 0) {
      opt->user = value;
    } else if (strcmp(arg, "--pass") == 0) {
      opt->pass = value;
    } else if (strcmp(arg, "--queue") == 0) {
      opt->queue = value;
    } else if (strcmp(arg, "--count") == 0) {
      opt->count = parse_int(value, arg, 1, max);
    } else if (strcmp(arg, "--size") == 0) {
      opt->size = parse_int(value, arg, 0, 128LL * 1024 * 1024);
    } else if (strcmp(arg, "--window") == 0) {
      opt->window = parse_int(value, arg, 1, max);
    } else if (strcmp(arg, "--prefetch") == 0) {
      opt->prefetch = parse_int(value, arg, 1, 65535);
    } else if (strcmp(arg, "--ack-every") == 0) {
      parse_int(value, arg, 1, max);
    } else if (strcmp(arg, "--idle-timeout") == 0) {
      opt->idle_timeout_s = parse_int(value, arg, 1, 3600);
    } else {
      usage();
    }
  }
  if (!given(opt->queue)) usage();
  /* --host/--port/--user/--pass, when given, build the URL (plain amqp://, default vhost). */
  if (given(opt->host) || opt->port != 0 || given(opt->user) || given(opt->pass)) {
    const char* user = given(opt->user) ? opt->user : "guest";
    const char* pass = given(opt->pass) ? opt->pass : "guest";
    const char* host = given(opt->host) ? opt->host : "127.0.0.1";
    long long port = opt->port != 0 ? opt->port : 5672;
    size_t length = strlen("amqp://:@:65535") + strlen(user) + strlen(pass) + strlen(host) + 1;
    run_state.url = malloc(length);
    if (run_state.url == NULL) die("out of memory");
    snprintf(run_state.url, length, "amqp://%s:%s@%s:%lld", user, pass, host, port);
    opt->url = run_state.url;
  }
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's own CPU time (user + sys, every thread) in seconds. */
static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
         (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
}

static int compare_i64(const void* a, const void* b) {
  int64_t x = *(const int64_t*)a;
  int64_t y = *(const int64_t*)b;
  return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted values: the value at rank ceil(p/100 * n), at least 1. */
static int64_t percentile(const int64_t* sorted, size_t n, double p) {
  double exact;
  size_t rank;
  if (n == 0) return 0;
  exact = p / 100.0 * (double)n;
  rank = (size_t)exact;
  if ((double)rank < exact) rank++;
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

static void set_option(postwire_config* config, const char* key, const char* value) {
  postwire_error* error = NULL;
  char what[256];
  snprintf(what, sizeof what, "config %s=%s", key, value);
  check(postwire_config_set(config, key, value, &error), &error, what);
}

/* Everything the client reports on its event queue, tallied. */
struct tally {
  long long confirmed;
  long long failed;
  long long errors;
  size_t latency_count;
  size_t latency_capacity;
};

/* The error an event carries (NULL when none), borrowed from the event. */
static const postwire_error* carried_error(const postwire_event* event) {
  const postwire_error* carried = NULL;
  postwire_error* error = NULL;
  check(postwire_event_error(event, &carried, &error), &error, "postwire_event_error");
  return carried;
}

static void take(struct tally* tally, const postwire_event* event) {
  postwire_error* error = NULL;
  int32_t type = 0;
  check(postwire_event_type_of(event, &type, &error), &error, "postwire_event_type_of");
  switch (type) {
    case POSTWIRE_EVENT_DELIVERY_REPORT: {
      const postwire_error* carried = carried_error(event);
      int64_t latency_us = 0;
      if (carried != NULL) {
        if (tally->failed++ < 5) {
          fputs("postwire_c_bench: send failed: ", stderr);
          print_error(carried);
          fputc('\n', stderr);
        }
        break;
      }
      check(postwire_event_delivery_report(event, NULL, NULL, NULL, NULL, &latency_us, &error),
            &error, "postwire_event_delivery_report");
      tally->confirmed++;
      if (tally->latency_count < tally->latency_capacity) {
        run_state.latency_us[tally->latency_count++] = latency_us;
      }
      break;
    }
    case POSTWIRE_EVENT_CONNECTION: {
      int32_t state = 0;
      const char* broker = NULL;
      check(postwire_event_connection(event, &state, &broker, &error), &error,
            "postwire_event_connection");
      if (state == POSTWIRE_CONNECTION_RECOVERING || state == POSTWIRE_CONNECTION_FAILED) {
        tally->errors++;
        fprintf(stderr, "postwire_c_bench: connection to %s lost: ", broker);
        print_error(carried_error(event));
        fputc('\n', stderr);
      }
      break;
    }
    case POSTWIRE_EVENT_CONSUMER: {
      int32_t state = 0;
      const char* source = NULL;
      check(postwire_event_consumer(event, &source, &state, &error), &error,
            "postwire_event_consumer");
      if (state != POSTWIRE_CONSUMER_ACTIVE) {
        tally->errors++;
        fprintf(stderr, "postwire_c_bench: consumer of %s stopped: ", source);
        print_error(carried_error(event));
        fputc('\n', stderr);
      }
      break;
    }
    case POSTWIRE_EVENT_ERROR:
      tally->errors++;
      fputs("postwire_c_bench: ", stderr);
      print_error(carried_error(event));
      fputc('\n', stderr);
      break;
    default:
      break; /* flow events, log records; messages go to their consumer's own poll */
  }
}

/* Takes the events waiting (up to `timeout_ms` for the first), tallies and frees them; returns
 * how many. */
static size_t drain(struct tally* tally, int64_t timeout_ms) {
  postwire_error* error = NULL;
  size_t count = 0;
  size_t i;
  check(postwire_client_poll(run_state.client, run_state.events, EVENT_BATCH, timeout_ms, &count,
                             &error),
        &error, "postwire_client_poll");
  run_state.event_count = count;
  for (i = 0; i < count; i++) {
    take(tally, run_state.events[i]);
    postwire_event_destroy(run_state.events[i]);
    run_state.events[i] = NULL;
  }
  run_state.event_count = 0;
  return count;
}

int main(int argc, char** argv) {
  struct options opt = {NULL, NULL, 0, NULL, NULL, NULL, 200000, 100, 1000, 1000, 60, 0};
  postwire_error* error = NULL;
  char number[32];
  const char* queue_options[] = {"durable", "true", "type", "classic"};
  struct tally tally = {0, 0, 0, 0, 0};
  double cpu0, t0, t1, last_progress, publish_cpu, publish_s, consume_cpu, consume_s;
  long long received = 0;
  long long i;
  int complete;

  opt.url = "amqp://guest:guest@127.0.0.1:5672";
  parse_options(argc, argv, &opt);

  check(postwire_config_new(&run_state.config, &error), &error, "postwire_config_new");
  snprintf(number, sizeof number, "%lld", opt.window);
  set_option(run_state.config, "max.in.flight", number);
  snprintf(number, sizeof number, "%lld", opt.prefetch);
  set_option(run_state.config, "consumer.prefetch.count", number);
  set_option(run_state.config, "compression.codec", "none");

  check(postwire_client_connect(opt.url, run_state.config, &run_state.client, &error), &error,
        "connect");
  postwire_config_destroy(run_state.config); /* the client keeps a copy */
  run_state.config = NULL;
  if (opt.delete_only) {
    check(postwire_client_delete_queue(run_state.client, opt.queue, NULL, 0, NULL, &error), &error,
          "delete queue");
    check(postwire_client_close(run_state.client, -1, &error), &error, "close");
    release_all();
    return 0;
  }

  check(postwire_client_declare_queue(run_state.client, opt.queue, queue_options, 2, NULL, NULL,
                                      NULL, &error),
        &error, "declare queue");
  check(postwire_client_purge_queue(run_state.client, opt.queue, NULL, &error), &error,
        "purge queue");

  run_state.body = malloc((size_t)opt.size + 1);
  run_state.latency_us = malloc((size_t)opt.count * sizeof *run_state.latency_us);
  run_state.messages = calloc((size_t)opt.prefetch, sizeof *run_state.messages);
  if (run_state.body == NULL || run_state.latency_us == NULL || run_state.messages == NULL) {
    die("out of memory");
  }
  memset(run_state.body, 'x', (size_t)opt.size);
  tally.latency_capacity = (size_t)opt.count;

  /* ---- publish ---- */
  check(postwire_client_producer(run_state.client, &run_state.producer, &error), &error,
        "postwire_client_producer");
  cpu0 = cpu_seconds();
  t0 = now_seconds();
  for (i = 0; i < opt.count; i++) {
    check(postwire_producer_send_bytes(run_state.producer, opt.queue, run_state.body,
                                       (size_t)opt.size, NULL, 0, (uint64_t)(i + 1), &error),
          &error, "send");
    if ((i & 255) == 255) drain(&tally, 0);
  }
  last_progress = now_seconds();
  while (tally.confirmed + tally.failed < opt.count) {
    if (drain(&tally, 200) > 0) {
      last_progress = now_seconds();
    } else if (now_seconds() - last_progress > (double)opt.idle_timeout_s) {
      fprintf(stderr, "postwire_c_bench: no delivery report within %lld s\n", opt.idle_timeout_s);
      break;
    }
  }
  t1 = now_seconds();
  publish_cpu = cpu_seconds() - cpu0;
  publish_s = t1 - t0;

  /* ---- consume ---- */
  cpu0 = cpu_seconds();
  t0 = now_seconds();
  check(postwire_client_subscribe(run_state.client, opt.queue, (uint32_t)opt.prefetch, 0,
                                  &run_state.consumer, &error),
        &error, "subscribe");
  while (received < opt.count) {
    size_t n = 0;
    size_t k;
    check(postwire_consumer_poll_batch(run_state.consumer, run_state.messages, (size_t)opt.prefetch,
                                       opt.idle_timeout_s * 1000, &n, &error),
          &error, "postwire_consumer_poll_batch");
    if (n == 0) {
      fprintf(stderr, "postwire_c_bench: no delivery within %lld s; %lld of %lld received\n",
              opt.idle_timeout_s, received, opt.count);
      break;
    }
    run_state.message_count = n;
    for (k = 0; k < n; k++) {
      check(postwire_message_ack(run_state.messages[k], &error), &error, "ack");
      postwire_message_destroy(run_state.messages[k]);
      run_state.messages[k] = NULL;
    }
    run_state.message_count = 0;
    received += (long long)n;
    drain(&tally, 0);
  }
  check(postwire_consumer_close(run_state.consumer, &error), &error, "close the consumer");
  postwire_consumer_destroy(run_state.consumer);
  run_state.consumer = NULL;
  t1 = now_seconds();
  consume_cpu = cpu_seconds() - cpu0;
  consume_s = t1 - t0;

  check(postwire_client_delete_queue(run_state.client, opt.queue, NULL, 0, NULL, &error), &error,
        "delete queue");
  drain(&tally, 0);
  check(postwire_client_close(run_state.client, -1, &error), &error, "close");

  qsort(run_state.latency_us, tally.latency_count, sizeof *run_state.latency_us, compare_i64);
  printf(
      "{\"client\": \"postwire-c\", \"size\": %lld, \"count\": %lld, "
      "\"publish_msgs_per_s\": %.1f, \"consume_msgs_per_s\": %.1f, "
      "\"publish_cpu_s\": %.4f, \"consume_cpu_s\": %.4f, "
      "\"p50_confirm_us\": %lld, \"p99_confirm_us\": %lld, "
      "\"confirmed\": %lld, \"nacked\": %lld, \"received\": %lld, \"errors\": %lld}\n",
      opt.size, opt.count, (double)opt.count / publish_s, (double)received / consume_s, publish_cpu,
      consume_cpu, (long long)percentile(run_state.latency_us, tally.latency_count, 50.0),
      (long long)percentile(run_state.latency_us, tally.latency_count, 99.0), tally.confirmed,
      tally.failed, received, tally.errors);
  fflush(stdout);

  complete = tally.confirmed == opt.count && tally.failed == 0 && received == opt.count &&
             tally.errors == 0;
  release_all();
  return complete ? 0 : 1;
}
