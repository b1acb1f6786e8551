/* The amqp benchmark's C anchor: the workload of ci/bench amqp on rabbitmq-c (librabbitmq).
 *
 * One connection, one channel. The channel is put in confirm mode, then `count` persistent
 * messages of `size` bytes are published to a durable classic queue, pipelined: up to `window`
 * publishes wait for their confirm at a time (basic.ack and basic.nack, single or multiple).
 * Then one consumer with basic.qos `prefetch` receives them and acknowledges them with
 * multiple=true every `ack-every` messages. The queue is declared (and purged) first and
 * deleted at the end.
 *
 * Prints one JSON line: throughput of each phase, the process's own CPU seconds (user + sys,
 * from getrusage) in each phase, p50/p99 of the time from publishing a message to reading its
 * confirm, and how many messages were confirmed and received. Exits 1 if any message was
 * nacked, not confirmed or not received, or on any protocol error.
 */
#define _POSIX_C_SOURCE 200809L

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

enum { CHANNEL = 1 };

struct options {
  char* url;
  const char* host;
  int port;
  const char* user;
  const char* pass;
  const char* queue;
  long count;
  long size;
  long window;
  int prefetch;
  long ack_every;
  int idle_timeout_s;
  int delete_only;
};

static void die(const char* format, ...) {
  va_list args;
  va_start(args, format);
  fputs("rabbitmq_c_bench: ", stderr);
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

/* The process's own CPU time (user + sys) in seconds. */
static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
         (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
}

static void check_reply(amqp_rpc_reply_t reply, const char* what) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return;
    case AMQP_RESPONSE_NONE:
      die("%s: no reply", what);
      break;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      die("%s: %s", what, amqp_error_string2(reply.library_error));
      break;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const amqp_connection_close_t* close = reply.reply.decoded;
        die("%s: connection closed by the broker: %u %.*s", what, close->reply_code,
            (int)close->reply_text.len, (const char*)close->reply_text.bytes);
      } else if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const amqp_channel_close_t* close = reply.reply.decoded;
        die("%s: channel closed by the broker: %u %.*s", what, close->reply_code,
            (int)close->reply_text.len, (const char*)close->reply_text.bytes);
      }
      die("%s: broker error (method 0x%08x)", what, reply.reply.id);
      break;
  }
}

static void check_status(int status, const char* what) {
  if (status != AMQP_STATUS_OK) {
    die("%s: %s", what, amqp_error_string2(status));
  }
}

static long parse_long(const char* text, const char* name, long min) {
  char* end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < min) {
    die("%s must be an integer >= %ld, got '%s'", name, min, text);
  }
  return value;
}

static void usage(void) {
  fputs(
      "usage: rabbitmq_c_bench [--url amqp://user:pass@host:port/vhost] [--host H] [--port P]\n"
      "         [--user U] [--pass P] --queue NAME [--count N] [--size BYTES]\n"
      "         [--window N] [--prefetch N] [--ack-every N] [--idle-timeout S] [--delete]\n"
      "--delete only deletes the queue and exits.\n",
      stderr);
  exit(2);
}

