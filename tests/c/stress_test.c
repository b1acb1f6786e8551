/*
 * stress_test.c - many threads through one producer of postwire's C ABI (postwire.h).
 *
 * One client, one producer, four sender threads sending 25,000 messages each with
 * postwire_producer_send_bytes (tokens 1..100,000, each used once) to a fresh queue, while a
 * fifth thread polls the client's events in batches of up to 512 and counts the delivery
 * reports. Every token must be reported exactly once, none failed, and the queue must hold
 * 100,000 messages at the end.
 *
 * Brokers come from POSTWIRE_BROKERS (default "amqp,kafka,sqs") and their URLs from
 * POSTWIRE_TEST_<NAME>_URL; a missing URL is a failure. The same test runs on RabbitMQ (a
 * queue) and Kafka (a topic of one partition); SQS, without a transport yet, must refuse to
 * connect with POSTWIRE_ERR_NOT_SUPPORTED.
 *
 * Prints "PASS name" / "FAIL name" per test and "N passed, M failed"; exits 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "postwire.h"

#define SENDERS 4
#define PER_SENDER 25000
#define TOTAL (SENDERS * PER_SENDER)
#define POLL_BATCH 512
#define DEADLINE_MS 300000 /* for everything to be reported */

/* ---------------------------------------------------------------------------------------- */
/* Checks of postwire calls                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* Reports a failed call with its error (which it frees). Returns 1 when code is OK. */
static int ok_at(const char* file, int line, const char* call, postwire_code code,
                 postwire_error** error) {
  if (code != POSTWIRE_OK) {
    report_failure(file, line, "%s failed: %s: %s", call, postwire_code_name(code),
                   *error != NULL ? postwire_error_message(*error) : "(no error)");
  }
  postwire_error_destroy(*error);
  *error = NULL;
  return code == POSTWIRE_OK;
}

/* `call` takes &error as its last argument. */
#define OK(call) (error = NULL, ok_at(__FILE__, __LINE__, #call, (call), &error))

/* ---------------------------------------------------------------------------------------- */
/* The stress run                                                                           */
/* ---------------------------------------------------------------------------------------- */

typedef struct {
  postwire_client* client;
  postwire_producer* producer;
  const char* queue;
  pthread_mutex_t mutex;
  /* Under mutex: */
  size_t send_failures;
  size_t senders_done;
  char first_send_error[512];
  /* Owned by the poller thread until it is joined: */
  unsigned char reported[TOTAL + 1]; /* how many reports each token got */
  size_t reports;
  size_t duplicates;
  size_t out_of_range;
  size_t failed_reports;
  size_t poll_errors;
  size_t other_events;
  char first_report_error[512];
  int timed_out;
} run_t;

typedef struct {
  run_t* run;
  uint64_t first_token;
} sender_t;

static void* sender_main(void* arg) {
  sender_t* sender = arg;
  run_t* run = sender->run;
  uint64_t token;
  for (token = sender->first_token; token < sender->first_token + PER_SENDER; ++token) {
    char body[48];
    int length = snprintf(body, sizeof body, "stress message %" PRIu64, token);
    postwire_error* error = NULL;
    postwire_code code = postwire_producer_send_bytes(run->producer, run->queue, body,
                                                      (size_t)length, NULL, 0, token, &error);
    if (code != POSTWIRE_OK) {
      pthread_mutex_lock(&run->mutex);
      if (run->send_failures++ == 0) {
        snprintf(run->first_send_error, sizeof run->first_send_error, "token %" PRIu64 ": %s: %s",
                 token, postwire_code_name(code),
                 error != NULL ? postwire_error_message(error) : "(no error)");
      }
      pthread_mutex_unlock(&run->mutex);
    }
    postwire_error_destroy(error);
  }
  pthread_mutex_lock(&run->mutex);
  ++run->senders_done;
  pthread_mutex_unlock(&run->mutex);
  return NULL;
}

