/*
 * c_api_test.c - exercises every function of postwire's stable C ABI (postwire.h) from plain
 * C99, against the brokers named in POSTWIRE_BROKERS (default "amqp,kafka,sqs"). Each broker's
 * URL comes from POSTWIRE_TEST_<NAME>_URL; a missing URL is a failure, never a skip. RabbitMQ
 * runs every test, Kafka its own (topics with partitions, positions, partition reads, what it
 * refuses); SQS, without a transport yet, must refuse to connect with
 * POSTWIRE_ERR_NOT_SUPPORTED.
 *
 * Every test is a function run through harness.h (one line per test, "N passed, M failed" at
 * the end, POSTWIRE_C_TEST_FILTER=TEXT to run some); the CHECK_CODE-style macros here also
 * verify that every failed call fills its error with the same code and a message, and add the
 * last postwire error to a failure's line.
 *
 * Queues and exchanges are named "c-test-<pid>-<n>-<tag>" and deleted after each test (with
 * their ".dlq") by a fresh client. Every handle, event, error and string is freed, so the
 * program runs clean under valgrind --leak-check=full.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "postwire.h"

/* ---------------------------------------------------------------------------------------- */
/* Checks of postwire calls (the rest of the harness is harness.h)                          */
/* ---------------------------------------------------------------------------------------- */

#define WAIT_MS 10000 /* the usual wait for something the broker should do at once */

/* The error of the last call made with E() as its error argument, and whether a CHECK_CODE
 * should still verify it against the returned code. */
static postwire_error* g_err;
static int g_err_armed;

/* The `error` argument for a call: frees the previous error and arms the consistency check
 * (on success *error must be NULL; on failure an error with the same code and a message). */
static postwire_error** E(void) {
  postwire_error_destroy(g_err);
  g_err = NULL;
  g_err_armed = 1;
  return &g_err;
}

static const char* err_text(void) {
  const char* text = g_err != NULL ? postwire_error_message(g_err) : "";
  return text != NULL ? text : "";
}

/* Adds the last postwire error, if any, to a failure's line. */
static void print_last_error(void) {
  if (g_err != NULL) {
    printf("  (last postwire error: %s: %s)", postwire_code_name(postwire_error_code(g_err)),
           err_text());
  }
}

static int check_code_at(const char* file, int line, const char* call, postwire_code got,
                         postwire_code want) {
  int ok = 1;
  if (got != want) {
    report_failure(file, line, "%s returned %d (%s), expected %d (%s)", call, (int)got,
                   postwire_code_name(got), (int)want, postwire_code_name(want));
    ok = 0;
  }
  if (g_err_armed) {
    g_err_armed = 0;
    if (got == POSTWIRE_OK && g_err != NULL) {
      report_failure(file, line, "%s succeeded but set *error", call);
      ok = 0;
    } else if (got != POSTWIRE_OK && g_err == NULL) {
      report_failure(file, line, "%s failed with %s but left *error NULL", call,
                     postwire_code_name(got));
      ok = 0;
    } else if (got != POSTWIRE_OK) {
      if (postwire_error_code(g_err) != got) {
        report_failure(file, line, "%s returned %s but *error holds %s", call,
                       postwire_code_name(got), postwire_code_name(postwire_error_code(g_err)));
        ok = 0;
      }
      if (err_text()[0] == '\0') {
        report_failure(file, line, "%s: the error message is empty", call);
        ok = 0;
      }
    }
  }
  return ok;
}

static int check_str_at(const char* file, int line, const char* expr, const char* got,
                        const char* want) {
  if (got == NULL || strcmp(got, want) != 0) {
    report_failure(file, line, "%s is \"%s\", expected \"%s\"", expr, got != NULL ? got : "(null)",
                   want);
    return 0;
  }
  return 1;
}

static int check_contains_at(const char* file, int line, const char* expr, const char* text,
                             const char* needle) {
  if (text == NULL || strstr(text, needle) == NULL) {
    report_failure(file, line, "%s (\"%s\") does not contain \"%s\"", expr,
                   text != NULL ? text : "(null)", needle);
    return 0;
  }
  return 1;
}

static int check_u64_at(const char* file, int line, const char* expr, uint64_t got, uint64_t want) {
  if (got != want) {
    report_failure(file, line, "%s is %" PRIu64 ", expected %" PRIu64, expr, got, want);
    return 0;
  }
  return 1;
}

static int check_i64_at(const char* file, int line, const char* expr, int64_t got, int64_t want) {
  if (got != want) {
    report_failure(file, line, "%s is %" PRId64 ", expected %" PRId64, expr, got, want);
    return 0;
  }
  return 1;
}

/* Each is an expression with value 1 when the check passed. */
#define CHECK_CODE(call, want) \
  check_code_at(__FILE__, __LINE__, #call, (g_err_armed = 0, (call)), (want))
#define CHECK_OK(call) CHECK_CODE(call, POSTWIRE_OK)
#define CHECK_INVALID(call) CHECK_CODE(call, POSTWIRE_ERR_INVALID_ARGUMENT)
#define CHECK_U64(got, want) check_u64_at(__FILE__, __LINE__, #got, (uint64_t)(got), (want))
#define CHECK_I64(got, want) check_i64_at(__FILE__, __LINE__, #got, (int64_t)(got), (want))
#define CHECK_STR(got, want) check_str_at(__FILE__, __LINE__, #got, (got), (want))
#define CHECK_CONTAINS(text, needle) check_contains_at(__FILE__, __LINE__, #text, (text), (needle))
/* The same, leaving the test (goto out) when they fail. */
#define REQUIRE(cond)           \
  do {                          \
    if (!CHECK(cond)) goto out; \
  } while (0)
#define REQUIRE_OK(call)           \
  do {                             \
    if (!CHECK_OK(call)) goto out; \
  } while (0)

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                  */
/* ---------------------------------------------------------------------------------------- */

static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pause between polls of a condition (never used to assert timing). */
static void pause_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* 1 when fd became readable within timeout_ms, else 0. */
static int wait_readable(int fd, int64_t timeout_ms) {
  const int64_t deadline = now_ms() + timeout_ms;
  for (;;) {
    struct pollfd pfd;
    int64_t left = deadline - now_ms();
    int rc;
    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    rc = poll(&pfd, 1, left > 0 ? (int)left : 0);
    if (rc > 0) {
      return (pfd.revents & POLLIN) != 0;
    }
    if (rc == 0 || (rc < 0 && errno != EINTR) || left <= 0) {
      return 0;
    }
  }
}

static int readable_now(int fd) { return wait_readable(fd, 0); }

static unsigned g_name_counter;

static void unique_name(char* buffer, size_t size, const char* tag) {
  snprintf(buffer, size, "c-test-%ld-%u-%s", (long)getpid(), ++g_name_counter, tag);
}

/* Names registered here are deleted after the test (queues together with NAME.dlq). */
#define MAX_CLEANUP 32
static char g_cleanup_queues[MAX_CLEANUP][128];
static size_t g_cleanup_queue_count;
static char g_cleanup_exchanges[MAX_CLEANUP][128];
static size_t g_cleanup_exchange_count;

static void new_queue_name(char* buffer, size_t size, const char* tag) {
  unique_name(buffer, size, tag);
  if (g_cleanup_queue_count < MAX_CLEANUP) {
    snprintf(g_cleanup_queues[g_cleanup_queue_count++], 128, "%s", buffer);
  }
}

static void new_exchange_name(char* buffer, size_t size, const char* tag) {
  unique_name(buffer, size, tag);
  if (g_cleanup_exchange_count < MAX_CLEANUP) {
    snprintf(g_cleanup_exchanges[g_cleanup_exchange_count++], 128, "%s", buffer);
  }
}

static postwire_client* connect_with(const broker_t* broker, const char* const* pairs,
                                     size_t pair_count) {
  postwire_config* config = NULL;
  postwire_client* client = NULL;
  size_t i;
  if (!CHECK_OK(postwire_config_new(&config, E()))) {
    return NULL;
  }
  for (i = 0; i < pair_count; ++i) {
    CHECK_OK(postwire_config_set(config, pairs[2 * i], pairs[2 * i + 1], E()));
  }
  CHECK_OK(postwire_client_connect(broker->url, config, &client, E()));
  /* The client copied the config: it may go now. */
  postwire_config_destroy(config);
  return client;
}

static postwire_client* connect_default(const broker_t* broker) {
  postwire_client* client = NULL;
  CHECK_OK(postwire_client_connect(broker->url, NULL, &client, E()));
  return client;
}

static void cleanup_topology(const broker_t* broker) {
  postwire_client* client = NULL;
  size_t i;
  char dlq[160];
  if (g_cleanup_queue_count == 0 && g_cleanup_exchange_count == 0) {
    return;
  }
  if (postwire_client_connect(broker->url, NULL, &client, NULL) != POSTWIRE_OK) {
    report_failure(__FILE__, __LINE__, "cleanup: cannot connect to delete the test's queues");
  } else {
    for (i = 0; i < g_cleanup_queue_count; ++i) {
      if (snprintf(dlq, sizeof dlq, "%s.dlq", g_cleanup_queues[i]) >= (int)sizeof dlq) {
        continue;
      }
      postwire_client_delete_queue(client, g_cleanup_queues[i], NULL, 0, NULL, NULL);
      postwire_client_delete_queue(client, dlq, NULL, 0, NULL, NULL);
    }
    for (i = 0; i < g_cleanup_exchange_count; ++i) {
      postwire_client_delete_exchange(client, g_cleanup_exchanges[i], NULL, 0, NULL);
    }
    postwire_client_destroy(client);
  }
  g_cleanup_queue_count = 0;
  g_cleanup_exchange_count = 0;
}

static const char* const k_plain_queue[] = {"durable", "false", "auto_delete", "false"};

static int declare_plain(postwire_client* client, const char* queue) {
  return CHECK_OK(
      postwire_client_declare_queue(client, queue, k_plain_queue, 2, NULL, NULL, NULL, E()));
}

/* What one delivery report said, copied out of its event. */
typedef struct {
  uint64_t token;
  char id[128];
  char destination[256];
  uint32_t attempts;
  int64_t latency_us;
  int failed; /* postwire_event_error gave an error */
  postwire_code code;
  char message[512];
  int retriable;
  int fatal;
} report_t;

static void read_report(postwire_event* event, report_t* report) {
  const char* id = NULL;
  const char* destination = NULL;
  const postwire_error* carried = NULL;
  memset(report, 0, sizeof *report);
  CHECK_OK(postwire_event_delivery_report(event, &report->token, &id, &destination,
                                          &report->attempts, &report->latency_us, E()));
  /* Every out-parameter may be NULL, and so may error. */
  CHECK_OK(postwire_event_delivery_report(event, NULL, NULL, NULL, NULL, NULL, NULL));
  snprintf(report->id, sizeof report->id, "%s", id != NULL ? id : "(null)");
  snprintf(report->destination, sizeof report->destination, "%s",
           destination != NULL ? destination : "(null)");
  CHECK_OK(postwire_event_error(event, &carried, E()));
  if (carried != NULL) {
    report->failed = 1;
    report->code = postwire_error_code(carried);
    snprintf(report->message, sizeof report->message, "%s", postwire_error_message(carried));
    report->retriable = postwire_error_retriable(carried);
    report->fatal = postwire_error_fatal(carried);
  }
}

/* Polls the client until `want` delivery reports arrived (other events are dropped). */
static size_t await_reports(postwire_client* client, report_t* out, size_t want,
                            int64_t timeout_ms) {
  const int64_t deadline = now_ms() + timeout_ms;
  size_t got = 0;
  while (got < want && now_ms() < deadline) {
    postwire_event* events[64];
    size_t count = 0;
    size_t i;
    if (!CHECK_OK(postwire_client_poll(client, events, 64, 100, &count, E()))) {
      break;
    }
    for (i = 0; i < count; ++i) {
      int32_t type = 0;
      CHECK_OK(postwire_event_type_of(events[i], &type, E()));
      if (type == POSTWIRE_EVENT_DELIVERY_REPORT && got < want) {
        read_report(events[i], &out[got++]);
      }
      postwire_event_destroy(events[i]);
    }
  }
  if (got < want) {
    report_failure(__FILE__, __LINE__, "only %zu of %zu delivery reports within %" PRId64 " ms",
                   got, want, timeout_ms);
  }
  return got;
}

static int send_text(postwire_producer* producer, const char* destination, const char* body,
                     const char* key, uint64_t token) {
  return CHECK_OK(postwire_producer_send_bytes(producer, destination, body, strlen(body), key,
                                               key != NULL ? strlen(key) : 0, token, E()));
}

/* Flushes and expects `count` confirmed reports. */
static int expect_confirmed(postwire_client* client, postwire_producer* producer, size_t count) {
  report_t reports[16];
  size_t got;
  size_t i;
  int ok = 1;
  if (!CHECK(count <= 16) || !CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()))) {
    return 0;
  }
  got = await_reports(client, reports, count, WAIT_MS);
  ok = got == count;
  for (i = 0; i < got; ++i) {
    if (reports[i].failed) {
      report_failure(__FILE__, __LINE__, "message %" PRIu64 " to %s failed: %s: %s",
                     reports[i].token, reports[i].destination, postwire_code_name(reports[i].code),
                     reports[i].message);
      ok = 0;
    }
  }
  return ok;
}

/* Moves every event waiting now out of the client and destroys it. */
static void drain_events(postwire_client* client) {
  for (;;) {
    postwire_event* events[64];
    size_t count = 0;
    size_t i;
    if (!CHECK_OK(postwire_client_poll(client, events, 64, 0, &count, E())) || count == 0) {
      return;
    }
    for (i = 0; i < count; ++i) {
      postwire_event_destroy(events[i]);
    }
  }
}

static postwire_message* poll_message(postwire_consumer* consumer, int64_t timeout_ms) {
  postwire_message* message = NULL;
  CHECK_OK(postwire_consumer_poll(consumer, timeout_ms, &message, E()));
  return message;
}

static int body_is(const postwire_message* message, const void* data, size_t size) {
  const void* got = NULL;
  size_t got_size = 0;
  if (!CHECK_OK(postwire_message_body(message, &got, &got_size, E()))) {
    return 0;
  }
  if (got_size != size || (size != 0 && (got == NULL || memcmp(got, data, size) != 0))) {
    report_failure(__FILE__, __LINE__, "body of %zu bytes differs from the %zu bytes sent",
                   got_size, size);
    return 0;
  }
  return 1;
}

/* Copies a text body into buffer (NUL-terminated) for comparisons. */
static const char* body_text(const postwire_message* message, char* buffer, size_t size) {
  const void* data = NULL;
  size_t length = 0;
  buffer[0] = '\0';
  if (CHECK_OK(postwire_message_body(message, &data, &length, E())) && data != NULL) {
    if (length >= size) {
      length = size - 1;
    }
    memcpy(buffer, data, length);
    buffer[length] = '\0';
  }
  return buffer;
}

static const char* message_id(const postwire_message* message) {
  const char* id = NULL;
  CHECK_OK(postwire_message_id(message, &id, E()));
  return id != NULL ? id : "(null)";
}

static int key_is(const postwire_message* message, const char* key) {
  const void* data = NULL;
  size_t size = 0;
  if (!CHECK_OK(postwire_message_key(message, &data, &size, E()))) {
    return 0;
  }
  if (size != strlen(key) || (size != 0 && memcmp(data, key, size) != 0)) {
    report_failure(__FILE__, __LINE__, "key is \"%.*s\", expected \"%s\"", (int)size,
                   data != NULL ? (const char*)data : "", key);
    return 0;
  }
  return 1;
}

/* 1 when the message's key is exactly `key` (no failure recorded otherwise). */
static int key_equals(const postwire_message* message, const char* key) {
  const void* data = NULL;
  size_t size = 0;
  return CHECK_OK(postwire_message_key(message, &data, &size, E())) && size == strlen(key) &&
         (size == 0 || memcmp(data, key, size) == 0);
}

static int header_is(const postwire_message* message, const char* name, const char* value) {
  int found = -1;
  const void* data = NULL;
  size_t size = 0;
  if (!CHECK_OK(postwire_message_header(message, name, &found, &data, &size, E()))) {
    return 0;
  }
  if (found != 1) {
    report_failure(__FILE__, __LINE__, "no header \"%s\"", name);
    return 0;
  }
  if (size != strlen(value) || (size != 0 && memcmp(data, value, size) != 0)) {
    report_failure(__FILE__, __LINE__, "header %s is \"%.*s\", expected \"%s\"", name, (int)size,
                   data != NULL ? (const char*)data : "", value);
    return 0;
  }
  return 1;
}

