/*
 * priority URL QUEUE
 *
 * A priority queue. Declares QUEUE with priorities 0 to 9, sends three low-priority jobs and
 * then two urgent ones, waits until the broker confirmed all of them, and only then starts
 * consuming: the urgent jobs come out first although they were sent last. Prints each job as
 * it is sent and as it arrives. Priorities order the messages waiting in a queue; a consumer
 * that is already waiting gets each message as it arrives.
 *
 * Run from the repository root after the dev build (cmake --build --preset dev):
 *   build/examples/c/postwire-example-c-priority amqp://guest:guest@127.0.0.1:5672 jobs
 */
#include <postwire.h>
#include <stdio.h>
#include <string.h>

#define JOB_COUNT 5
#define WAIT_MS 10000 /* how long to wait for something the broker should do promptly */

static const struct job {
  const char* name;
  int32_t priority;
} jobs[JOB_COUNT] = {
    {"report-1", 1}, {"report-2", 1}, {"report-3", 1}, {"alert-1", 9}, {"alert-2", 9},
};

/* If `code` is a failure, prints what failed with the error's code name and message, frees
 * the error and returns 1. */
static int failed(postwire_code code, postwire_error** error, const char* what) {
  if (code == POSTWIRE_OK) return 0;
  fprintf(stderr, "%s failed: %s: %s\n", what, postwire_code_name(code),
          postwire_error_message(*error));
  postwire_error_destroy(*error);
  *error = NULL;
  return 1;
}

/* After a flush every send has its delivery report waiting: returns 1 when the broker
 * confirmed each one. */
static int all_confirmed(postwire_client* client) {
  postwire_error* error = NULL;
  postwire_event* events[16];
  size_t n = 0, k;
  int ok = 1;
  do {
    if (failed(postwire_client_poll(client, events, 16, 0, &n, &error), &error, "poll")) return 0;
    for (k = 0; k < n; ++k) {
      const postwire_error* carried = NULL; /* borrowed from the event */
      int32_t type = 0;
      if (postwire_event_type_of(events[k], &type, NULL) == POSTWIRE_OK &&
          type == POSTWIRE_EVENT_DELIVERY_REPORT &&
          postwire_event_error(events[k], &carried, NULL) == POSTWIRE_OK && carried != NULL) {
        fprintf(stderr, "sending failed: %s\n", postwire_error_message(carried));
        ok = 0;
      }
      postwire_event_destroy(events[k]);
    }
  } while (n > 0);
  return ok;
}

int main(int argc, char** argv) {
  /* A queue orders by priority only if it was declared with a maximum priority; a message's
   * priority above it counts as the maximum. */
  static const char* const queue_options[] = {"durable", "true", "max_priority", "9"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  postwire_error* error = NULL;
  int i, exit_code = 1;

  if (argc != 3) {
    fprintf(stderr, "usage: %s URL QUEUE\n", argv[0]);
    return 2;
  }
  if (failed(postwire_client_connect(argv[1], NULL, &client, &error), &error, "connect") ||
      failed(postwire_client_declare_queue(client, argv[2], queue_options, 2, NULL, NULL, NULL,
                                           &error),
             &error, "declare queue") ||
      failed(postwire_client_producer(client, &producer, &error), &error, "producer") ||
      failed(postwire_outgoing_new(&outgoing, &error), &error, "outgoing message"))
    goto done;

  for (i = 0; i < JOB_COUNT; ++i) {
    if (failed(postwire_outgoing_set_body(outgoing, jobs[i].name, strlen(jobs[i].name), &error),
               &error, "body") ||
        failed(postwire_outgoing_set_priority(outgoing, jobs[i].priority, &error), &error,
               "priority") ||
        failed(postwire_producer_send(producer, argv[2], outgoing, 0, &error), &error, "send"))
      goto done;
    printf("sent %s (priority %d)\n", jobs[i].name, (int)jobs[i].priority);
  }
  /* Waiting for every confirm means every job is in the queue before the first is taken, so
   * the broker can order all of them by priority. */
  if (failed(postwire_producer_flush(producer, WAIT_MS, &error), &error, "flush") ||
      !all_confirmed(client) ||
      failed(postwire_client_subscribe(client, argv[2], 0, 0, &consumer, &error), &error,
             "subscribe"))
    goto done;

  for (i = 0; i < JOB_COUNT; ++i) {
    const void* body = NULL;
    size_t size = 0;
    int32_t priority = 0;
    if (failed(postwire_consumer_poll(consumer, WAIT_MS, &message, &error), &error, "poll"))
      goto done;
    if (message == NULL) {
      fprintf(stderr, "no job within %d s\n", WAIT_MS / 1000);
      goto done;
    }
    if (failed(postwire_message_body(message, &body, &size, &error), &error, "body") ||
        failed(postwire_message_priority(message, &priority, &error), &error, "priority"))
      goto done;
    printf("received %.*s (priority %d)\n", (int)size, (const char*)body, (int)priority);
    if (failed(postwire_message_ack(message, &error), &error, "ack")) goto done;
    postwire_message_destroy(message);
    message = NULL;
  }

  if (failed(postwire_consumer_close(consumer, &error), &error, "close") ||
      failed(postwire_client_close(client, -1, &error), &error, "close client"))
    goto done;
  exit_code = 0;

done:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
  return exit_code;
}