static void parse_options(int argc, char** argv, struct options* opt) {
  static const struct option long_options[] = {{"url", required_argument, NULL, 'U'},
                                               {"host", required_argument, NULL, 'h'},
                                               {"port", required_argument, NULL, 'p'},
                                               {"user", required_argument, NULL, 'u'},
                                               {"pass", required_argument, NULL, 'P'},
                                               {"queue", required_argument, NULL, 'q'},
                                               {"count", required_argument, NULL, 'n'},
                                               {"size", required_argument, NULL, 's'},
                                               {"window", required_argument, NULL, 'w'},
                                               {"prefetch", required_argument, NULL, 'f'},
                                               {"ack-every", required_argument, NULL, 'a'},
                                               {"idle-timeout", required_argument, NULL, 't'},
                                               {"delete", no_argument, NULL, 'D'},
                                               {"help", no_argument, NULL, '?'},
                                               {NULL, 0, NULL, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
    switch (c) {
      case 'U':
        opt->url = optarg;
        break;
      case 'h':
        opt->host = optarg;
        break;
      case 'p':
        opt->port = (int)parse_long(optarg, "--port", 1);
        break;
      case 'u':
        opt->user = optarg;
        break;
      case 'P':
        opt->pass = optarg;
        break;
      case 'q':
        opt->queue = optarg;
        break;
      case 'n':
        opt->count = parse_long(optarg, "--count", 1);
        break;
      case 's':
        opt->size = parse_long(optarg, "--size", 0);
        break;
      case 'w':
        opt->window = parse_long(optarg, "--window", 1);
        break;
      case 'f':
        opt->prefetch = (int)parse_long(optarg, "--prefetch", 1);
        if (opt->prefetch > 65535) die("--prefetch must be at most 65535");
        break;
      case 'a':
        opt->ack_every = parse_long(optarg, "--ack-every", 1);
        break;
      case 't':
        opt->idle_timeout_s = (int)parse_long(optarg, "--idle-timeout", 1);
        break;
      case 'D':
        opt->delete_only = 1;
        break;
      default:
        usage();
    }
  }
  if (optind != argc || opt->queue == NULL) usage();
}

static amqp_connection_state_t open_connection(struct options* opt) {
  struct amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (opt->url != NULL && amqp_parse_url(opt->url, &info) != AMQP_STATUS_OK) {
    die("cannot parse --url");
  }
  if (opt->host != NULL) info.host = (char*)opt->host;
  if (opt->port != 0) info.port = opt->port;
  if (opt->user != NULL) info.user = (char*)opt->user;
  if (opt->pass != NULL) info.password = (char*)opt->pass;
  if (info.ssl) die("amqps:// URLs are not supported by this benchmark");

  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(conn);
  if (socket == NULL) die("cannot create a TCP socket");
  check_status(amqp_socket_open(socket, info.host, info.port), "connect");
  check_reply(amqp_login(conn, info.vhost, 0, AMQP_DEFAULT_FRAME_SIZE, 0, AMQP_SASL_METHOD_PLAIN,
                         info.user, info.password),
              "login");
  amqp_channel_open(conn, CHANNEL);
  check_reply(amqp_get_rpc_reply(conn), "channel.open");
  return conn;
}

static void close_connection(amqp_connection_state_t conn) {
  amqp_channel_close(conn, CHANNEL, AMQP_REPLY_SUCCESS);
  amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
}

/* Publisher state: the send time of every sequence number and which are confirmed. */
struct publisher {
  long count;
  uint64_t* sent_at_ns;   /* index: delivery tag (1-based) */
  unsigned char* settled; /* index: delivery tag */
  uint32_t* latency_us;   /* one per acked message, in arrival order */
  long published;
  long acked;
  long nacked;
  long lowest_unsettled; /* every tag below it is settled */
};

static void settle(struct publisher* pub, uint64_t tag, int ok, uint64_t now) {
  if (tag < 1 || tag > (uint64_t)pub->published || pub->settled[tag]) return;
  pub->settled[tag] = 1;
  if (ok) {
    pub->latency_us[pub->acked++] = (uint32_t)((now - pub->sent_at_ns[tag]) / 1000u);
  } else {
    pub->nacked++;
  }
}

static void on_confirm(struct publisher* pub, uint64_t tag, int multiple, int ok) {
  uint64_t now = now_ns();
  if (multiple) {
    for (uint64_t t = (uint64_t)pub->lowest_unsettled; t <= tag; t++) settle(pub, t, ok, now);
  } else {
    settle(pub, tag, ok, now);
  }
  while (pub->lowest_unsettled <= pub->published && pub->settled[pub->lowest_unsettled]) {
    pub->lowest_unsettled++;
  }
}

/* Reads one frame, waiting up to `timeout` (NULL: forever); handles confirms and channel or
 * connection closes. Returns 0 when no frame arrived in time. */
static int read_one_frame(amqp_connection_state_t conn, struct publisher* pub,
                          struct timeval* timeout) {
  amqp_frame_t frame;
  int status = amqp_simple_wait_frame_noblock(conn, &frame, timeout);
  if (status == AMQP_STATUS_TIMEOUT) return 0;
  check_status(status, "reading confirms");
  if (frame.frame_type != AMQP_FRAME_METHOD) return 1;
  switch (frame.payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
      const amqp_basic_ack_t* ack = frame.payload.method.decoded;
      on_confirm(pub, ack->delivery_tag, ack->multiple, 1);
      break;
    }
    case AMQP_BASIC_NACK_METHOD: {
      const amqp_basic_nack_t* nack = frame.payload.method.decoded;
      on_confirm(pub, nack->delivery_tag, nack->multiple, 0);
      break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
      const amqp_channel_close_t* close = frame.payload.method.decoded;
      die("channel closed by the broker while publishing: %u %.*s", close->reply_code,
          (int)close->reply_text.len, (const char*)close->reply_text.bytes);
      break;
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
      const amqp_connection_close_t* close = frame.payload.method.decoded;
      die("connection closed by the broker while publishing: %u %.*s", close->reply_code,
          (int)close->reply_text.len, (const char*)close->reply_text.bytes);
      break;
    }
    default:
      break; /* basic.return and its content frames cannot occur: nothing is mandatory */
  }
  return 1;
}