/* Checks the fields of a message sent with nothing but a body (and maybe a key). */
static void expect_default_fields(const postwire_message* message) {
  const char* content_type = NULL;
  size_t headers = 99;
  int32_t priority = 0;
  CHECK_OK(postwire_message_content_type(message, &content_type, E()));
  CHECK_STR(content_type, "");
  CHECK_OK(postwire_message_header_count(message, &headers, E()));
  CHECK_U64(headers, 0);
  CHECK_OK(postwire_message_priority(message, &priority, E()));
  CHECK_I64(priority, -1);
}

static int stats_u64(postwire_client* client, const char* field, uint64_t* value) {
  char* json = NULL;
  int ok;
  if (!CHECK_OK(postwire_client_stats(client, &json, E()))) {
    return 0;
  }
  ok = json_u64(json, field, value);
  if (!ok) {
    report_failure(__FILE__, __LINE__, "stats have no field %s: %s", field, json);
  }
  postwire_free(json);
  return ok;
}

/* Subscribes to a queue that postwire declares by itself (the dead-letter queue), retrying
 * while it does not exist yet. */
static postwire_consumer* subscribe_when_declared(postwire_client* client, const char* queue) {
  const int64_t deadline = now_ms() + 30000;
  for (;;) {
    postwire_consumer* consumer = NULL;
    postwire_code code = postwire_client_subscribe(client, queue, 0, 0, &consumer, E());
    g_err_armed = 0;
    if (code == POSTWIRE_OK) {
      return consumer;
    }
    if (code != POSTWIRE_ERR_NOT_FOUND || now_ms() > deadline) {
      report_failure(__FILE__, __LINE__, "subscribe to %s: %s", queue, postwire_code_name(code));
      return NULL;
    }
    pause_ms(50);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Tests without a broker                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void test_version(const broker_t* broker) {
  char expected[32];
  (void)broker;
  snprintf(expected, sizeof expected, "%d.%d.%d", POSTWIRE_VERSION_MAJOR, POSTWIRE_VERSION_MINOR,
           POSTWIRE_VERSION_PATCH);
  CHECK(postwire_version() != NULL);
  CHECK_STR(postwire_version(), expected);
  CHECK(postwire_version_num() == POSTWIRE_VERSION_NUM);
  CHECK(POSTWIRE_VERSION_NUM ==
        POSTWIRE_VERSION_MAJOR * 10000 + POSTWIRE_VERSION_MINOR * 100 + POSTWIRE_VERSION_PATCH);
}

static void test_code_names(const broker_t* broker) {
  /* Every code with its name and default flags from docs/errors.md: the values and names
   * never change. */
  static const struct {
    postwire_code code;
    const char* name;
    int retriable;
    int fatal;
  } codes[] = {{POSTWIRE_OK, "ok", 0, 0},
               {POSTWIRE_ERR_INVALID_ARGUMENT, "invalid_argument", 0, 0},
               {POSTWIRE_ERR_CONFIG_UNKNOWN_KEY, "config_unknown_key", 0, 0},
               {POSTWIRE_ERR_CONFIG_INVALID_VALUE, "config_invalid_value", 0, 0},
               {POSTWIRE_ERR_INVALID_URL, "invalid_url", 0, 0},
               {POSTWIRE_ERR_CONNECTION_REFUSED, "connection_refused", 1, 0},
               {POSTWIRE_ERR_TIMED_OUT, "timed_out", 1, 0},
               {POSTWIRE_ERR_NAME_RESOLUTION_FAILED, "name_resolution_failed", 1, 0},
               {POSTWIRE_ERR_CONNECTION_CLOSED, "connection_closed", 1, 0},
               {POSTWIRE_ERR_NETWORK_ERROR, "network_error", 1, 0},
               {POSTWIRE_ERR_TLS_HANDSHAKE_FAILED, "tls_handshake_failed", 1, 0},
               {POSTWIRE_ERR_TLS_CERTIFICATE_REJECTED, "tls_certificate_rejected", 0, 0},
               {POSTWIRE_ERR_TLS_SETUP_FAILED, "tls_setup_failed", 0, 0},
               {POSTWIRE_ERR_AUTHENTICATION_FAILED, "authentication_failed", 0, 1},
               {POSTWIRE_ERR_ACCESS_DENIED, "access_denied", 0, 0},
               {POSTWIRE_ERR_NOT_FOUND, "not_found", 0, 0},
               {POSTWIRE_ERR_UNROUTABLE, "unroutable", 0, 0},
               {POSTWIRE_ERR_PRECONDITION_FAILED, "precondition_failed", 0, 0},
               {POSTWIRE_ERR_RESOURCE_LOCKED, "resource_locked", 1, 0},
               {POSTWIRE_ERR_BROKER_NACKED, "broker_nacked", 1, 0},
               {POSTWIRE_ERR_BROKER_ERROR, "broker_error", 1, 0},
               {POSTWIRE_ERR_QUEUE_FULL, "queue_full", 1, 0},
               {POSTWIRE_ERR_SHUTTING_DOWN, "shutting_down", 0, 0},
               {POSTWIRE_ERR_CLOSED, "closed", 0, 1},
               {POSTWIRE_ERR_FORKED_PROCESS, "forked_process", 0, 1},
               {POSTWIRE_ERR_RETRY_BUDGET_EXHAUSTED, "retry_budget_exhausted", 0, 0},
               {POSTWIRE_ERR_DELIVERY_TIMEOUT, "delivery_timeout", 0, 0},
               {POSTWIRE_ERR_NOT_SUPPORTED, "not_supported", 0, 0},
               {POSTWIRE_ERR_PROTOCOL_ERROR, "protocol_error", 0, 1},
               {POSTWIRE_ERR_MESSAGE_TOO_LARGE, "message_too_large", 0, 0},
               {POSTWIRE_ERR_INTERNAL, "internal", 0, 1}};
  size_t i;
  (void)broker;
  CHECK_STR(postwire_code_name(POSTWIRE_OK), "ok");
  CHECK_STR(postwire_code_name(POSTWIRE_ERR_TIMED_OUT), "timed_out");
  CHECK_STR(postwire_code_name(POSTWIRE_ERR_CLOSED), "closed");
  CHECK_STR(postwire_code_name(12345), "unknown");
  CHECK_STR(postwire_code_name(-1), "unknown");
  CHECK_STR(postwire_code_name(99), "unknown");
  CHECK(postwire_code_retriable(12345) == 0);
  CHECK(postwire_code_fatal(12345) == 0);
  for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    const char* name = postwire_code_name(codes[i].code);
    if (name == NULL || strcmp(name, codes[i].name) != 0) {
      report_failure(__FILE__, __LINE__, "postwire_code_name(%d) is \"%s\", expected \"%s\"",
                     (int)codes[i].code, name != NULL ? name : "(null)", codes[i].name);
    }
    if (postwire_code_retriable(codes[i].code) != codes[i].retriable ||
        postwire_code_fatal(codes[i].code) != codes[i].fatal) {
      report_failure(__FILE__, __LINE__, "%s: retriable %d, fatal %d, expected %d, %d",
                     codes[i].name, postwire_code_retriable(codes[i].code),
                     postwire_code_fatal(codes[i].code), codes[i].retriable, codes[i].fatal);
    }
  }
}

static void test_config(const broker_t* broker) {
  postwire_config* config = NULL;
  (void)broker;
  REQUIRE_OK(postwire_config_new(&config, E()));
  CHECK(config != NULL);
  CHECK_OK(postwire_config_set(config, "client.id", "c-test", E()));
  CHECK_OK(postwire_config_set(config, "delivery.timeout.ms", "30000", E()));
  CHECK_OK(postwire_config_set(config, "delivery.timeout.ms", "45000", NULL)); /* again */
  CHECK_OK(postwire_config_set(config, "log.level", "debug", NULL));

  CHECK_CODE(postwire_config_set(config, "no.such.option", "1", E()),
             POSTWIRE_ERR_CONFIG_UNKNOWN_KEY);
  CHECK_CONTAINS(err_text(), "no.such.option");
  CHECK(postwire_error_retriable(g_err) == 0);
  CHECK(postwire_error_fatal(g_err) == 0);

  CHECK_CODE(postwire_config_set(config, "delivery.timeout.ms", "soon", E()),
             POSTWIRE_ERR_CONFIG_INVALID_VALUE);
  CHECK_CONTAINS(err_text(), "delivery.timeout.ms");
  CHECK(postwire_error_retriable(g_err) == 0);
  CHECK(postwire_error_fatal(g_err) == 0);
  CHECK_CODE(postwire_config_set(config, "max.deliveries", "-1", E()),
             POSTWIRE_ERR_CONFIG_INVALID_VALUE);
  CHECK_CONTAINS(err_text(), "max.deliveries");

  /* Without an error out-parameter only the code comes back. */
  CHECK_CODE(postwire_config_set(config, "no.such.option", "1", NULL),
             POSTWIRE_ERR_CONFIG_UNKNOWN_KEY);
  CHECK_CODE(postwire_config_set(config, "delivery.timeout.ms", "soon", NULL),
             POSTWIRE_ERR_CONFIG_INVALID_VALUE);

  CHECK_INVALID(postwire_config_set(config, NULL, "1", E()));
  CHECK_INVALID(postwire_config_set(config, "client.id", NULL, E()));
out:
  postwire_config_destroy(config);
}

/* NULL handles, NULL required out-parameters and handles of the wrong kind: each call returns
 * POSTWIRE_ERR_INVALID_ARGUMENT and none crashes. */
static void test_null_and_wrong_kind(const broker_t* broker) {
  postwire_config* config = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  postwire_message* messages[2];
  postwire_event* events[2];
  postwire_error* wrong_error;
  const postwire_error* carried = NULL;
  const void* data = NULL;
  const char* text = NULL;
  const char* text2 = NULL;
  char* json = NULL;
  int fd = -1;
  int flag = 0;
  int32_t i32 = 0;
  int64_t i64 = 0;
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  size_t size = 0;
  (void)broker;

  /* Constructors without somewhere to put the result. */
  CHECK_INVALID(postwire_config_new(NULL, E()));
  CHECK_INVALID(postwire_outgoing_new(NULL, E()));
  CHECK_INVALID(postwire_client_connect("amqp://guest:guest@127.0.0.1:1", NULL, NULL, E()));
  CHECK_INVALID(postwire_client_connect(NULL, NULL, &client, E()));
  CHECK(client == NULL);

  /* Error accessors. */
  CHECK(postwire_error_code(NULL) == POSTWIRE_ERR_INVALID_ARGUMENT);
  CHECK(postwire_error_message(NULL) != NULL && postwire_error_message(NULL)[0] != '\0');
  CHECK(postwire_error_retriable(NULL) == 0);
  CHECK(postwire_error_fatal(NULL) == 0);

  /* Destroying NULL does nothing. */
  postwire_error_destroy(NULL);
  postwire_free(NULL);
  postwire_config_destroy(NULL);
  postwire_client_destroy(NULL);
  postwire_producer_destroy(NULL);
  postwire_outgoing_destroy(NULL);
  postwire_consumer_destroy(NULL);
  postwire_message_destroy(NULL);
  postwire_event_destroy(NULL);

  /* Config. */
  CHECK_INVALID(postwire_config_set(NULL, "client.id", "x", E()));
  CHECK_INVALID(postwire_config_set(NULL, "client.id", "x", NULL));

  /* Client. */
  CHECK_INVALID(postwire_client_close(NULL, 0, E()));
  CHECK_INVALID(postwire_client_close(NULL, 0, NULL));
  CHECK_INVALID(postwire_client_wakeup_fd(NULL, &fd, E()));
  CHECK(fd == -1);
  CHECK_INVALID(postwire_client_poll(NULL, events, 2, 0, &size, E()));
  CHECK_INVALID(postwire_client_stats(NULL, &json, E()));
  CHECK(json == NULL);
  CHECK_INVALID(postwire_client_capabilities(NULL, &u64, E()));
  CHECK_INVALID(postwire_client_producer(NULL, &producer, E()));
  CHECK(producer == NULL);
  CHECK_INVALID(postwire_client_subscribe(NULL, "q", 0, 0, &consumer, E()));
  CHECK(consumer == NULL);
  CHECK_INVALID(postwire_client_declare_queue(NULL, "q", NULL, 0, NULL, NULL, NULL, E()));
  CHECK_INVALID(postwire_client_declare_exchange(NULL, "x", NULL, 0, E()));
  CHECK_INVALID(postwire_client_bind(NULL, "x", "q", NULL, 0, E()));
  CHECK_INVALID(postwire_client_unbind(NULL, "x", "q", NULL, 0, E()));
  CHECK_INVALID(postwire_client_purge_queue(NULL, "q", &u64, E()));
  CHECK_INVALID(postwire_client_delete_queue(NULL, "q", NULL, 0, &u64, E()));
  CHECK_INVALID(postwire_client_delete_exchange(NULL, "x", NULL, 0, E()));

  /* Producer. */
  CHECK_INVALID(postwire_producer_send(NULL, "q", NULL, 1, E()));
  CHECK_INVALID(postwire_producer_send_bytes(NULL, "q", "x", 1, NULL, 0, 1, E()));
  CHECK_INVALID(postwire_producer_send_bytes(NULL, "q", "x", 1, NULL, 0, 1, NULL));
  CHECK_INVALID(postwire_producer_flush(NULL, 0, E()));
  CHECK_INVALID(postwire_producer_in_flight(NULL, &size, E()));

  /* Outgoing. */
  CHECK_INVALID(postwire_outgoing_clear(NULL, E()));
  CHECK_INVALID(postwire_outgoing_set_body(NULL, "x", 1, E()));
  CHECK_INVALID(postwire_outgoing_set_key(NULL, "x", 1, E()));
  CHECK_INVALID(postwire_outgoing_set_id(NULL, "x", E()));
  CHECK_INVALID(postwire_outgoing_add_header(NULL, "h", "v", 1, E()));
  CHECK_INVALID(postwire_outgoing_set_content_type(NULL, "text/plain", E()));
  CHECK_INVALID(postwire_outgoing_set_priority(NULL, 1, E()));
  CHECK_INVALID(postwire_outgoing_set_ttl(NULL, 1, E()));
  CHECK_INVALID(postwire_outgoing_set_timestamp(NULL, 1, E()));
  CHECK_INVALID(postwire_outgoing_set_persistent(NULL, 1, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  CHECK_INVALID(postwire_outgoing_set_body(outgoing, NULL, 5, E()));
  CHECK_OK(postwire_outgoing_set_body(outgoing, NULL, 0, E()));
  CHECK_INVALID(postwire_outgoing_set_key(outgoing, NULL, 3, E()));
  CHECK_INVALID(postwire_outgoing_set_id(outgoing, NULL, E()));
  CHECK_INVALID(postwire_outgoing_add_header(outgoing, NULL, "v", 1, E()));
  CHECK_INVALID(postwire_outgoing_add_header(outgoing, "h", NULL, 1, E()));
  CHECK_INVALID(postwire_outgoing_set_content_type(outgoing, NULL, E()));
  CHECK_INVALID(postwire_outgoing_set_priority(outgoing, 256, E()));
  CHECK_INVALID(postwire_outgoing_set_priority(outgoing, -2, E()));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, 255, E()));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, 0, NULL));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, -1, E()));
  CHECK_OK(postwire_outgoing_set_ttl(outgoing, -1, E()));
  CHECK_OK(postwire_outgoing_set_timestamp(outgoing, -1, E()));
  CHECK_OK(postwire_outgoing_set_persistent(outgoing, 0, E()));
  CHECK_OK(postwire_outgoing_clear(outgoing, E()));

  /* Consumer. */
  CHECK_INVALID(postwire_consumer_poll(NULL, 0, &message, E()));
  CHECK(message == NULL);
  CHECK_INVALID(postwire_consumer_poll_batch(NULL, messages, 2, 0, &size, E()));
  CHECK_INVALID(postwire_consumer_wakeup_fd(NULL, &fd, E()));
  CHECK_INVALID(postwire_consumer_close(NULL, E()));

  /* Message. */
  CHECK_INVALID(postwire_message_body(NULL, &data, &size, E()));
  CHECK_INVALID(postwire_message_key(NULL, &data, &size, E()));
  CHECK_INVALID(postwire_message_id(NULL, &text, E()));
  CHECK_INVALID(postwire_message_content_type(NULL, &text, E()));
  CHECK_INVALID(postwire_message_header_count(NULL, &size, E()));
  CHECK_INVALID(postwire_message_header_at(NULL, 0, &text, &data, &size, E()));
  CHECK_INVALID(postwire_message_header(NULL, "h", &flag, &data, &size, E()));
  CHECK_INVALID(postwire_message_source(NULL, &text, E()));
  CHECK_INVALID(postwire_message_delivery_count(NULL, &u32, E()));
  CHECK_INVALID(postwire_message_redelivered(NULL, &flag, E()));
  CHECK_INVALID(postwire_message_priority(NULL, &i32, E()));
  CHECK_INVALID(postwire_message_timestamp(NULL, &i64, E()));
  CHECK_INVALID(postwire_message_ack(NULL, E()));
  CHECK_INVALID(postwire_message_nack(NULL, 0, E()));
  CHECK_INVALID(postwire_message_dead_letter(NULL, "reason", E()));
  CHECK(data == NULL && text == NULL);

  /* Events. */
  CHECK_INVALID(postwire_event_type_of(NULL, &i32, E()));
  CHECK_INVALID(postwire_event_error(NULL, &carried, E()));
  CHECK_INVALID(postwire_event_delivery_report(NULL, &u64, &text, &text2, &u32, &i64, E()));
  CHECK_INVALID(postwire_event_take_message(NULL, &message, E()));
  CHECK_INVALID(postwire_event_log(NULL, &i32, &text, &text2, E()));
  CHECK_INVALID(postwire_event_consumer(NULL, &text, &i32, E()));
  CHECK_INVALID(postwire_event_flow(NULL, &flag, &text, E()));
  CHECK_INVALID(postwire_event_connection(NULL, &i32, &text, E()));
  CHECK(message == NULL && carried == NULL);

  /* Handles of the wrong kind. */
  REQUIRE_OK(postwire_config_new(&config, E()));
  CHECK_INVALID(postwire_config_set((postwire_config*)(void*)outgoing, "client.id", "x", E()));
  CHECK_INVALID(postwire_outgoing_set_body((postwire_outgoing*)(void*)config, "x", 1, E()));
  CHECK_INVALID(postwire_outgoing_clear((postwire_outgoing*)(void*)config, E()));
  CHECK_INVALID(postwire_client_connect("amqp://guest:guest@127.0.0.1:1",
                                        (const postwire_config*)(void*)outgoing, &client, E()));
  CHECK(client == NULL);
  client = (postwire_client*)(void*)config;
  CHECK_INVALID(postwire_client_producer(client, &producer, E()));
  CHECK(producer == NULL);
  CHECK_INVALID(postwire_client_poll(client, events, 2, 0, &size, E()));
  CHECK_INVALID(postwire_client_wakeup_fd(client, &fd, E()));
  CHECK_INVALID(postwire_client_stats(client, &json, E()));
  CHECK_INVALID(postwire_client_capabilities(client, &u64, E()));
  CHECK_INVALID(postwire_client_subscribe(client, "q", 0, 0, &consumer, E()));
  CHECK_INVALID(postwire_client_declare_queue(client, "q", NULL, 0, NULL, NULL, NULL, E()));
  CHECK_INVALID(postwire_client_close(client, 0, E()));
  client = NULL;
  CHECK_INVALID(postwire_producer_send((postwire_producer*)(void*)config, "q", outgoing, 1, E()));
  CHECK_INVALID(postwire_producer_flush((postwire_producer*)(void*)outgoing, 0, E()));
  CHECK_INVALID(postwire_consumer_poll((postwire_consumer*)(void*)config, 0, &message, E()));
  CHECK_INVALID(postwire_consumer_close((postwire_consumer*)(void*)outgoing, E()));
  CHECK_INVALID(postwire_message_ack((postwire_message*)(void*)outgoing, E()));
  CHECK_INVALID(postwire_message_body((const postwire_message*)(void*)config, &data, &size, E()));
  CHECK_INVALID(postwire_event_type_of((const postwire_event*)(void*)config, &i32, E()));
  CHECK_INVALID(postwire_event_take_message((postwire_event*)(void*)outgoing, &message, E()));
  CHECK(message == NULL);
  wrong_error = (postwire_error*)(void*)config;
  CHECK(postwire_error_code(wrong_error) == POSTWIRE_ERR_INVALID_ARGUMENT);
  CHECK(postwire_error_message(wrong_error) != NULL &&
        postwire_error_message(wrong_error)[0] != '\0');
  CHECK(postwire_error_retriable(wrong_error) == 0);
  CHECK(postwire_error_fatal(wrong_error) == 0);