static void* poller_main(void* arg) {
  run_t* run = arg;
  postwire_event* events[POLL_BATCH];
  const int64_t deadline = now_ms() + DEADLINE_MS;
  for (;;) {
    size_t count = 0, i, expected;
    postwire_error* error = NULL;
    postwire_code code;
    pthread_mutex_lock(&run->mutex);
    expected = TOTAL - run->send_failures; /* failed sends are never reported */
    pthread_mutex_unlock(&run->mutex);
    if (run->reports >= expected) {
      /* All senders are done once every accepted message is reported and none failed;
       * otherwise wait for them to finish counting. */
      int done;
      pthread_mutex_lock(&run->mutex);
      done = run->senders_done == SENDERS && run->reports >= TOTAL - run->send_failures;
      pthread_mutex_unlock(&run->mutex);
      if (done) {
        break;
      }
    }
    if (now_ms() > deadline) {
      run->timed_out = 1;
      break;
    }
    code = postwire_client_poll(run->client, events, POLL_BATCH, 100, &count, &error);
    if (code != POSTWIRE_OK) {
      ++run->poll_errors;
      postwire_error_destroy(error);
      continue;
    }
    for (i = 0; i < count; ++i) {
      int32_t type = 0;
      uint64_t token = 0;
      const postwire_error* carried = NULL;
      if (postwire_event_type_of(events[i], &type, NULL) != POSTWIRE_OK ||
          type != POSTWIRE_EVENT_DELIVERY_REPORT) {
        ++run->other_events;
        postwire_event_destroy(events[i]);
        continue;
      }
      ++run->reports;
      if (postwire_event_delivery_report(events[i], &token, NULL, NULL, NULL, NULL, NULL) !=
              POSTWIRE_OK ||
          token == 0 || token > TOTAL) {
        ++run->out_of_range;
      } else if (run->reported[token]++ != 0) {
        ++run->duplicates;
      }
      if (postwire_event_error(events[i], &carried, NULL) != POSTWIRE_OK || carried != NULL) {
        if (run->failed_reports++ == 0) {
          snprintf(run->first_report_error, sizeof run->first_report_error,
                   "token %" PRIu64 ": %s: %s", token,
                   postwire_code_name(postwire_error_code(carried)),
                   postwire_error_message(carried));
        }
      }
      postwire_event_destroy(events[i]);
    }
  }
  return NULL;
}