static int compare_u32(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a;
  uint32_t y = *(const uint32_t*)b;
  return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted values. */
static uint32_t percentile(const uint32_t* sorted, long n, double p) {
  if (n == 0) return 0;
  long rank = (long)((p / 100.0) * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

int main(int argc, char** argv) {
  struct options opt = {.url = NULL,
                        .queue = NULL,
                        .count = 200000,
                        .size = 100,
                        .window = 1000,
                        .prefetch = 1000,
                        .ack_every = 100,
                        .idle_timeout_s = 60};
  parse_options(argc, argv, &opt);

  amqp_connection_state_t conn = open_connection(&opt);
  amqp_bytes_t queue = amqp_cstring_bytes(opt.queue);

  if (opt.delete_only) {
    amqp_queue_delete(conn, CHANNEL, queue, 0, 0);
    check_reply(amqp_get_rpc_reply(conn), "queue.delete");
    close_connection(conn);
    return 0;
  }

  amqp_queue_declare(conn, CHANNEL, queue, 0, 1, 0, 0, amqp_empty_table);
  check_reply(amqp_get_rpc_reply(conn), "queue.declare");
  amqp_queue_purge(conn, CHANNEL, queue);
  check_reply(amqp_get_rpc_reply(conn), "queue.purge");
  amqp_confirm_select(conn, CHANNEL);
  check_reply(amqp_get_rpc_reply(conn), "confirm.select");

  /* ---- publish ---- */
  struct publisher pub = {.count = opt.count, .lowest_unsettled = 1};
  pub.sent_at_ns = calloc((size_t)opt.count + 1, sizeof *pub.sent_at_ns);
  pub.settled = calloc((size_t)opt.count + 2, 1);
  pub.latency_us = calloc((size_t)opt.count, sizeof *pub.latency_us);
  char* body = malloc((size_t)opt.size + 1);
  if (!pub.sent_at_ns || !pub.settled || !pub.latency_us || !body) die("out of memory");
  for (long i = 0; i < opt.size; i++) body[i] = (char)('a' + i % 26);
  amqp_bytes_t payload = {.len = (size_t)opt.size, .bytes = body};

  amqp_basic_properties_t props;
  memset(&props, 0, sizeof props);
  props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
  props.delivery_mode = 2; /* persistent */

  struct timeval no_wait = {0, 0};
  struct timeval idle = {opt.idle_timeout_s, 0};
  double cpu0 = cpu_seconds();
  uint64_t t0 = now_ns();
  while (pub.published < opt.count) {
    /* Window full: wait for confirms. */
    while (pub.published - (pub.acked + pub.nacked) >= opt.window) {
      if (!read_one_frame(conn, &pub, &idle)) die("no confirm within %d s", opt.idle_timeout_s);
    }
    uint64_t tag = (uint64_t)pub.published + 1;
    pub.sent_at_ns[tag] = now_ns();
    check_status(amqp_basic_publish(conn, CHANNEL, amqp_empty_bytes, queue, 0, 0, &props, payload),
                 "basic.publish");
    pub.published++;
    /* Take in confirms that already arrived: those the library read while writing, and every
     * 32 publishes whatever the socket holds. */
    while ((amqp_frames_enqueued(conn) || amqp_data_in_buffer(conn)) &&
           read_one_frame(conn, &pub, &no_wait)) {
    }
    if ((pub.published & 31) == 0) {
      while (read_one_frame(conn, &pub, &no_wait)) {
      }
    }
  }
  while (pub.acked + pub.nacked < pub.published) {
    if (!read_one_frame(conn, &pub, &idle)) die("no confirm within %d s", opt.idle_timeout_s);
  }
  uint64_t t1 = now_ns();
  double publish_cpu = cpu_seconds() - cpu0;
  double publish_s = (double)(t1 - t0) / 1e9;

  /* ---- consume ---- */
  long received = 0;
  cpu0 = cpu_seconds();
  t0 = now_ns();
  amqp_basic_qos(conn, CHANNEL, 0, (uint16_t)opt.prefetch, 0);
  check_reply(amqp_get_rpc_reply(conn), "basic.qos");
  amqp_basic_consume(conn, CHANNEL, queue, amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  check_reply(amqp_get_rpc_reply(conn), "basic.consume");
  while (received < opt.count) {
    amqp_envelope_t envelope;
    amqp_maybe_release_buffers(conn);
    amqp_rpc_reply_t reply = amqp_consume_message(conn, &envelope, &idle, 0);
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        reply.library_error == AMQP_STATUS_TIMEOUT) {
      fprintf(stderr, "rabbitmq_c_bench: no delivery within %d s; %ld of %ld received\n",
              opt.idle_timeout_s, received, opt.count);
      break;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
      /* A frame other than a delivery: late confirms are harmless, closes are fatal. */
      if (!read_one_frame(conn, &pub, &idle)) die("lost the frame the library announced");
      continue;
    }
    check_reply(reply, "consuming");
    received++;
    if (received % opt.ack_every == 0 || received == opt.count) {
      check_status(amqp_basic_ack(conn, CHANNEL, envelope.delivery_tag, 1), "basic.ack");
    }
    amqp_destroy_envelope(&envelope);
  }
  t1 = now_ns();
  double consume_cpu = cpu_seconds() - cpu0;
  double consume_s = (double)(t1 - t0) / 1e9;

  /* Deleting the queue also cancels the consumer. */
  amqp_queue_delete(conn, CHANNEL, queue, 0, 0);
  check_reply(amqp_get_rpc_reply(conn), "queue.delete");
  close_connection(conn);

  qsort(pub.latency_us, (size_t)pub.acked, sizeof *pub.latency_us, compare_u32);
  printf(
      "{\"client\": \"rabbitmq-c\", \"size\": %ld, \"count\": %ld, "
      "\"publish_msgs_per_s\": %.1f, \"consume_msgs_per_s\": %.1f, "
      "\"publish_cpu_s\": %.4f, \"consume_cpu_s\": %.4f, "
      "\"p50_confirm_us\": %u, \"p99_confirm_us\": %u, "
      "\"confirmed\": %ld, \"nacked\": %ld, \"received\": %ld}\n",
      opt.size, opt.count, (double)opt.count / publish_s, (double)received / consume_s, publish_cpu,
      consume_cpu, percentile(pub.latency_us, pub.acked, 50.0),
      percentile(pub.latency_us, pub.acked, 99.0), pub.acked, pub.nacked, received);
  fflush(stdout);

  free(pub.sent_at_ns);
  free(pub.settled);
  free(pub.latency_us);
  free(body);
  return (pub.acked == opt.count && pub.nacked == 0 && received == opt.count) ? 0 : 1;
}