out:
  postwire_outgoing_destroy(outgoing);
  postwire_config_destroy(config);
}

/* ---------------------------------------------------------------------------------------- */
/* Brokers without a transport                                                              */
/* ---------------------------------------------------------------------------------------- */

static int g_sentinel;

/* ---------------------------------------------------------------------------------------- */
/* AMQP                                                                                     */
/* ---------------------------------------------------------------------------------------- */

/* Splits scheme://[userinfo@]hostport[rest] (rest: /path?query); each buffer holds size. */
static int split_url(const char* url, char* scheme, char* userinfo, char* hostport, char* rest,
                     size_t size) {
  const char* authority = strstr(url, "://");
  const char* end;
  const char* at = NULL;
  const char* p;
  if (authority == NULL) {
    return 0;
  }
  snprintf(scheme, size, "%.*s", (int)(authority - url), url);
  authority += 3;
  end = authority + strcspn(authority, "?");
  for (p = authority; p < end; ++p) {
    if (*p == '@') {
      at = p; /* the last '@' ends the userinfo */
    }
  }
  if (at != NULL) {
    snprintf(userinfo, size, "%.*s", (int)(at - authority), authority);
    authority = at + 1;
  } else {
    userinfo[0] = '\0';
  }
  p = authority + strcspn(authority, "/?");
  snprintf(hostport, size, "%.*s", (int)(p - authority), authority);
  snprintf(rest, size, "%s", p);
  return 1;
}

static void test_connect_errors(const broker_t* broker) {
  char scheme[256], userinfo[256], hostport[256], rest[256], url[1200], vhost[128];
  char user[256];
  postwire_client* client = (postwire_client*)(void*)&g_sentinel;
  postwire_client* sentinel = client;

  CHECK_CODE(postwire_client_connect("nope://x", NULL, &client, E()), POSTWIRE_ERR_INVALID_URL);
  CHECK(client == sentinel);
  CHECK_CODE(postwire_client_connect("amqp://h1:99999", NULL, &client, E()),
             POSTWIRE_ERR_INVALID_URL);
  CHECK_CONTAINS(err_text(), "99999");
  CHECK(client == sentinel);

  REQUIRE(split_url(broker->url, scheme, userinfo, hostport, rest, sizeof scheme));
  snprintf(user, sizeof user, "%.*s", (int)strcspn(userinfo, ":"), userinfo);

  /* A wrong password: refused, fatal, and the password is not in the message. */
  snprintf(url, sizeof url, "%s://%s:wrong-c-password@%s%s", scheme,
           user[0] != '\0' ? user : "guest", hostport, rest);
  CHECK_CODE(postwire_client_connect(url, NULL, &client, E()), POSTWIRE_ERR_AUTHENTICATION_FAILED);
  CHECK(client == sentinel);
  CHECK(strstr(err_text(), "wrong-c-password") == NULL);
  CHECK(postwire_error_fatal(g_err) == 1);
  CHECK(postwire_error_retriable(g_err) == 0);

  /* Nothing listens on port 1. */
  snprintf(url, sizeof url, "%s://%s%s127.0.0.1:1%s", scheme, userinfo,
           userinfo[0] != '\0' ? "@" : "", rest);
  CHECK_CODE(postwire_client_connect(url, NULL, &client, E()), POSTWIRE_ERR_CONNECTION_REFUSED);
  CHECK(client == sentinel);
  CHECK_CONTAINS(err_text(), "127.0.0.1:1");
  CHECK(postwire_error_retriable(g_err) == 1);
  CHECK(postwire_error_fatal(g_err) == 0);
  CHECK_CODE(postwire_client_connect(url, NULL, &client, NULL), POSTWIRE_ERR_CONNECTION_REFUSED);

  /* A virtual host that does not exist. */
  unique_name(vhost, sizeof vhost, "vhost");
  snprintf(url, sizeof url, "%s://%s%s%s/%s", scheme, userinfo, userinfo[0] != '\0' ? "@" : "",
           hostport, vhost);
  client = sentinel;
  if (CHECK(postwire_client_connect(url, NULL, &client, E()) != POSTWIRE_OK)) {
    g_err_armed = 0;
    CHECK(postwire_error_code(g_err) == POSTWIRE_ERR_NOT_FOUND ||
          postwire_error_code(g_err) == POSTWIRE_ERR_ACCESS_DENIED);
    CHECK_CONTAINS(err_text(), vhost);
  }
  CHECK(client == sentinel);
out:
  if (client != sentinel) {
    postwire_client_destroy(client);
  }
}