static void test_stress(const broker_t* broker) {
  /* RabbitMQ: a non-durable queue, so that an interrupted run leaves nothing on disk. Kafka
   * topics are always durable and take the broker's defaults. */
  static const char* const amqp_queue_options[] = {"durable", "false", "auto_delete", "false"};
  const int kafka = strcmp(broker->name, "kafka") == 0;
  const char* const* queue_options = kafka ? NULL : amqp_queue_options;
  const size_t queue_option_count = kafka ? 0 : 2;
  run_t* run = NULL;
  sender_t senders[SENDERS];
  pthread_t sender_threads[SENDERS];
  pthread_t poller_thread;
  size_t started = 0, i, missing = 0;
  int poller_started = 0, mutex_ready = 0;
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_error* error = NULL;
  char queue[128];
  char* json = NULL;
  uint64_t messages = 0, removed = 0, confirmed = 0;
  size_t in_flight = 99;
  int64_t started_ms, elapsed_ms;

  run = calloc(1, sizeof *run);
  if (!CHECK(run != NULL)) {
    return;
  }
  if (!CHECK(pthread_mutex_init(&run->mutex, NULL) == 0)) {
    goto out;
  }
  mutex_ready = 1;
  snprintf(queue, sizeof queue, "c-stress-%ld", (long)getpid());
  if (!OK(postwire_client_connect(broker->url, NULL, &client, &error)) ||
      !OK(postwire_client_declare_queue(client, queue, queue_options, queue_option_count, NULL,
                                        NULL, NULL, &error)) ||
      !OK(postwire_client_purge_queue(client, queue, NULL, &error)) ||
      !OK(postwire_client_producer(client, &producer, &error))) {
    goto out;
  }
  run->client = client;
  run->producer = producer;
  run->queue = queue;

  started_ms = now_ms();
  if (!CHECK(pthread_create(&poller_thread, NULL, poller_main, run) == 0)) {
    goto out;
  }
  poller_started = 1;
  for (i = 0; i < SENDERS; ++i) {
    senders[i].run = run;
    senders[i].first_token = 1 + (uint64_t)i * PER_SENDER;
    if (!CHECK(pthread_create(&sender_threads[i], NULL, sender_main, &senders[i]) == 0)) {
      break;
    }
    ++started;
  }
  for (i = 0; i < started; ++i) {
    pthread_join(sender_threads[i], NULL);
  }
  if (started < SENDERS) {
    /* Let the poller stop: the messages of senders that never ran count as failed sends. */
    pthread_mutex_lock(&run->mutex);
    run->send_failures += (SENDERS - started) * PER_SENDER;
    run->senders_done += SENDERS - started;
    pthread_mutex_unlock(&run->mutex);
  }
  OK(postwire_producer_flush(producer, 120000, &error));
  pthread_join(poller_thread, NULL);
  poller_started = 0;
  elapsed_ms = now_ms() - started_ms;
  printf("  %d messages from %d threads reported in %" PRId64 " ms (%.0f/s)\n", TOTAL, SENDERS,
         elapsed_ms, elapsed_ms > 0 ? TOTAL * 1000.0 / (double)elapsed_ms : 0.0);

  if (!CHECK(run->send_failures == 0)) {
    report_failure(__FILE__, __LINE__, "%zu sends failed, the first: %s", run->send_failures,
                   run->first_send_error);
  }
  CHECK(!run->timed_out);
  CHECK(run->poll_errors == 0);
  for (i = 1; i <= TOTAL; ++i) {
    missing += run->reported[i] == 0 ? 1U : 0U;
  }
  if (!CHECK(missing == 0 && run->duplicates == 0 && run->out_of_range == 0)) {
    report_failure(__FILE__, __LINE__,
                   "%zu reports: %zu tokens never reported, %zu reported twice, %zu out of range",
                   run->reports, missing, run->duplicates, run->out_of_range);
  }
  CHECK(run->reports == TOTAL);
  if (!CHECK(run->failed_reports == 0)) {
    report_failure(__FILE__, __LINE__, "%zu reports failed, the first: %s", run->failed_reports,
                   run->first_report_error);
  }
  if (OK(postwire_producer_in_flight(producer, &in_flight, &error))) {
    CHECK(in_flight == 0);
  }
  if (OK(postwire_client_stats(client, &json, &error))) {
    CHECK(json_u64(json, "confirmed", &confirmed) && confirmed >= TOTAL);
    postwire_free(json);
    json = NULL;
  }
  /* The broker holds every message: declaring the queue again reports its count. */
  if (OK(postwire_client_declare_queue(client, queue, queue_options, queue_option_count, NULL,
                                       &messages, NULL, &error)) &&
      !CHECK(messages == TOTAL)) {
    report_failure(__FILE__, __LINE__, "the queue holds %" PRIu64 " messages, expected %d",
                   messages, TOTAL);
  }
out:
  if (poller_started) {
    pthread_join(poller_thread, NULL);
  }
  if (client != NULL) {
    if (OK(postwire_client_delete_queue(client, queue, NULL, 0, &removed, &error))) {
      CHECK(removed == messages);
    }
  }
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
  if (mutex_ready) {
    pthread_mutex_destroy(&run->mutex);
  }
  free(run);
}

static void run_stress(const broker_t* broker) {
  run_test(broker->name, "stress", test_stress, broker);
}

int main(void) {
  static const broker_suites_t suites = {run_stress, run_stress};
  setvbuf(stdout, NULL, _IOLBF, 0);
  run_broker_tests(&suites);
  return harness_finish();
}