static void test_topology(const broker_t* broker) {
  static const char* const topic[] = {"type", "topic", "durable", "false", "auto_delete", "false"};
  static const char* const headers_exchange[] = {"type", "headers", "durable", "false"};
  static const char* const by_key[] = {"routing_key", "order.*"};
  static const char* const by_headers[] = {"match", "all",           "header.kind",
                                           "order", "header.region", "eu"};
  static const char* const server_named[] = {"durable", "false", "exclusive", "true"};
  static const char* const durable[] = {"durable", "true", "auto_delete", "false"};
  static const char* const unknown[] = {"colour", "blue"};
  static const char* const bad_value[] = {"durable", "maybe"};
  static const char* const if_empty[] = {"if_empty", "true"};
  static const char* const if_unused[] = {"if_unused", "true"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  char queue[128], queue2[128], counted[128], exchange[128], hexchange[128], destination[160];
  char text[64];
  char* name = NULL;
  uint64_t messages = 99, consumers = 99, removed = 12345;
  report_t reports[4];
  size_t i;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));

  /* A named queue: the name, message and consumer counts come back. */
  new_queue_name(queue, sizeof queue, "topology");
  REQUIRE_OK(postwire_client_declare_queue(client, queue, k_plain_queue, 2, &name, &messages,
                                           &consumers, E()));
  CHECK_STR(name, queue);
  CHECK_U64(messages, 0);
  CHECK_U64(consumers, 0);
  postwire_free(name);
  name = NULL;
  /* Declaring it again with the same options is fine; every out-parameter may be NULL. */
  CHECK_OK(postwire_client_declare_queue(client, queue, k_plain_queue, 2, NULL, NULL, NULL, E()));
  CHECK_OK(postwire_client_declare_queue(client, queue, k_plain_queue, 2, NULL, NULL, NULL, NULL));

  /* A queue the broker names. */
  REQUIRE_OK(postwire_client_declare_queue(client, "", server_named, 2, &name, NULL, NULL, E()));
  CHECK(name != NULL && name[0] != '\0');
  postwire_free(name);
  name = NULL;

  /* A topic exchange routes by key to the bound queue. */
  new_exchange_name(exchange, sizeof exchange, "topic");
  REQUIRE_OK(postwire_client_declare_exchange(client, exchange, topic, 3, E()));
  REQUIRE_OK(postwire_client_bind(client, exchange, queue, by_key, 1, E()));
  snprintf(destination, sizeof destination, "exchange/%s", exchange);
  send_text(producer, destination, "routed by key", "order.created", 1);
  REQUIRE(expect_confirmed(client, producer, 1));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "routed by key");
  key_is(message, "order.created");
  CHECK_OK(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = NULL;
  CHECK_OK(postwire_consumer_close(consumer, E()));
  postwire_consumer_destroy(consumer);
  consumer = NULL;

  /* Unbound, the same message reaches no queue: reported unroutable (send.mandatory). */
  CHECK_OK(postwire_client_unbind(client, exchange, queue, by_key, 1, E()));
  send_text(producer, destination, "nowhere", "order.created", 2);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  if (await_reports(client, reports, 1, WAIT_MS) == 1) {
    CHECK(reports[0].token == 2);
    CHECK(reports[0].failed);
    CHECK(reports[0].code == POSTWIRE_ERR_UNROUTABLE);
    CHECK_CONTAINS(reports[0].message, exchange);
  }

  /* A headers exchange matches header.NAME options. */
  new_queue_name(queue2, sizeof queue2, "headers");
  REQUIRE(declare_plain(client, queue2));
  new_exchange_name(hexchange, sizeof hexchange, "headers");
  REQUIRE_OK(postwire_client_declare_exchange(client, hexchange, headers_exchange, 2, E()));
  REQUIRE_OK(postwire_client_bind(client, hexchange, queue2, by_headers, 3, E()));
  snprintf(destination, sizeof destination, "exchange/%s", hexchange);
  CHECK_OK(postwire_outgoing_set_body(outgoing, "eu order", 8, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "kind", "order", 5, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "region", "eu", 2, E()));
  CHECK_OK(postwire_producer_send(producer, destination, outgoing, 3, E()));
  CHECK_OK(postwire_outgoing_set_body(outgoing, "eu invoice", 10, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "kind", "invoice", 7, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "region", "eu", 2, E()));
  CHECK_OK(postwire_producer_send(producer, destination, outgoing, 4, E()));
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  if (await_reports(client, reports, 2, WAIT_MS) == 2) {
    for (i = 0; i < 2; ++i) {
      if (reports[i].token == 3) {
        CHECK(!reports[i].failed); /* matched kind=order, region=eu */
      } else {
        CHECK(reports[i].token == 4);
        CHECK(reports[i].failed && reports[i].code == POSTWIRE_ERR_UNROUTABLE);
      }
    }
  }

  /* purge_queue counts what it removed (on a queue of its own that no consumer touched). */
  new_queue_name(counted, sizeof counted, "counted");
  REQUIRE(declare_plain(client, counted));
  send_text(producer, counted, "purge 1", NULL, 5);
  send_text(producer, counted, "purge 2", NULL, 6);
  send_text(producer, counted, "purge 3", NULL, 7);
  REQUIRE(expect_confirmed(client, producer, 3));
  CHECK_OK(postwire_client_purge_queue(client, counted, &removed, E()));
  CHECK_U64(removed, 3);
  CHECK_OK(postwire_client_purge_queue(client, counted, NULL, NULL));

  /* delete_queue: refused while not empty with if_empty; otherwise counts the messages. */
  send_text(producer, counted, "delete 1", NULL, 8);
  send_text(producer, counted, "delete 2", NULL, 9);
  REQUIRE(expect_confirmed(client, producer, 2));
  removed = 12345;
  CHECK_CODE(postwire_client_delete_queue(client, counted, if_empty, 1, &removed, E()),
             POSTWIRE_ERR_PRECONDITION_FAILED);
  CHECK_U64(removed, 12345);
  CHECK_OK(postwire_client_delete_queue(client, counted, NULL, 0, &removed, E()));
  CHECK_U64(removed, 2);
  REQUIRE_OK(
      postwire_client_declare_queue(client, counted, k_plain_queue, 2, NULL, &messages, NULL, E()));
  CHECK_U64(messages, 0); /* declared anew, empty */

  /* Declaring it again as durable conflicts with what the broker has. */
  CHECK_CODE(postwire_client_declare_queue(client, queue, durable, 2, NULL, NULL, NULL, E()),
             POSTWIRE_ERR_PRECONDITION_FAILED);
  CHECK_CONTAINS(err_text(), queue);
  /* The client goes on. */
  CHECK_OK(postwire_client_declare_queue(client, queue, k_plain_queue, 2, NULL, NULL, NULL, E()));

  /* Unknown option keys and bad values name the key. */
  CHECK_INVALID(postwire_client_declare_queue(client, queue, unknown, 1, NULL, NULL, NULL, E()));
  CHECK_CONTAINS(err_text(), "colour");
  CHECK_INVALID(postwire_client_declare_queue(client, queue, bad_value, 1, NULL, NULL, NULL, E()));
  CHECK_CONTAINS(err_text(), "durable");
  CHECK_INVALID(postwire_client_declare_exchange(client, exchange, unknown, 1, E()));
  CHECK_CONTAINS(err_text(), "colour");
  CHECK_INVALID(postwire_client_bind(client, exchange, queue, unknown, 1, E()));
  CHECK_CONTAINS(err_text(), "colour");
  CHECK_INVALID(postwire_client_unbind(client, exchange, queue, unknown, 1, E()));
  CHECK_CONTAINS(err_text(), "colour");
  CHECK_INVALID(postwire_client_delete_queue(client, queue, unknown, 1, NULL, E()));
  CHECK_CONTAINS(err_text(), "colour");

  /* NULL names and options. */
  CHECK_INVALID(postwire_client_declare_queue(client, NULL, NULL, 0, NULL, NULL, NULL, E()));
  CHECK_INVALID(postwire_client_declare_queue(client, queue, NULL, 1, NULL, NULL, NULL, E()));
  CHECK_INVALID(postwire_client_declare_exchange(client, NULL, NULL, 0, E()));
  CHECK_INVALID(postwire_client_bind(client, NULL, queue, NULL, 0, E()));
  CHECK_INVALID(postwire_client_bind(client, exchange, NULL, NULL, 0, E()));
  CHECK_INVALID(postwire_client_unbind(client, exchange, NULL, NULL, 0, E()));
  CHECK_INVALID(postwire_client_purge_queue(client, NULL, NULL, E()));
  CHECK_INVALID(postwire_client_delete_queue(client, NULL, NULL, 0, NULL, E()));
  CHECK_INVALID(postwire_client_delete_exchange(client, NULL, NULL, 0, E()));

  /* delete_exchange: if_unused refuses while a queue is bound; an unknown option is named. */
  CHECK_CODE(postwire_client_delete_exchange(client, hexchange, if_unused, 1, E()),
             POSTWIRE_ERR_PRECONDITION_FAILED);
  CHECK_INVALID(postwire_client_delete_exchange(client, hexchange, if_empty, 1, E()));
  CHECK(strstr(err_text(), "if_empty") != NULL);
  CHECK_OK(postwire_client_delete_exchange(client, hexchange, NULL, 0, E()));
  CHECK_OK(postwire_client_delete_exchange(client, exchange, if_unused, 1, E()));
  /* Gone: publishing to it fails with not_found naming it. */
  snprintf(destination, sizeof destination, "exchange/%s", exchange);
  send_text(producer, destination, "to a deleted exchange", "order.created", 10);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  if (await_reports(client, reports, 1, WAIT_MS) == 1) {
    CHECK(reports[0].failed && reports[0].code == POSTWIRE_ERR_NOT_FOUND);
    CHECK_CONTAINS(reports[0].message, exchange);
  }
out:
  postwire_free(name);
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

static void test_round_trip(const broker_t* broker) {
  static const char* const with_priority[] = {"durable", "false",        "auto_delete",
                                              "false",   "max_priority", "10"};
  static const unsigned char binary_header[] = {0x00, 0x01, 0xff, 0x00};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  unsigned char body[300];
  char queue[128], id[128];
  const void* data = NULL;
  const char* text = NULL;
  const char* name = NULL;
  size_t size = 0, count = 0, in_flight = 99, i;
  uint32_t delivery_count = 0;
  int redelivered = -1, found = -1;
  int32_t priority = 0;
  int64_t timestamp = 0;
  report_t report;

  for (i = 0; i < sizeof body; ++i) {
    body[i] = (unsigned char)(i < 256 ? i : (i % 2 == 0 ? 0x00 : 0xff)); /* zeros included */
  }
  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "roundtrip");
  REQUIRE_OK(postwire_client_declare_queue(client, queue, with_priority, 3, NULL, NULL, NULL, E()));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));

  unique_name(id, sizeof id, "id");
  CHECK_OK(postwire_outgoing_set_body(outgoing, body, sizeof body, E()));
  CHECK_OK(postwire_outgoing_set_key(outgoing, "order-42", 8, E()));
  CHECK_OK(postwire_outgoing_set_id(outgoing, id, E()));
  CHECK_OK(
      postwire_outgoing_add_header(outgoing, "x-bin", binary_header, sizeof binary_header, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "rep", "first", 5, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "rep", "second", 6, E()));
  CHECK_OK(postwire_outgoing_set_content_type(outgoing, "application/x-c-test", E()));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, 7, E()));
  CHECK_OK(postwire_outgoing_set_ttl(outgoing, 600000, E()));
  /* AMQP carries timestamps in whole seconds. */
  CHECK_OK(postwire_outgoing_set_timestamp(outgoing, INT64_C(1700000000000), E()));
  CHECK_OK(postwire_outgoing_set_persistent(outgoing, 1, E()));
  REQUIRE_OK(postwire_producer_send(producer, queue, outgoing, 4242, E()));
  REQUIRE_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  CHECK_OK(postwire_producer_in_flight(producer, &in_flight, E()));
  CHECK_U64(in_flight, 0);

  if (await_reports(client, &report, 1, WAIT_MS) == 1) {
    CHECK(report.token == 4242);
    CHECK_STR(report.id, id);
    CHECK_STR(report.destination, queue);
    CHECK(report.attempts >= 1);
    CHECK(report.latency_us >= 0);
    CHECK(!report.failed); /* postwire_event_error gave NULL */
  }

  REQUIRE_OK(postwire_client_subscribe(client, queue, 10, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  body_is(message, body, sizeof body);
  key_is(message, "order-42");
  CHECK_STR(message_id(message), id);
  CHECK_OK(postwire_message_content_type(message, &text, E()));
  CHECK_STR(text, "application/x-c-test");
  CHECK_OK(postwire_message_header_count(message, &count, E()));
  CHECK_U64(count, 3);
  if (count == 3) {
    CHECK_OK(postwire_message_header_at(message, 0, &name, &data, &size, E()));
    CHECK_STR(name, "x-bin");
    CHECK(size == sizeof binary_header && memcmp(data, binary_header, size) == 0);
    CHECK_OK(postwire_message_header_at(message, 1, &name, &data, &size, E()));
    CHECK_STR(name, "rep");
    CHECK(size == 5 && memcmp(data, "first", 5) == 0);
    CHECK_OK(postwire_message_header_at(message, 2, &name, &data, &size, E()));
    CHECK_STR(name, "rep");
    CHECK(size == 6 && memcmp(data, "second", 6) == 0);
  }
  name = NULL;
  CHECK_INVALID(postwire_message_header_at(message, count, &name, &data, &size, E()));
  CHECK(name == NULL);
  header_is(message, "rep", "first"); /* the first one of that name */
  CHECK_OK(postwire_message_header(message, "x-bin", &found, &data, &size, E()));
  CHECK(found == 1 && size == sizeof binary_header);
  CHECK_OK(postwire_message_header(message, "absent", &found, &data, &size, E()));
  CHECK(found == 0);
  CHECK_INVALID(postwire_message_header(message, NULL, &found, &data, &size, E()));
  CHECK_OK(postwire_message_source(message, &text, E()));
  CHECK_STR(text, queue);
  CHECK_OK(postwire_message_delivery_count(message, &delivery_count, E()));
  CHECK_U64(delivery_count, 1);
  CHECK_OK(postwire_message_redelivered(message, &redelivered, E()));
  CHECK_I64(redelivered, 0);
  CHECK_OK(postwire_message_priority(message, &priority, E()));
  CHECK_I64(priority, 7);
  CHECK_OK(postwire_message_timestamp(message, &timestamp, NULL));
  CHECK_I64(timestamp, INT64_C(1700000000000));
  CHECK_OK(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = poll_message(consumer, 500);
  CHECK(message == NULL); /* exactly once */
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* send_bytes, a reused outgoing message, postwire_outgoing_clear, an empty body. */
static void test_send_paths(const broker_t* broker) {
  enum { BIG = 100000, SENDS = 5 };
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  unsigned char* big = NULL;
  char queue[128], ids[SENDS + 1][128], text[64];
  report_t reports[SENDS];
  int seen[SENDS + 1];
  size_t i, got, size = 0;
  int64_t started_ms, timestamp = 0;
  const char* id;
  const void* data = NULL;
  int found = -1;

  memset(seen, 0, sizeof seen);
  memset(ids, 0, sizeof ids);
  big = malloc(BIG);
  REQUIRE(big != NULL);
  for (i = 0; i < BIG; ++i) { /* compressible, so the compressed path is taken too */
    big[i] = (unsigned char)(i % 251 == 0 ? 0 : 'a' + i % 26);
  }
  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "send-paths");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  started_ms = wall_ms();

  /* 1: send_bytes with a key. */
  CHECK_OK(postwire_producer_send_bytes(producer, queue, big, BIG, "kb", 2, 1, E()));
  /* 2: every field set; then 3: the same outgoing, refilled with only a body. */
  CHECK_OK(postwire_outgoing_set_body(outgoing, "full", 4, E()));
  CHECK_OK(postwire_outgoing_set_key(outgoing, "k2", 2, E()));
  CHECK_OK(postwire_outgoing_set_id(outgoing, "c-test-full-id", E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "h", "v", 1, E()));
  CHECK_OK(postwire_outgoing_set_content_type(outgoing, "text/plain", E()));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, 3, E()));
  CHECK_OK(postwire_outgoing_set_timestamp(outgoing, INT64_C(1700000000000), E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 2, E()));
  CHECK_OK(postwire_outgoing_set_body(outgoing, "reused", 6, E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 3, E()));
  /* 4: set, cleared, then a body. */
  CHECK_OK(postwire_outgoing_set_key(outgoing, "k4", 2, E()));
  CHECK_OK(postwire_outgoing_set_id(outgoing, "c-test-cleared-id", E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "h", "v", 1, E()));
  CHECK_OK(postwire_outgoing_set_content_type(outgoing, "text/plain", E()));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, 3, E()));
  CHECK_OK(postwire_outgoing_clear(outgoing, E()));
  CHECK_OK(postwire_outgoing_set_body(outgoing, "cleared", 7, E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 4, E()));
  /* 5: an empty body (NULL, 0). */
  CHECK_OK(postwire_outgoing_set_body(outgoing, NULL, 0, E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 5, E()));
  REQUIRE_OK(postwire_producer_flush(producer, WAIT_MS, E()));

  got = await_reports(client, reports, SENDS, WAIT_MS);
  for (i = 0; i < got; ++i) {
    if (CHECK(reports[i].token >= 1 && reports[i].token <= SENDS)) {
      CHECK(!reports[i].failed);
      snprintf(ids[reports[i].token], sizeof ids[0], "%s", reports[i].id);
    }
  }
  CHECK_STR(ids[2], "c-test-full-id");
  /* Assigned ids are UUIDv7. */
  CHECK(strlen(ids[1]) == 36 && ids[1][14] == '7');
  CHECK(strlen(ids[3]) == 36 && strcmp(ids[3], ids[2]) != 0);
  CHECK(strlen(ids[4]) == 36);

  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  for (got = 0; got < SENDS; ++got) {
    size_t which = 0;
    message = poll_message(consumer, WAIT_MS);
    REQUIRE(message != NULL);
    id = message_id(message);
    for (i = 1; i <= SENDS; ++i) {
      which = strcmp(id, ids[i]) == 0 ? i : which;
    }
    if (!CHECK(which != 0 && !seen[which])) {
      report_failure(__FILE__, __LINE__, "unexpected message id %s", id);
    } else {
      seen[which] = 1;
    }
    switch (which) {
      case 1:
        body_is(message, big, BIG);
        key_is(message, "kb");
        expect_default_fields(message);
        CHECK_OK(postwire_message_timestamp(message, &timestamp, E()));
        /* The time of send, in whole seconds. */
        CHECK(timestamp >= started_ms / 1000 * 1000 - 1000 && timestamp <= wall_ms() + 1000);
        break;
      case 2:
        CHECK_STR(body_text(message, text, sizeof text), "full");
        key_is(message, "k2");
        header_is(message, "h", "v");
        break;
      case 3: /* nothing of message 2 was left in the outgoing */
        CHECK_STR(body_text(message, text, sizeof text), "reused");
        CHECK(!key_equals(message, "k2")); /* empty keys: see test_no_key */
        CHECK_OK(postwire_message_header(message, "h", &found, &data, &size, E()));
        CHECK(found == 0);
        expect_default_fields(message);
        CHECK_OK(postwire_message_timestamp(message, &timestamp, E()));
        CHECK(timestamp != INT64_C(1700000000000) && timestamp > 0);
        break;
      case 4:
        CHECK_STR(body_text(message, text, sizeof text), "cleared");
        CHECK(!key_equals(message, "k4"));
        expect_default_fields(message);
        break;
      case 5:
        CHECK_OK(postwire_message_body(message, &data, &size, E()));
        CHECK_U64(size, 0);
        break;
      default:
        break;
    }
    CHECK_OK(postwire_message_ack(message, E()));
    postwire_message_destroy(message);
    message = NULL;
  }
out:
  free(big);
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* A message sent without a key has none when received ("size 0 when none"). */
static void test_no_key(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  char queue[128];
  int i;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "no-key");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  send_text(producer, queue, "send_bytes without key", NULL, 1);
  CHECK_OK(postwire_outgoing_set_body(outgoing, "outgoing without key", 20, E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 2, E()));
  REQUIRE(expect_confirmed(client, producer, 2));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  for (i = 0; i < 2; ++i) {
    message = poll_message(consumer, WAIT_MS);
    REQUIRE(message != NULL);
    key_is(message, "");
    CHECK_OK(postwire_message_ack(message, E()));
    postwire_message_destroy(message);
    message = NULL;
  }
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* A message acked before its consumer closes stays acked: it is not redelivered. */
static void test_ack_then_close(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  char queue[128];
  uint64_t messages = 99, removed = 99;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "ack-close");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  send_text(producer, queue, "acked", NULL, 1);
  REQUIRE(expect_confirmed(client, producer, 1));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  REQUIRE_OK(postwire_message_ack(message, E()));
  REQUIRE_OK(postwire_consumer_close(consumer, E()));
  CHECK_OK(
      postwire_client_declare_queue(client, queue, k_plain_queue, 2, NULL, &messages, NULL, E()));
  CHECK_U64(messages, 0);
  CHECK_OK(postwire_client_purge_queue(client, queue, &removed, E()));
  CHECK_U64(removed, 0);
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* nack, dead_letter, and settling twice. */
static void test_settlement(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  postwire_consumer* dlq_consumer = NULL;
  postwire_message* message = NULL;
  postwire_message* to_nack = NULL;
  postwire_message* to_dead_letter = NULL;
  char queue[128], dlq[160], text[64], nack_id[128], dead_id[128];
  const char* source = NULL;
  uint32_t delivery_count = 0;
  int i;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "settle");
  snprintf(dlq, sizeof dlq, "%s.dlq", queue);
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  send_text(producer, queue, "nack me", NULL, 1);
  send_text(producer, queue, "dead-letter me", NULL, 2);
  REQUIRE(expect_confirmed(client, producer, 2));

  REQUIRE_OK(postwire_client_subscribe(client, queue, 10, 0, &consumer, E()));
  for (i = 0; i < 2; ++i) {
    message = poll_message(consumer, WAIT_MS);
    REQUIRE(message != NULL);
    if (strcmp(body_text(message, text, sizeof text), "nack me") == 0) {
      to_nack = message;
    } else {
      to_dead_letter = message;
    }
    message = NULL;
  }
  REQUIRE(to_nack != NULL && to_dead_letter != NULL);
  snprintf(nack_id, sizeof nack_id, "%s", message_id(to_nack));
  snprintf(dead_id, sizeof dead_id, "%s", message_id(to_dead_letter));

  /* nack: a negative delay is refused (and settles nothing); delay 0 redelivers at once. */
  CHECK_INVALID(postwire_message_nack(to_nack, -5, E()));
  CHECK_OK(postwire_message_nack(to_nack, 0, E()));
  CHECK_INVALID(postwire_message_nack(to_nack, 0, E()));
  CHECK_INVALID(postwire_message_ack(to_nack, E()));
  CHECK_INVALID(postwire_message_dead_letter(to_nack, "late", E()));
  CHECK_INVALID(postwire_message_ack(to_nack, NULL));

  /* dead_letter: a NULL reason is refused (and settles nothing), then with a reason. */
  CHECK_INVALID(postwire_message_dead_letter(to_dead_letter, NULL, E()));
  CHECK_OK(postwire_message_dead_letter(to_dead_letter, "c-test: invalid order", E()));
  CHECK_INVALID(postwire_message_ack(to_dead_letter, E()));
  CHECK_INVALID(postwire_message_nack(to_dead_letter, 0, E()));

  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "nack me");
  CHECK_STR(message_id(message), nack_id);
  CHECK_OK(postwire_message_delivery_count(message, &delivery_count, E()));
  CHECK_U64(delivery_count, 2);
  CHECK_OK(postwire_message_ack(message, E()));
  CHECK_INVALID(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = poll_message(consumer, 500);
  CHECK(message == NULL); /* the dead-lettered one is gone from the queue */

  /* The dead-lettered message is on <queue>.dlq, which postwire declared. */
  dlq_consumer = subscribe_when_declared(client, dlq);
  REQUIRE(dlq_consumer != NULL);
  message = poll_message(dlq_consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(message_id(message), dead_id);
  CHECK_STR(body_text(message, text, sizeof text), "dead-letter me");
  header_is(message, "pw-dead-letter-reason", "c-test: invalid order");
  header_is(message, "pw-original-destination", queue);
  CHECK_OK(postwire_message_source(message, &source, E()));
  CHECK_STR(source, dlq);
  CHECK_OK(postwire_message_ack(message, E()));
out:
  postwire_message_destroy(message);
  postwire_message_destroy(to_nack);
  postwire_message_destroy(to_dead_letter);
  postwire_consumer_destroy(dlq_consumer);
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* The consumer's wakeup fd with poll(2), and poll_batch. */
static void test_consumer_fd_and_batch(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  postwire_message* batch[10];
  char queue[128], text[64], bodies[10][64];
  size_t count = 0, total = 0, i, j;
  uint64_t buffered = 0;
  int fd = -1;
  int64_t deadline;

  memset(batch, 0, sizeof batch);
  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "batch");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 20, 0, &consumer, E()));

  REQUIRE_OK(postwire_consumer_wakeup_fd(consumer, &fd, E()));
  REQUIRE(fd >= 0);
  CHECK(!readable_now(fd)); /* nothing waiting yet */
  send_text(producer, queue, "wake up", NULL, 1);
  CHECK(expect_confirmed(client, producer, 1));
  REQUIRE(wait_readable(fd, WAIT_MS));
  REQUIRE_OK(postwire_consumer_poll(consumer, 0, &message, E()));
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "wake up");
  CHECK_OK(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = NULL;
  CHECK(!readable_now(fd)); /* level-triggered: nothing waits any more */
  CHECK_OK(postwire_consumer_poll(consumer, 0, &message, E()));
  CHECK(message == NULL);

  /* Five messages waiting in the consumer: a batch of at most 2, then the other 3. */
  for (i = 0; i < 5; ++i) {
    snprintf(text, sizeof text, "batch %zu", i);
    send_text(producer, queue, text, NULL, 10 + i);
  }
  REQUIRE(expect_confirmed(client, producer, 5));
  deadline = now_ms() + WAIT_MS;
  while (stats_u64(client, "consumer_buffered", &buffered) && buffered < 5 && now_ms() < deadline) {
    pause_ms(10);
  }
  CHECK_U64(buffered, 5);
  CHECK(wait_readable(fd, 0));
  REQUIRE_OK(postwire_consumer_poll_batch(consumer, batch, 2, 1000, &count, E()));
  CHECK_U64(count, 2);
  total = count;
  while (total < 5) {
    REQUIRE_OK(
        postwire_consumer_poll_batch(consumer, batch + total, 10 - total, WAIT_MS, &count, E()));
    REQUIRE(count > 0);
    CHECK(total != 2 || count == 3); /* the three left, in one batch */
    total += count;
  }
  CHECK_U64(total, 5);
  for (i = 0; i < total; ++i) {
    REQUIRE(batch[i] != NULL);
    body_text(batch[i], bodies[i], sizeof bodies[i]);
    for (j = 0; j < i; ++j) {
      CHECK(strcmp(bodies[i], bodies[j]) != 0);
    }
    CHECK(strncmp(bodies[i], "batch ", 6) == 0);
    CHECK_OK(postwire_message_ack(batch[i], E()));
  }
  CHECK_OK(postwire_consumer_poll_batch(consumer, batch + 5, 5, 0, &count, E()));
  CHECK_U64(count, 0);
  CHECK_INVALID(postwire_consumer_poll_batch(consumer, NULL, 5, 0, &count, E()));
  CHECK_INVALID(postwire_consumer_poll_batch(consumer, batch + 5, 5, 0, NULL, E()));
  CHECK_INVALID(postwire_consumer_poll(consumer, 0, NULL, E()));
  CHECK_INVALID(postwire_consumer_wakeup_fd(consumer, NULL, E()));
out:
  for (i = 0; i < 10; ++i) {
    postwire_message_destroy(batch[i]);
  }
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* The client's wakeup fd drives an event loop: poll(2), then postwire_client_poll. */
static void test_event_loop(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  char queue[128];
  int fd = -1, seen[3] = {0, 0, 0};
  size_t reports = 0, in_flight = 99;
  int64_t deadline;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "eventloop");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_client_wakeup_fd(client, &fd, E()));
  REQUIRE(fd >= 0);
  drain_events(client);
  CHECK(!readable_now(fd));

  send_text(producer, queue, "loop 1", NULL, 11);
  send_text(producer, queue, "loop 2", NULL, 12);
  send_text(producer, queue, "loop 3", NULL, 13);
  deadline = now_ms() + WAIT_MS;
  while (reports < 3 && now_ms() < deadline) {
    postwire_event* events[16];
    size_t count = 0, i;
    if (!CHECK(wait_readable(fd, deadline - now_ms()))) {
      break;
    }
    REQUIRE_OK(postwire_client_poll(client, events, 16, 0, &count, E()));
    CHECK(count >= 1); /* readable means something is waiting */
    for (i = 0; i < count; ++i) {
      int32_t type = 0;
      if (CHECK_OK(postwire_event_type_of(events[i], &type, E())) &&
          type == POSTWIRE_EVENT_DELIVERY_REPORT) {
        report_t report;
        read_report(events[i], &report);
        CHECK(!report.failed);
        if (CHECK(report.token >= 11 && report.token <= 13)) {
          CHECK(!seen[report.token - 11]);
          seen[report.token - 11] = 1;
          ++reports;
        }
      }
      postwire_event_destroy(events[i]);
    }
  }
  CHECK_U64(reports, 3);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  CHECK_OK(postwire_producer_in_flight(producer, &in_flight, E()));
  CHECK_U64(in_flight, 0);
  drain_events(client);
  CHECK(!readable_now(fd));
  CHECK_INVALID(postwire_client_wakeup_fd(client, NULL, E()));
out:
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* Once the application holds a message's delivery report, the message is no longer in
 * flight ("sent and not yet reported"). Repeated, because a wrong order inside the library
 * shows only now and then. */
static void test_in_flight_after_reports(const broker_t* broker) {
  enum { ROUNDS = 50 };
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  char queue[128];
  report_t report;
  size_t in_flight = 0;
  int round, violations = 0, first = -1;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "in-flight");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  for (round = 0; round < ROUNDS; ++round) {
    REQUIRE(send_text(producer, queue, "counted", NULL, (uint64_t)round + 1));
    REQUIRE(await_reports(client, &report, 1, WAIT_MS) == 1);
    CHECK(!report.failed && report.token == (uint64_t)round + 1);
    REQUIRE_OK(postwire_producer_in_flight(producer, &in_flight, E()));
    if (in_flight != 0) {
      violations += 1;
      first = first < 0 ? round : first;
    }
  }
  if (violations != 0) {
    report_failure(__FILE__, __LINE__,
                   "in %d of %d rounds postwire_producer_in_flight was nonzero after the only "
                   "message's delivery report had been polled (first in round %d)",
                   violations, ROUNDS, first);
  }
out:
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* POSTWIRE_SUBSCRIBE_TO_EVENTS: messages arrive as events on the client. */
static void test_subscribe_to_events(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  postwire_message* batch[2];
  char queue[128], text[64];
  const char* source = NULL;
  int seen[3] = {0, 0, 0};
  size_t message_events = 0, count = 99;
  int64_t deadline;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "to-events");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(
      postwire_client_subscribe(client, queue, 0, POSTWIRE_SUBSCRIBE_TO_EVENTS, &consumer, E()));
  CHECK_INVALID(postwire_consumer_poll(consumer, 0, &message, E()));
  CHECK(message == NULL);
  CHECK_INVALID(postwire_consumer_poll_batch(consumer, batch, 2, 0, &count, E()));
  CHECK_U64(count, 99);

  send_text(producer, queue, "event 0", NULL, 1);
  send_text(producer, queue, "event 1", NULL, 2);
  send_text(producer, queue, "event 2", NULL, 3);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  deadline = now_ms() + WAIT_MS;
  while (message_events < 3 && now_ms() < deadline) {
    postwire_event* events[16];
    size_t n = 0, i;
    REQUIRE_OK(postwire_client_poll(client, events, 16, 100, &n, E()));
    for (i = 0; i < n; ++i) {
      int32_t type = 0;
      CHECK_OK(postwire_event_type_of(events[i], &type, E()));
      if (type == POSTWIRE_EVENT_MESSAGE) {
        ++message_events;
        CHECK_INVALID(postwire_event_delivery_report(events[i], NULL, NULL, NULL, NULL, NULL, E()));
        if (message_events == 3) {
          /* Left inside: destroyed together with its event, unsettled. */
          postwire_event_destroy(events[i]);
          continue;
        }
        message = NULL;
        if (CHECK_OK(postwire_event_take_message(events[i], &message, E())) &&
            CHECK(message != NULL)) {
          postwire_message* again = NULL;
          CHECK_INVALID(postwire_event_take_message(events[i], &again, E()));
          CHECK(again == NULL);
          body_text(message, text, sizeof text);
          if (CHECK(strncmp(text, "event ", 6) == 0 && text[6] >= '0' && text[6] <= '2')) {
            CHECK(!seen[text[6] - '0']);
            seen[text[6] - '0'] = 1;
          }
          CHECK_OK(postwire_message_source(message, &source, E()));
          CHECK_STR(source, queue);
          CHECK_OK(postwire_message_ack(message, E()));
          postwire_message_destroy(message);
          message = NULL;
        }
      }
      postwire_event_destroy(events[i]);
    }
  }
  CHECK_U64(message_events, 3);
  CHECK_OK(postwire_consumer_close(consumer, E()));
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* POSTWIRE_SUBSCRIBE_EXCLUSIVE refuses a second consumer on the queue. */
static void test_exclusive(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_client* other = NULL;
  postwire_consumer* first = NULL;
  postwire_consumer* second = NULL;
  char queue[128];
  postwire_code code;
  int64_t deadline;

  client = connect_default(broker);
  other = connect_default(broker);
  REQUIRE(client != NULL && other != NULL);
  new_queue_name(queue, sizeof queue, "exclusive");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(
      postwire_client_subscribe(client, queue, 0, POSTWIRE_SUBSCRIBE_EXCLUSIVE, &first, E()));

  code = postwire_client_subscribe(other, queue, 0, 0, &second, E());
  g_err_armed = 0;
  CHECK(code == POSTWIRE_ERR_RESOURCE_LOCKED || code == POSTWIRE_ERR_ACCESS_DENIED);
  CHECK(postwire_error_code(g_err) == code);
  CHECK_CONTAINS(err_text(), queue);
  CHECK(second == NULL);
  /* The same client is refused as well. */
  code = postwire_client_subscribe(client, queue, 0, 0, &second, E());
  g_err_armed = 0;
  CHECK(code == POSTWIRE_ERR_RESOURCE_LOCKED || code == POSTWIRE_ERR_ACCESS_DENIED);
  CHECK(second == NULL);

  /* Once the exclusive consumer is gone, others may consume. */
  CHECK_OK(postwire_consumer_close(first, E()));
  deadline = now_ms() + WAIT_MS;
  for (;;) {
    code = postwire_client_subscribe(other, queue, 0, 0, &second, E());
    g_err_armed = 0;
    if (code == POSTWIRE_OK || now_ms() > deadline) {
      break;
    }
    pause_ms(50);
  }
  CHECK(code == POSTWIRE_OK && second != NULL);
out:
  postwire_consumer_destroy(second);
  postwire_consumer_destroy(first);
  postwire_client_destroy(other);
  postwire_client_destroy(client);
}

static void test_stats_and_capabilities(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  char queue[128];
  char* json = NULL;
  uint64_t capabilities = 0, confirmed = 0;
  size_t in_flight = 99;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "stats");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  send_text(producer, queue, "counted 1", NULL, 1);
  send_text(producer, queue, "counted 2", NULL, 2);
  REQUIRE(expect_confirmed(client, producer, 2));
  CHECK_OK(postwire_producer_in_flight(producer, &in_flight, E()));
  CHECK_U64(in_flight, 0);
  CHECK_INVALID(postwire_producer_in_flight(producer, NULL, E()));

  REQUIRE_OK(postwire_client_stats(client, &json, E()));
  REQUIRE(json != NULL);
  CHECK(json[0] == '{' && json[strlen(json) - 1] == '}');
  CHECK_CONTAINS(json, "\"sent\":");
  CHECK_CONTAINS(json, "\"confirmed\":");
  CHECK(json_u64(json, "confirmed", &confirmed) && confirmed >= 2);
  CHECK(strstr(json, queue) == NULL && strstr(json, "127.0.0.1") == NULL); /* counts only */
  postwire_free(json);
  json = NULL;
  CHECK_OK(postwire_client_stats(client, &json, NULL));
  postwire_free(json);
  json = NULL;
  CHECK_INVALID(postwire_client_stats(client, NULL, E()));

  REQUIRE_OK(postwire_client_capabilities(client, &capabilities, E()));
  CHECK((capabilities & POSTWIRE_CAP_EXCHANGES) != 0);
  CHECK((capabilities & POSTWIRE_CAP_EXCLUSIVE_CONSUMERS) != 0);
  CHECK((capabilities & POSTWIRE_CAP_DELAYED_NACK) != 0);
  /* RabbitMQ has no partitions, seeking, groups, FIFO queues, native delays or leases. */
  CHECK((capabilities &
         (POSTWIRE_CAP_PARTITIONS | POSTWIRE_CAP_SEEK | POSTWIRE_CAP_CONSUMER_GROUPS |
          POSTWIRE_CAP_FIFO | POSTWIRE_CAP_NATIVE_DELAY | POSTWIRE_CAP_VISIBILITY_EXTENSION)) == 0);
  CHECK((capabilities & ~(uint64_t)0x3fff) == 0); /* only bits this header knows */
  CHECK_INVALID(postwire_client_capabilities(client, NULL, E()));
out:
  postwire_free(json);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* Failures of sends and subscriptions. */
static void test_send_errors(const broker_t* broker) {
  static const char* const small_messages[] = {"message.max.bytes", "1024"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  char queue[128], missing_queue[128], missing_exchange[128], destination[160], text[64];
  char large[2048];
  report_t reports[2];
  size_t i;

  memset(large, 'x', sizeof large);
  client = connect_with(broker, small_messages, 1);
  REQUIRE(client != NULL);
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));

  /* Nothing receives them: the reports carry the error. */
  unique_name(missing_queue, sizeof missing_queue, "missing");
  unique_name(missing_exchange, sizeof missing_exchange, "no-exchange");
  snprintf(destination, sizeof destination, "exchange/%s", missing_exchange);
  send_text(producer, missing_queue, "nowhere to go", "order.created", 1);
  send_text(producer, destination, "nowhere to go", "order.created", 2);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  if (await_reports(client, reports, 2, 30000) == 2) {
    for (i = 0; i < 2; ++i) {
      CHECK(reports[i].failed);
      CHECK(reports[i].message[0] != '\0');
      CHECK(reports[i].retriable == 0 || reports[i].retriable == 1);
      CHECK(reports[i].fatal == 0);
      if (reports[i].token == 1) {
        CHECK(reports[i].code == POSTWIRE_ERR_UNROUTABLE ||
              reports[i].code == POSTWIRE_ERR_NOT_FOUND);
        CHECK_CONTAINS(reports[i].message, missing_queue);
        CHECK_STR(reports[i].destination, missing_queue);
      } else {
        CHECK(reports[i].code == POSTWIRE_ERR_NOT_FOUND);
        CHECK_CONTAINS(reports[i].message, missing_exchange);
      }
    }
  }

  /* Subscribing to a queue that does not exist. */
  CHECK_CODE(postwire_client_subscribe(client, missing_queue, 0, 0, &consumer, E()),
             POSTWIRE_ERR_NOT_FOUND);
  CHECK_CONTAINS(err_text(), missing_queue);
  CHECK(consumer == NULL);
  CHECK_INVALID(postwire_client_subscribe(client, NULL, 0, 0, &consumer, E()));
  CHECK_INVALID(postwire_client_subscribe(client, "", 0, 0, &consumer, E()));

  /* Larger than message.max.bytes: refused at send, naming size and limit. */
  new_queue_name(queue, sizeof queue, "errors");
  REQUIRE(declare_plain(client, queue));
  CHECK_CODE(postwire_producer_send_bytes(producer, queue, large, sizeof large, NULL, 0, 3, E()),
             POSTWIRE_ERR_MESSAGE_TOO_LARGE);
  CHECK_CONTAINS(err_text(), "2048");
  CHECK_CONTAINS(err_text(), "1024");
  CHECK_OK(postwire_outgoing_set_key(outgoing, "kept-key", 8, E()));
  CHECK_OK(postwire_outgoing_add_header(outgoing, "kept", "yes", 3, E()));
  CHECK_OK(postwire_outgoing_set_body(outgoing, large, sizeof large, E()));
  CHECK_CODE(postwire_producer_send(producer, queue, outgoing, 4, E()),
             POSTWIRE_ERR_MESSAGE_TOO_LARGE);
  /* A failed send leaves the message as it was: only the body changes now. */
  CHECK_OK(postwire_outgoing_set_body(outgoing, "fits", 4, E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 5, E()));
  CHECK(expect_confirmed(client, producer, 1));

  /* Destinations that cannot be. */
  CHECK_INVALID(postwire_producer_send(producer, NULL, outgoing, 6, E()));
  CHECK_INVALID(postwire_producer_send(producer, queue, NULL, 6, E()));
  CHECK_INVALID(postwire_producer_send_bytes(producer, "", "x", 1, NULL, 0, 6, E()));
  CHECK_INVALID(postwire_producer_send_bytes(producer, queue, NULL, 5, NULL, 0, 6, E()));
  CHECK_INVALID(postwire_producer_send_bytes(producer, queue, "x", 1, NULL, 3, 6, E()));
  CHECK_INVALID(postwire_producer_send(producer, (const char*)0, outgoing, 6, NULL));

  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "fits");
  key_is(message, "kept-key");
  header_is(message, "kept", "yes");
  CHECK_OK(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = poll_message(consumer, 500);
  CHECK(message == NULL); /* nothing of the refused sends arrived */
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* Log, connection and consumer events and their accessors; accessors of the wrong kind. */
static void check_wrong_kinds(postwire_event* event, int32_t type) {
  int32_t i32 = 0;
  int flag = 0;
  const char* a = NULL;
  const char* b = NULL;
  postwire_message* message = NULL;
  if (type != POSTWIRE_EVENT_DELIVERY_REPORT) {
    CHECK_INVALID(postwire_event_delivery_report(event, NULL, NULL, NULL, NULL, NULL, E()));
  }
  if (type != POSTWIRE_EVENT_MESSAGE) {
    CHECK_INVALID(postwire_event_take_message(event, &message, E()));
    CHECK(message == NULL);
  }
  if (type != POSTWIRE_EVENT_LOG) {
    CHECK_INVALID(postwire_event_log(event, &i32, &a, &b, E()));
  }
  if (type != POSTWIRE_EVENT_CONSUMER) {
    CHECK_INVALID(postwire_event_consumer(event, &a, &i32, E()));
  }
  if (type != POSTWIRE_EVENT_FLOW) {
    CHECK_INVALID(postwire_event_flow(event, &flag, &a, E()));
  }
  if (type != POSTWIRE_EVENT_CONNECTION) {
    CHECK_INVALID(postwire_event_connection(event, &i32, &a, E()));
  }
  CHECK(a == NULL && b == NULL);
}

static void test_events(const broker_t* broker) {
  static const char* const debug[] = {"log.level", "debug", "client.id", "c-test-events"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  char queue[128], queue2[128];
  int logs = 0, connected = 0, cancelled = 0, closed = 0, reports = 0, connected_log = 0;
  int64_t deadline;

  client = connect_with(broker, debug, 2);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "events");
  new_queue_name(queue2, sizeof queue2, "events-reports");
  REQUIRE(declare_plain(client, queue));
  REQUIRE(declare_plain(client, queue2));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  send_text(producer, queue2, "reported", NULL, 77);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  /* Deleting the queue under the consumer makes the broker cancel it. */
  REQUIRE_OK(postwire_client_delete_queue(client, queue, NULL, 0, NULL, E()));

  deadline = now_ms() + 30000;
  while ((!connected || !connected_log || !cancelled || !reports) && now_ms() < deadline) {
    postwire_event* events[32];
    size_t n = 0, i;
    REQUIRE_OK(postwire_client_poll(client, events, 32, 100, &n, E()));
    for (i = 0; i < n; ++i) {
      int32_t type = 0, i32 = -1;
      const char *a = NULL, *b = NULL;
      const postwire_error* carried = NULL;
      CHECK_OK(postwire_event_type_of(events[i], &type, E()));
      CHECK(type >= POSTWIRE_EVENT_DELIVERY_REPORT && type <= POSTWIRE_EVENT_CONNECTION);
      CHECK_OK(postwire_event_error(events[i], &carried, E()));
      switch (type) {
        case POSTWIRE_EVENT_LOG:
          if (CHECK_OK(postwire_event_log(events[i], &i32, &a, &b, E()))) {
            CHECK(i32 >= POSTWIRE_LOG_DEBUG && i32 <= POSTWIRE_LOG_ERROR); /* log.level=debug */
            CHECK(a != NULL && a[0] != '\0');
            CHECK(b != NULL && b[0] != '\0');
            if (a != NULL && b != NULL && strcmp(a, "amqp") == 0 &&
                strstr(b, "connected to") != NULL) {
              connected_log = 1;
              CHECK(i32 == POSTWIRE_LOG_INFO);
              CHECK(strstr(b, "guest:") == NULL);
            }
          }
          if (logs++ == 0) {
            check_wrong_kinds(events[i], type);
          }
          break;
        case POSTWIRE_EVENT_CONNECTION:
          if (CHECK_OK(postwire_event_connection(events[i], &i32, &a, E()))) {
            CHECK(i32 == POSTWIRE_CONNECTION_CONNECTED);
            CHECK(a != NULL && strchr(a, ':') != NULL && strchr(a, '@') == NULL);
            CHECK(carried == NULL);
          }
          check_wrong_kinds(events[i], type);
          connected = 1;
          break;
        case POSTWIRE_EVENT_CONSUMER:
          if (CHECK_OK(postwire_event_consumer(events[i], &a, &i32, E())) && CHECK(a != NULL) &&
              strcmp(a, queue) == 0 && i32 == POSTWIRE_CONSUMER_CANCELLED) {
            cancelled = 1;
            if (CHECK(carried != NULL)) { /* why it was cancelled */
              CHECK(postwire_error_code(carried) != POSTWIRE_OK);
              CHECK(postwire_error_message(carried)[0] != '\0');
            }
            check_wrong_kinds(events[i], type);
          }
          break;
        case POSTWIRE_EVENT_DELIVERY_REPORT:
          check_wrong_kinds(events[i], type);
          CHECK(carried == NULL);
          reports = 1;
          break;
        default:
          break;
      }
      postwire_event_destroy(events[i]);
    }
  }
  CHECK(logs > 0);
  CHECK(connected_log);
  CHECK(connected);
  CHECK(cancelled);
  CHECK(reports);
  CHECK_OK(postwire_consumer_close(consumer, E()));

  /* Events queued at close can still be polled: the connection's closed state. */
  REQUIRE_OK(postwire_client_close(client, WAIT_MS, E()));
  deadline = now_ms() + WAIT_MS;
  while (!closed && now_ms() < deadline) {
    postwire_event* events[32];
    size_t n = 0, i;
    if (!CHECK_OK(postwire_client_poll(client, events, 32, 100, &n, E()))) {
      break;
    }
    for (i = 0; i < n; ++i) {
      int32_t type = 0, state = -1;
      const char* where = NULL;
      CHECK_OK(postwire_event_type_of(events[i], &type, E()));
      if (type == POSTWIRE_EVENT_CONNECTION &&
          CHECK_OK(postwire_event_connection(events[i], &state, &where, E())) &&
          state == POSTWIRE_CONNECTION_CLOSED) {
        closed = 1;
      }
      postwire_event_destroy(events[i]);
    }
    if (n == 0 && !closed) {
      break; /* nothing more will come */
    }
  }
  CHECK(closed);
out:
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* Use after close, closing twice, settling after the consumer went. */
static void test_closed(const broker_t* broker) {
  static const char* const topic[] = {"type", "topic", "durable", "false"};
  postwire_client* client = NULL;
  postwire_client* second = NULL;
  postwire_producer* producer = NULL;
  postwire_producer* orphan = NULL;
  postwire_producer* late = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_consumer* again = NULL;
  postwire_consumer* late_consumer = NULL;
  postwire_message* message = NULL;
  postwire_message* redelivered_message = NULL;
  char queue[128], id[128];
  uint32_t delivery_count = 0;
  uint64_t u64 = 0;
  int redelivered = 0;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "closed");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  send_text(producer, queue, "held", NULL, 1);
  REQUIRE(expect_confirmed(client, producer, 1));

  /* A consumer closed twice; its message can no longer be settled. */
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  snprintf(id, sizeof id, "%s", message_id(message));
  CHECK_OK(postwire_consumer_close(consumer, E()));
  CHECK_CODE(postwire_consumer_close(consumer, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_consumer_close(consumer, NULL), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_message_ack(message, E()), POSTWIRE_ERR_CLOSED);
  postwire_message_destroy(message);
  message = NULL;

  /* The broker gives the unsettled message to the next consumer, flagged redelivered. */
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &again, E()));
  redelivered_message = poll_message(again, WAIT_MS);
  REQUIRE(redelivered_message != NULL);
  CHECK_STR(message_id(redelivered_message), id);
  CHECK_OK(postwire_message_redelivered(redelivered_message, &redelivered, E()));
  CHECK_I64(redelivered, 1);
  CHECK_OK(postwire_message_delivery_count(redelivered_message, &delivery_count, E()));
  CHECK(delivery_count >= 2);

  /* The client closed: twice is an error, and so is everything but polling queued events. */
  CHECK_OK(postwire_client_close(client, WAIT_MS, E()));
  CHECK_CODE(postwire_client_close(client, -1, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_close(client, -1, NULL), POSTWIRE_ERR_CLOSED);
  CHECK_OK(postwire_outgoing_set_body(outgoing, "too late", 8, E()));
  CHECK_CODE(postwire_producer_send(producer, queue, outgoing, 2, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_producer_send_bytes(producer, queue, "late", 4, NULL, 0, 3, E()),
             POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_producer_flush(producer, 0, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_subscribe(client, queue, 0, 0, &late_consumer, E()),
             POSTWIRE_ERR_CLOSED);
  CHECK(late_consumer == NULL);
  CHECK_CODE(postwire_client_producer(client, &late, E()), POSTWIRE_ERR_CLOSED);
  CHECK(late == NULL);
  CHECK_CODE(postwire_client_declare_queue(client, queue, k_plain_queue, 2, NULL, NULL, NULL, E()),
             POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_declare_exchange(client, "c-test-late", topic, 2, E()),
             POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_bind(client, "c-test-late", queue, NULL, 0, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_unbind(client, "c-test-late", queue, NULL, 0, E()),
             POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_purge_queue(client, queue, &u64, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_delete_queue(client, queue, NULL, 0, &u64, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_delete_exchange(client, "c-test-late", NULL, 0, E()),
             POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_client_capabilities(client, &u64, E()), POSTWIRE_ERR_CLOSED);
  /* The consumers stopped with the client. */
  CHECK_CODE(postwire_message_ack(redelivered_message, E()), POSTWIRE_ERR_CLOSED);
  CHECK_CODE(postwire_consumer_poll(again, 0, &message, E()), POSTWIRE_ERR_CLOSED);
  CHECK(message == NULL);
  drain_events(client);

  /* A producer outlives its destroyed client: sending then fails with closed. */
  second = connect_default(broker);
  REQUIRE(second != NULL);
  REQUIRE_OK(postwire_client_producer(second, &orphan, E()));
  postwire_client_destroy(second);
  second = NULL;
  CHECK_CODE(postwire_producer_send_bytes(orphan, queue, "orphan", 6, NULL, 0, 4, E()),
             POSTWIRE_ERR_CLOSED);
out:
  postwire_message_destroy(message);
  postwire_message_destroy(redelivered_message);
  postwire_consumer_destroy(late_consumer);
  postwire_consumer_destroy(again);
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(late);
  postwire_producer_destroy(orphan);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(second);
  postwire_client_destroy(client);
}

/* In a forked child every call on the inherited client fails with forked_process, and
 * destroying it returns; the parent goes on. */
enum {
  CHILD_SEND = 1 << 0,
  CHILD_SEND_BYTES = 1 << 1,
  CHILD_POLL = 1 << 2,
  CHILD_DECLARE = 1 << 3,
  CHILD_SUBSCRIBE = 1 << 4,
  CHILD_FLUSH = 1 << 5
};

static int child_expect_forked(postwire_code code, postwire_error* error, const char* what) {
  int ok = code == POSTWIRE_ERR_FORKED_PROCESS && error != NULL &&
           postwire_error_code(error) == POSTWIRE_ERR_FORKED_PROCESS &&
           postwire_error_message(error)[0] != '\0';
  if (!ok) {
    fprintf(stderr, "  [fork child] %s returned %s (%s), expected forked_process\n", what,
            postwire_code_name(code), error != NULL ? postwire_error_message(error) : "no error");
  }
  postwire_error_destroy(error);
  return ok;
}

/* Ends the child with `status`. Under valgrind the child's leak check would report what a
 * forked child cannot free by design (the parent's IO thread state, left alone by
 * postwire_client_destroy) and replace the status with --error-exitcode; a shell that exits
 * with the status replaces the child's image instead, so no leak check runs for it. */
static void child_exit(int status) {
  const char* preload = getenv("LD_PRELOAD");
  if (preload != NULL && strstr(preload, "vgpreload") != NULL) {
    char command[32];
    snprintf(command, sizeof command, "exit %d", status);
    execl("/bin/sh", "sh", "-c", command, (char*)NULL);
  }
  _exit(status);
}

static void run_child(postwire_client* client, postwire_producer* producer,
                      postwire_outgoing* outgoing, const char* queue) {
  int failed = 0;
  postwire_error* error = NULL;
  postwire_event* events[4];
  postwire_consumer* consumer = NULL;
  char* name = NULL;
  size_t count = 0;
  postwire_code code;

  postwire_outgoing_set_body(outgoing, "from the child", 14, NULL);
  code = postwire_producer_send(producer, queue, outgoing, 99, &error);
  if (!child_expect_forked(code, error, "postwire_producer_send")) {
    failed |= CHILD_SEND;
  }
  error = NULL;
  code = postwire_producer_send_bytes(producer, queue, "child", 5, NULL, 0, 98, &error);
  if (!child_expect_forked(code, error, "postwire_producer_send_bytes")) {
    failed |= CHILD_SEND_BYTES;
  }
  error = NULL;
  code = postwire_client_poll(client, events, 4, 0, &count, &error);
  if (!child_expect_forked(code, error, "postwire_client_poll")) {
    failed |= CHILD_POLL;
  }
  error = NULL;
  code = postwire_client_declare_queue(client, queue, k_plain_queue, 2, &name, NULL, NULL, &error);
  if (!child_expect_forked(code, error, "postwire_client_declare_queue")) {
    failed |= CHILD_DECLARE;
  }
  error = NULL;
  code = postwire_client_subscribe(client, queue, 0, 0, &consumer, &error);
  if (!child_expect_forked(code, error, "postwire_client_subscribe")) {
    failed |= CHILD_SUBSCRIBE;
  }
  error = NULL;
  code = postwire_producer_flush(producer, 1000, &error);
  if (!child_expect_forked(code, error, "postwire_producer_flush")) {
    failed |= CHILD_FLUSH;
  }
  postwire_free(name);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client); /* must not hang nor touch the parent's connection */
  child_exit(failed == 0 ? 0 : 64 + failed);
}

static void test_fork(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  char queue[128], text[64];
  pid_t child, waited = 0;
  int status = 0;
  int64_t deadline;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "fork");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  send_text(producer, queue, "before fork", NULL, 1);
  REQUIRE(expect_confirmed(client, producer, 1));

  fflush(NULL);
  child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    run_child(client, producer, outgoing, queue); /* does not return */
  }
  deadline = now_ms() + 60000;
  while ((waited = waitpid(child, &status, WNOHANG)) == 0 && now_ms() < deadline) {
    pause_ms(20);
  }
  if (waited == 0) {
    report_failure(__FILE__, __LINE__,
                   "the child did not exit within 60 s "
                   "(postwire_client_destroy in a forked child hangs?)");
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
  } else if (CHECK(waited == child) && CHECK(WIFEXITED(status))) {
    int code = WEXITSTATUS(status);
    if (code != 0) {
      report_failure(__FILE__, __LINE__, "the child exited with %d:%s%s%s%s%s%s%s", code,
                     code >= 64 && (code & CHILD_SEND) ? " send" : "",
                     code >= 64 && (code & CHILD_SEND_BYTES) ? " send_bytes" : "",
                     code >= 64 && (code & CHILD_POLL) ? " client_poll" : "",
                     code >= 64 && (code & CHILD_DECLARE) ? " declare_queue" : "",
                     code >= 64 && (code & CHILD_SUBSCRIBE) ? " subscribe" : "",
                     code >= 64 && (code & CHILD_FLUSH) ? " flush" : "",
                     code >= 64 ? " did not fail with forked_process" : " (crashed or valgrind?)");
    }
  } else if (WIFSIGNALED(status)) {
    report_failure(__FILE__, __LINE__, "the child died of signal %d", WTERMSIG(status));
  }

  /* The parent's client is untouched. */
  CHECK_OK(postwire_outgoing_set_body(outgoing, "after fork", 10, E()));
  CHECK_OK(postwire_producer_send(producer, queue, outgoing, 2, E()));
  CHECK(expect_confirmed(client, producer, 1));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "before fork");
  CHECK_OK(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "after fork");
  CHECK_OK(postwire_message_ack(message, E()));
  postwire_message_destroy(message);
  message = poll_message(consumer, 500);
  CHECK(message == NULL); /* the child sent nothing */
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* A RabbitMQ message has no position: every field reads as absent. */
static void check_no_position(const postwire_message* message) {
  int32_t partition = 0;
  int64_t offset = 0, broker_ms = 0;
  const char* broker_id = NULL;
  const char* sequence = NULL;
  if (CHECK_OK(postwire_message_position(message, &partition, &offset, &broker_ms, &broker_id,
                                         &sequence, E()))) {
    CHECK_I64(partition, -1);
    CHECK_I64(offset, -1);
    CHECK_I64(broker_ms, -1);
    CHECK_STR(broker_id, "");
    CHECK_STR(sequence, "");
  }
  /* Every out-parameter may be NULL. */
  CHECK_OK(postwire_message_position(message, NULL, NULL, NULL, NULL, NULL, E()));
}

/* Two consumers of one queue: each message names the consumer it went to, on its own poll and
 * as a client event, and no message reaches both. */
static void test_consumer_identity(const broker_t* broker) {
  enum { kMessages = 20 };
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* polled[2] = {NULL, NULL};
  postwire_consumer* as_events[2] = {NULL, NULL};
  postwire_message* message = NULL;
  char queue[128], events_queue[128], body[32];
  uint64_t polled_id[2] = {0, 0}, event_id[2] = {0, 0}, id = 0;
  int seen[kMessages];
  size_t got = 0, per_consumer[2] = {0, 0}, i;
  int64_t deadline;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "identity");
  new_queue_name(events_queue, sizeof events_queue, "identity-events");
  REQUIRE(declare_plain(client, queue) && declare_plain(client, events_queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  for (i = 0; i < 2; ++i) {
    REQUIRE_OK(postwire_client_subscribe(client, queue, 1, 0, &polled[i], E()));
    REQUIRE_OK(postwire_consumer_id(polled[i], &polled_id[i], E()));
    REQUIRE_OK(postwire_client_subscribe(client, events_queue, 1, POSTWIRE_SUBSCRIBE_TO_EVENTS,
                                         &as_events[i], E()));
    REQUIRE_OK(postwire_consumer_id(as_events[i], &event_id[i], E()));
  }
  CHECK(polled_id[0] != polled_id[1] && event_id[0] != event_id[1]);
  CHECK(polled_id[0] != event_id[0] && polled_id[1] != event_id[1]);
  CHECK_INVALID(postwire_consumer_id(polled[0], NULL, E()));

  for (i = 0; i < kMessages; ++i) {
    snprintf(body, sizeof body, "%zu", i);
    send_text(producer, queue, body, NULL, i);
    send_text(producer, events_queue, body, NULL, 100 + i);
  }
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));

  /* Polled: prefetch 1 each, so both get some; each message carries its consumer's id. */
  memset(seen, 0, sizeof seen);
  deadline = now_ms() + WAIT_MS;
  while (got < kMessages && now_ms() < deadline) {
    for (i = 0; i < 2; ++i) {
      message = poll_message(polled[i], 20);
      if (message == NULL) {
        continue;
      }
      CHECK_OK(postwire_message_consumer_id(message, &id, E()));
      CHECK_U64(id, polled_id[i]);
      check_no_position(message);
      body_text(message, body, sizeof body);
      if (CHECK(atoi(body) >= 0 && atoi(body) < kMessages) && CHECK(!seen[atoi(body)])) {
        seen[atoi(body)] = 1;
      }
      CHECK_OK(postwire_message_ack(message, E()));
      postwire_message_destroy(message);
      message = NULL;
      ++got;
      ++per_consumer[i];
    }
  }
  CHECK_U64(got, kMessages);
  CHECK(per_consumer[0] > 0 && per_consumer[1] > 0);

  /* As client events: the event names the consumer, before and after the message is taken. */
  memset(seen, 0, sizeof seen);
  got = 0;
  per_consumer[0] = per_consumer[1] = 0;
  deadline = now_ms() + WAIT_MS;
  while (got < kMessages && now_ms() < deadline) {
    postwire_event* events[8];
    size_t n = 0, k;
    REQUIRE_OK(postwire_client_poll(client, events, 8, 100, &n, E()));
    for (k = 0; k < n; ++k) {
      int32_t type = 0;
      uint64_t before = 0, after = 0, carried = 0;
      CHECK_OK(postwire_event_type_of(events[k], &type, E()));
      if (type != POSTWIRE_EVENT_MESSAGE) {
        if (type == POSTWIRE_EVENT_DELIVERY_REPORT) {
          CHECK_INVALID(postwire_event_consumer_id(events[k], &before, E()));
        }
        postwire_event_destroy(events[k]);
        continue;
      }
      CHECK_OK(postwire_event_consumer_id(events[k], &before, E()));
      if (CHECK_OK(postwire_event_take_message(events[k], &message, E()))) {
        CHECK_OK(postwire_event_consumer_id(events[k], &after, E()));
        CHECK_OK(postwire_message_consumer_id(message, &carried, E()));
        CHECK_U64(after, before);
        CHECK_U64(carried, before);
        CHECK(before == event_id[0] || before == event_id[1]);
        per_consumer[before == event_id[0] ? 0 : 1]++;
        body_text(message, body, sizeof body);
        if (CHECK(atoi(body) >= 0 && atoi(body) < kMessages) && CHECK(!seen[atoi(body)])) {
          seen[atoi(body)] = 1;
        }
        CHECK_OK(postwire_message_ack(message, E()));
        postwire_message_destroy(message);
        message = NULL;
        ++got;
      }
      postwire_event_destroy(events[k]);
    }
  }
  CHECK_U64(got, kMessages);
  CHECK(per_consumer[0] > 0 && per_consumer[1] > 0);
out:
  postwire_message_destroy(message);
  for (i = 0; i < 2; ++i) {
    postwire_consumer_destroy(polled[i]);
    postwire_consumer_destroy(as_events[i]);
  }
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* A confirmed RabbitMQ message has no stored position either. */
static void test_delivery_position(const broker_t* broker) {
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  char queue[128];
  int found = 0;
  int64_t deadline;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "report-position");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  send_text(producer, queue, "where", NULL, 5);
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  deadline = now_ms() + WAIT_MS;
  while (!found && now_ms() < deadline) {
    postwire_event* event = NULL;
    size_t n = 0;
    int32_t type = 0, partition = 0;
    int64_t offset = 0, broker_ms = 0;
    const char* broker_id = NULL;
    const char* sequence = NULL;
    REQUIRE_OK(postwire_client_poll(client, &event, 1, 100, &n, E()));
    if (n == 0) {
      continue;
    }
    CHECK_OK(postwire_event_type_of(event, &type, E()));
    if (type == POSTWIRE_EVENT_DELIVERY_REPORT) {
      found = 1;
      if (CHECK_OK(postwire_event_delivery_position(event, &partition, &offset, &broker_ms,
                                                    &broker_id, &sequence, E()))) {
        CHECK_I64(partition, -1);
        CHECK_I64(offset, -1);
        CHECK_I64(broker_ms, -1);
        CHECK_STR(broker_id, "");
        CHECK_STR(sequence, "");
      }
    } else {
      CHECK_INVALID(postwire_event_delivery_position(event, NULL, NULL, NULL, NULL, NULL, E()));
    }
    postwire_event_destroy(event);
  }
  CHECK(found);
out:
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* Subscribe options by name: RabbitMQ's consumer priority works, and what is unknown or bad is
 * refused naming the option. */
static void test_subscribe_options(const broker_t* broker) {
  enum { kMessages = 20 };
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* high = NULL;
  postwire_consumer* low = NULL;
  postwire_consumer* refused = NULL;
  postwire_message* held[kMessages];
  postwire_message* message = NULL;
  const char* high_options[] = {"priority", "10", "prefetch", "100"};
  const char* low_options[] = {"priority", "0", "prefetch", "100"};
  const char* unknown[] = {"prefetch", "5", "group_id", "g"};
  const char* bad_value[] = {"prefetch", "abc"};
  const char* bad_priority[] = {"priority", "high"};
  const char* with_null[] = {"prefetch", NULL};
  char queue[128], text[32];
  size_t got = 0, i;
  int64_t deadline;

  memset(held, 0, sizeof held);
  client = connect_default(broker);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "priority");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_client_subscribe_with_options(client, queue, low_options, 2, &low, E()));
  REQUIRE_OK(postwire_client_subscribe_with_options(client, queue, high_options, 2, &high, E()));
  for (i = 0; i < kMessages; ++i) {
    snprintf(text, sizeof text, "p%zu", i);
    send_text(producer, queue, text, NULL, i);
  }
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  /* The high-priority consumer has room for all: it gets every one (held unacked meanwhile). */
  deadline = now_ms() + WAIT_MS;
  while (got < kMessages && now_ms() < deadline) {
    message = poll_message(high, 100);
    if (message != NULL) {
      held[got++] = message;
      message = NULL;
    }
  }
  CHECK_U64(got, kMessages);
  message = poll_message(low, 200);
  CHECK(message == NULL); /* the low-priority consumer got none */
  for (i = 0; i < got; ++i) {
    CHECK_OK(postwire_message_ack(held[i], E()));
  }

  CHECK_INVALID(postwire_client_subscribe_with_options(client, queue, unknown, 2, &refused, E()));
  CHECK_CONTAINS(err_text(), "group_id");
  CHECK(refused == NULL);
  CHECK_INVALID(postwire_client_subscribe_with_options(client, queue, bad_value, 1, &refused, E()));
  CHECK_CONTAINS(err_text(), "prefetch");
  CHECK_INVALID(
      postwire_client_subscribe_with_options(client, queue, bad_priority, 1, &refused, E()));
  CHECK_CONTAINS(err_text(), "priority");
  CHECK_INVALID(postwire_client_subscribe_with_options(client, queue, with_null, 1, &refused, E()));
  CHECK_INVALID(postwire_client_subscribe_with_options(client, queue, NULL, 1, &refused, E()));
  CHECK(refused == NULL);
  /* No options at all: the defaults. */
  CHECK_OK(postwire_client_subscribe_with_options(client, queue, NULL, 0, &refused, E()));
out:
  postwire_message_destroy(message);
  for (i = 0; i < kMessages; ++i) {
    postwire_message_destroy(held[i]);
  }
  postwire_consumer_destroy(refused);
  postwire_consumer_destroy(high);
  postwire_consumer_destroy(low);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* send_nowait never blocks: a full buffer puts sends in the client's line, and only a full
 * line refuses at once, leaving the message to the caller; every accepted send is reported. */
static void test_send_nowait(const broker_t* broker) {
  enum { kLimit = 16, kMost = 100 };
  const char* options[] = {"queue.buffering.max.messages", "16", "event.queue.max.events", "16",
                           "queue.waiting.max.messages",   "16", "max.block.ms",           "60000"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  char queue[128], text[32];
  size_t accepted = 0, confirmed = 0;
  uint64_t removed = 0;
  postwire_code code = POSTWIRE_OK;
  int64_t started, deadline;

  client = connect_with(broker, options, 4);
  REQUIRE(client != NULL);
  new_queue_name(queue, sizeof queue, "nowait");
  REQUIRE(declare_plain(client, queue));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  /* Nobody polls the reports, so room runs out: at most 16 in the buffer plus 16 unpolled
   * reports, then 16 waiting in line. */
  started = now_ms();
  while (accepted < kMost) {
    REQUIRE_OK(postwire_outgoing_set_body(outgoing, "nowait", 6, E()));
    code = postwire_producer_send_nowait(producer, queue, outgoing, accepted, E());
    if (code != POSTWIRE_OK) {
      g_err_armed = 0;
      break;
    }
    ++accepted;
  }
  CHECK(now_ms() - started < 30000); /* a bound, never a timing assertion: it did not block */
  CHECK(code == POSTWIRE_ERR_QUEUE_FULL);
  CHECK(accepted >= 2 * kLimit && accepted <= 3 * kLimit);
  /* Polling the reports makes room: the line drains, and every accepted send confirms. */
  deadline = now_ms() + WAIT_MS;
  while (confirmed < accepted && now_ms() < deadline) {
    postwire_event* events[16];
    size_t n = 0, k;
    REQUIRE_OK(postwire_client_poll(client, events, 16, 100, &n, E()));
    for (k = 0; k < n; ++k) {
      int32_t type = 0;
      const postwire_error* carried = NULL;
      CHECK_OK(postwire_event_type_of(events[k], &type, E()));
      if (type == POSTWIRE_EVENT_DELIVERY_REPORT) {
        CHECK_OK(postwire_event_error(events[k], &carried, E()));
        CHECK(carried == NULL);
        ++confirmed;
      }
      postwire_event_destroy(events[k]);
    }
  }
  CHECK_U64(confirmed, accepted);
  CHECK_OK(postwire_client_purge_queue(client, queue, &removed, E()));
  CHECK_U64(removed, accepted); /* every accepted send reached the queue */
  /* The refused message was left whole: sent again as it is, it arrives with its body. */
  CHECK_OK(postwire_producer_send_nowait(producer, queue, outgoing, 998, E()));
  CHECK_OK(postwire_producer_send_bytes_nowait(producer, queue, "bytes", 5, NULL, 0, 999, E()));
  CHECK(expect_confirmed(client, producer, 2));
  REQUIRE_OK(postwire_client_subscribe(client, queue, 0, 0, &consumer, E()));
  message = poll_message(consumer, WAIT_MS);
  REQUIRE(message != NULL);
  CHECK_STR(body_text(message, text, sizeof text), "nowait");
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* ---------------------------------------------------------------------------------------- */
/* Kafka: topics with partitions, positions, partition reads, what Kafka refuses            */
/* ---------------------------------------------------------------------------------------- */

#define KAFKA_PARTITIONS 3
#define KAFKA_KEYS 4
#define KAFKA_ROUNDS 3
#define KAFKA_SENT (KAFKA_KEYS * KAFKA_ROUNDS)

static const char* const k_kafka_keys[KAFKA_KEYS] = {"customer-1", "customer-2", "customer-3",
                                                     "customer-4"};

/* What one delivery report said about where the broker stored its message. */
typedef struct {
  char id[192];
  int key; /* index into k_kafka_keys */
  int32_t partition;
  int64_t offset;
} placed_t;

/* Declares a fresh topic of KAFKA_PARTITIONS partitions (deleted after the test). */
static int declare_topic(postwire_client* client, char* topic, size_t size, const char* tag) {
  static const char* const partitions[] = {"partitions", "3"};
  uint64_t messages = 99, consumers = 99;
  char* name = NULL;
  int ok;
  new_queue_name(topic, size, tag);
  ok = CHECK_OK(postwire_client_declare_queue(client, topic, partitions, 1, &name, &messages,
                                              &consumers, E()));
  if (ok) {
    CHECK_STR(name, topic);
    CHECK_U64(messages, 0);
    CHECK_U64(consumers, 0);
  }
  postwire_free(name);
  return ok;
}

/* Sends each key KAFKA_ROUNDS times (body "KEY #ROUND", headers round and bin, id
 * TOPIC-KEY-ROUND) and fills placed[] from the delivery reports, in send order. */
static int send_keyed(postwire_client* client, const char* topic, placed_t* placed) {
  static const unsigned char bin[] = {0x00, 0xff};
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  size_t got = 0, i;
  int64_t deadline;
  int ok = 0;
  char text[64];
  if (!CHECK_OK(postwire_client_producer(client, &producer, E())) ||
      !CHECK_OK(postwire_outgoing_new(&outgoing, E()))) {
    goto out;
  }
  for (i = 0; i < KAFKA_SENT; ++i) {
    const int key = (int)(i % KAFKA_KEYS);
    const int round = (int)(i / KAFKA_KEYS);
    placed[i].key = key;
    snprintf(placed[i].id, sizeof placed[i].id, "%s-%s-%d", topic, k_kafka_keys[key], round);
    snprintf(text, sizeof text, "%s #%d", k_kafka_keys[key], round);
    CHECK_OK(postwire_outgoing_clear(outgoing, E()));
    CHECK_OK(postwire_outgoing_set_body(outgoing, text, strlen(text), E()));
    CHECK_OK(
        postwire_outgoing_set_key(outgoing, k_kafka_keys[key], strlen(k_kafka_keys[key]), E()));
    CHECK_OK(postwire_outgoing_set_id(outgoing, placed[i].id, E()));
    snprintf(text, sizeof text, "%d", round);
    CHECK_OK(postwire_outgoing_add_header(outgoing, "round", text, strlen(text), E()));
    CHECK_OK(postwire_outgoing_add_header(outgoing, "bin", bin, sizeof bin, E()));
    if (!CHECK_OK(postwire_producer_send(producer, topic, outgoing, i, E()))) {
      goto out;
    }
  }
  CHECK_OK(postwire_producer_flush(producer, WAIT_MS, E()));
  deadline = now_ms() + WAIT_MS;
  while (got < KAFKA_SENT && now_ms() < deadline) {
    postwire_event* events[16];
    size_t n = 0, k;
    if (!CHECK_OK(postwire_client_poll(client, events, 16, 100, &n, E()))) {
      goto out;
    }
    for (k = 0; k < n; ++k) {
      int32_t type = 0;
      const postwire_error* carried = NULL;
      uint64_t token = 0;
      const char* broker_id = NULL;
      const char* sequence = NULL;
      CHECK_OK(postwire_event_type_of(events[k], &type, E()));
      if (type == POSTWIRE_EVENT_DELIVERY_REPORT &&
          CHECK_OK(
              postwire_event_delivery_report(events[k], &token, NULL, NULL, NULL, NULL, E())) &&
          CHECK(token < KAFKA_SENT) && CHECK_OK(postwire_event_error(events[k], &carried, E()))) {
        CHECK(carried == NULL);
        CHECK_OK(postwire_event_delivery_position(events[k], &placed[token].partition,
                                                  &placed[token].offset, NULL, &broker_id,
                                                  &sequence, E()));
        CHECK_STR(broker_id, "");
        CHECK_STR(sequence, "");
        ++got;
      }
      postwire_event_destroy(events[k]);
    }
  }
  ok = CHECK_U64(got, KAFKA_SENT);
out:
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  return ok;
}

/* A topic with partitions: the capabilities, and each report's partition and offset (a key
 * keeps its partition; offsets ascend from 0 in each partition of a fresh topic). */
static void test_kafka_reports(const broker_t* broker) {
  static const char* const other_count[] = {"partitions", "5"};
  static const char* const misspelt[] = {"partitons", "3"};
  postwire_client* client = NULL;
  placed_t placed[KAFKA_SENT];
  int32_t key_partition[KAFKA_KEYS] = {-1, -1, -1, -1};
  int64_t next_offset[KAFKA_PARTITIONS] = {0, 0, 0};
  uint64_t capabilities = 0, messages = 0;
  char topic[128], other[128];
  size_t i;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  REQUIRE_OK(postwire_client_capabilities(client, &capabilities, E()));
  CHECK((capabilities & POSTWIRE_CAP_PARTITIONS) != 0);
  CHECK((capabilities & POSTWIRE_CAP_SEEK) != 0);
  CHECK((capabilities & POSTWIRE_CAP_EXCHANGES) == 0);
  CHECK((capabilities & (POSTWIRE_CAP_PRIORITIES | POSTWIRE_CAP_PER_MESSAGE_TTL)) == 0);
  REQUIRE(declare_topic(client, topic, sizeof topic, "kafka-reports"));
  CHECK_CODE(postwire_client_declare_queue(client, topic, other_count, 1, NULL, NULL, NULL, E()),
             POSTWIRE_ERR_PRECONDITION_FAILED);
  CHECK_CONTAINS(err_text(), "3 partitions");
  new_queue_name(other, sizeof other, "kafka-misspelt");
  CHECK_INVALID(postwire_client_declare_queue(client, other, misspelt, 1, NULL, NULL, NULL, E()));
  CHECK_CONTAINS(err_text(), "partitons");

  REQUIRE(send_keyed(client, topic, placed));
  for (i = 0; i < KAFKA_SENT; ++i) {
    const int32_t partition = placed[i].partition;
    if (!CHECK(partition >= 0 && partition < KAFKA_PARTITIONS)) {
      continue;
    }
    if (key_partition[placed[i].key] < 0) {
      key_partition[placed[i].key] = partition;
    }
    CHECK_I64(partition, key_partition[placed[i].key]); /* a key keeps its partition */
    CHECK_I64(placed[i].offset, next_offset[partition]++);
  }
  CHECK_OK(postwire_client_declare_queue(client, topic, NULL, 0, NULL, &messages, NULL, E()));
  CHECK_U64(messages, KAFKA_SENT);
out:
  postwire_client_destroy(client);
}

/* A partition read from earliest delivers every message with its position, body, key, headers
 * and id; a read of one partition starts at the offset asked for. */
static void test_kafka_reads(const broker_t* broker) {
  static const char* const earliest[] = {"start", "earliest"};
  postwire_client* client = NULL;
  postwire_consumer* consumer = NULL;
  postwire_consumer* one = NULL;
  postwire_message* message = NULL;
  placed_t placed[KAFKA_SENT];
  int seen[KAFKA_SENT];
  int64_t last_offset[KAFKA_PARTITIONS] = {-1, -1, -1};
  const char* one_options[4] = {"partitions", NULL, "start.offset", "1"};
  char topic[128], partition_text[16], body[64], text[64];
  size_t got = 0, i, k;

  memset(seen, 0, sizeof seen);
  client = connect_default(broker);
  REQUIRE(client != NULL);
  REQUIRE(declare_topic(client, topic, sizeof topic, "kafka-reads"));
  REQUIRE(send_keyed(client, topic, placed));
  REQUIRE_OK(postwire_client_subscribe_with_options(client, topic, earliest, 1, &consumer, E()));
  while (got < KAFKA_SENT && (message = poll_message(consumer, WAIT_MS)) != NULL) {
    int32_t partition = -2;
    int64_t offset = -2, broker_ms = -2;
    const char* id = message_id(message);
    const char* source = NULL;
    const void* value = NULL;
    size_t size = 0;
    int found = 0;
    for (i = 0; i < KAFKA_SENT && strcmp(placed[i].id, id) != 0; ++i) {
    }
    if (CHECK(i < KAFKA_SENT) && CHECK(!seen[i])) {
      seen[i] = 1;
      snprintf(body, sizeof body, "%s #%d", k_kafka_keys[placed[i].key], (int)(i / KAFKA_KEYS));
      CHECK_STR(body_text(message, text, sizeof text), body);
      key_is(message, k_kafka_keys[placed[i].key]);
      snprintf(body, sizeof body, "%d", (int)(i / KAFKA_KEYS));
      header_is(message, "round", body);
      CHECK_OK(postwire_message_header(message, "bin", &found, &value, &size, E()));
      CHECK(found == 1 && size == 2 && memcmp(value, "\x00\xff", 2) == 0);
      CHECK_OK(postwire_message_source(message, &source, E()));
      CHECK_STR(source, topic);
      CHECK_OK(
          postwire_message_position(message, &partition, &offset, &broker_ms, NULL, NULL, E()));
      CHECK_I64(partition, placed[i].partition);
      CHECK_I64(offset, placed[i].offset);
      CHECK(broker_ms > 0);
      if (CHECK(partition >= 0 && partition < KAFKA_PARTITIONS)) {
        CHECK(offset > last_offset[partition]); /* in offset order within a partition */
        last_offset[partition] = offset;
      }
    }
    CHECK_OK(postwire_message_ack(message, E()));
    postwire_message_destroy(message);
    message = NULL;
    ++got;
  }
  CHECK_U64(got, KAFKA_SENT);
  message = poll_message(consumer, 300);
  CHECK(message == NULL); /* each once */

  /* One partition, from offset 1: that partition's messages after its first. */
  snprintf(partition_text, sizeof partition_text, "%d", (int)placed[0].partition);
  one_options[1] = partition_text;
  REQUIRE_OK(postwire_client_subscribe_with_options(client, topic, one_options, 2, &one, E()));
  for (i = 0, k = 0; i < KAFKA_SENT; ++i) {
    if (placed[i].partition != placed[0].partition || k++ == 0) {
      continue;
    }
    postwire_message_destroy(message);
    message = poll_message(one, WAIT_MS);
    REQUIRE(message != NULL);
    CHECK_STR(message_id(message), placed[i].id);
    CHECK_OK(postwire_message_ack(message, E()));
  }
  postwire_message_destroy(message);
  message = poll_message(one, 300);
  CHECK(message == NULL);
out:
  postwire_message_destroy(message);
  postwire_consumer_destroy(one);
  postwire_consumer_destroy(consumer);
  postwire_client_destroy(client);
}

/* What Kafka refuses: priorities and TTLs at send, a missing topic in the report, unknown
 * subscribe options by name; and a deleted topic is gone. */
static void test_kafka_refusals(const broker_t* broker) {
  static const char* const misspelt[] = {"start.ofset", "3"};
  static const char* const bad_start[] = {"start", "yesterday"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  report_t report;
  char topic[128], missing[128];
  uint64_t removed = 0;

  client = connect_default(broker);
  REQUIRE(client != NULL);
  REQUIRE(declare_topic(client, topic, sizeof topic, "kafka-refusals"));
  REQUIRE_OK(postwire_client_producer(client, &producer, E()));
  REQUIRE_OK(postwire_outgoing_new(&outgoing, E()));
  CHECK_OK(postwire_outgoing_set_body(outgoing, "urgent", 6, E()));
  CHECK_OK(postwire_outgoing_set_priority(outgoing, 5, E()));
  CHECK_CODE(postwire_producer_send(producer, topic, outgoing, 1, E()), POSTWIRE_ERR_NOT_SUPPORTED);
  CHECK_CONTAINS(err_text(), "priority");
  CHECK_OK(postwire_outgoing_clear(outgoing, E()));
  CHECK_OK(postwire_outgoing_set_ttl(outgoing, 1000, E()));
  CHECK_CODE(postwire_producer_send(producer, topic, outgoing, 2, E()), POSTWIRE_ERR_NOT_SUPPORTED);
  CHECK_CONTAINS(err_text(), "TTL");

  unique_name(missing, sizeof missing, "kafka-missing");
  send_text(producer, missing, "nowhere", NULL, 3);
  if (await_reports(client, &report, 1, WAIT_MS) == 1) {
    CHECK(report.failed);
    CHECK(report.code == POSTWIRE_ERR_NOT_FOUND);
    CHECK_CONTAINS(report.message, missing);
  }

  CHECK_INVALID(postwire_client_subscribe_with_options(client, topic, misspelt, 1, &consumer, E()));
  CHECK_CONTAINS(err_text(), "start.ofset");
  CHECK_INVALID(
      postwire_client_subscribe_with_options(client, topic, bad_start, 1, &consumer, E()));
  CHECK(consumer == NULL);

  send_text(producer, topic, "one", "k", 4);
  CHECK(expect_confirmed(client, producer, 1));
  CHECK_OK(postwire_client_delete_queue(client, topic, NULL, 0, &removed, E()));
  CHECK_U64(removed, 1);
  CHECK_CODE(postwire_client_subscribe(client, topic, 0, 0, &consumer, E()),
             POSTWIRE_ERR_NOT_FOUND);
out:
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
}

/* The tests that need no RabbitMQ behaviour run on Kafka as well: the rest use non-durable or
 * broker-named queues, exchanges, priorities, TTLs, competing or exclusive consumers,
 * consumer priorities and redelivery to a new consumer, none of which Kafka has
 * (capabilities()), or check RabbitMQ's own answers (no positions, its capabilities). */
static void run_kafka_tests(const broker_t* broker) {
  run_test(broker->name, "reports", test_kafka_reports, broker);
  run_test(broker->name, "reads", test_kafka_reads, broker);
  run_test(broker->name, "refusals", test_kafka_refusals, broker);
}

/* ---------------------------------------------------------------------------------------- */
/* main                                                                                     */
/* ---------------------------------------------------------------------------------------- */

static void run_amqp_tests(const broker_t* broker) {
  run_test(broker->name, "connect_errors", test_connect_errors, broker);
  run_test(broker->name, "topology", test_topology, broker);
  run_test(broker->name, "round_trip", test_round_trip, broker);
  run_test(broker->name, "send_paths", test_send_paths, broker);
  run_test(broker->name, "no_key", test_no_key, broker);
  run_test(broker->name, "ack_then_close", test_ack_then_close, broker);
  run_test(broker->name, "settlement", test_settlement, broker);
  run_test(broker->name, "consumer_fd_and_batch", test_consumer_fd_and_batch, broker);
  run_test(broker->name, "event_loop", test_event_loop, broker);
  run_test(broker->name, "in_flight_after_reports", test_in_flight_after_reports, broker);
  run_test(broker->name, "subscribe_to_events", test_subscribe_to_events, broker);
  run_test(broker->name, "exclusive", test_exclusive, broker);
  run_test(broker->name, "stats_and_capabilities", test_stats_and_capabilities, broker);
  run_test(broker->name, "send_errors", test_send_errors, broker);
  run_test(broker->name, "events", test_events, broker);
  run_test(broker->name, "closed", test_closed, broker);
  run_test(broker->name, "fork", test_fork, broker);
  run_test(broker->name, "consumer_identity", test_consumer_identity, broker);
  run_test(broker->name, "delivery_position", test_delivery_position, broker);
  run_test(broker->name, "subscribe_options", test_subscribe_options, broker);
  run_test(broker->name, "send_nowait", test_send_nowait, broker);
}

/* After every test: delete what it declared, and forget its last error. */
static void after_test(const broker_t* broker) {
  if (broker != NULL && broker->url != NULL) {
    cleanup_topology(broker);
  }
  postwire_error_destroy(g_err);
  g_err = NULL;
  g_err_armed = 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  harness_failure_context = print_last_error;
  harness_after_test = after_test;
  run_test(NULL, "version", test_version, NULL);
  run_test(NULL, "code_names", test_code_names, NULL);
  run_test(NULL, "config", test_config, NULL);
  run_test(NULL, "null_and_wrong_kind", test_null_and_wrong_kind, NULL);
  {
    static const broker_suites_t suites = {run_amqp_tests, run_kafka_tests};
    run_broker_tests(&suites);
  }
  return harness_finish();
}
