/*
 * topic URL EXCHANGE PREFIX
 *
 * Fan-out through a topic exchange. Declares the topic exchange EXCHANGE and one queue per
 * service, bound with the pattern of the events that service wants:
 *   PREFIX.billing   order.*     (* stands for exactly one word)
 *   PREFIX.shipping  order.paid
 *   PREFIX.audit     #           (# stands for any number of words: every event)
 * Publishes four events to "exchange/EXCHANGE" with the event name as key, which is the routing
 * key, then drains each queue and prints which service got which events. Deletes the exchange
 * and the queues at the end.
 *
 * Run from the repository root after the dev build (cmake --build --preset dev):
 *   build/examples/c/postwire-example-c-topic amqp://guest:guest@127.0.0.1:5672 events shop
 */
#include <postwire.h>
#include <stdio.h>
#include <string.h>

#define SERVICE_COUNT 3
#define EVENT_COUNT 4
#define WAIT_MS 10000 /* how long to wait for something the broker should do promptly */

static const struct service {
  const char* name;
  const char* pattern;
} services[SERVICE_COUNT] = {{"billing", "order.*"}, {"shipping", "order.paid"}, {"audit", "#"}};
static const char* const events[EVENT_COUNT] = {"order.created", "order.paid", "order.cancelled",
                                                "user.signup"};

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
  postwire_event* polled[16];
  size_t n = 0, k;
  int ok = 1;
  do {
    if (failed(postwire_client_poll(client, polled, 16, 0, &n, &error), &error, "poll")) return 0;
    for (k = 0; k < n; ++k) {
      const postwire_error* carried = NULL; /* borrowed from the event */
      int32_t type = 0;
      if (postwire_event_type_of(polled[k], &type, NULL) == POSTWIRE_OK &&
          type == POSTWIRE_EVENT_DELIVERY_REPORT &&
          postwire_event_error(polled[k], &carried, NULL) == POSTWIRE_OK && carried != NULL) {
        fprintf(stderr, "sending failed: %s\n", postwire_error_message(carried));
        ok = 0;
      }
      postwire_event_destroy(polled[k]);
    }
  } while (n > 0);
  return ok;
}

/* Deletes the queues and the exchange, whether or not they were all declared (deleting one
 * that is not there succeeds); returns 1 when every deletion succeeded. */
static int delete_declared(postwire_client* client, const char* exchange, const char* prefix) {
  postwire_error* error = NULL;
  char queue[256];
  int i, ok = 1;
  for (i = 0; i < SERVICE_COUNT; ++i) {
    snprintf(queue, sizeof queue, "%s.%s", prefix, services[i].name);
    if (failed(postwire_client_delete_queue(client, queue, NULL, 0, NULL, &error), &error,
               "delete queue"))
      ok = 0;
  }
  if (failed(postwire_client_delete_exchange(client, exchange, NULL, 0, &error), &error,
             "delete exchange"))
    ok = 0;
  return ok;
}

int main(int argc, char** argv) {
  static const char* const exchange_options[] = {"type", "topic"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  postwire_error* error = NULL;
  char destination[256], queue[256], body[64];
  int i, exit_code = 1;

  if (argc != 4) {
    fprintf(stderr, "usage: %s URL EXCHANGE PREFIX\n", argv[0]);
    return 2;
  }
  if (snprintf(destination, sizeof destination, "exchange/%s", argv[2]) >=
          (int)sizeof destination ||
      strlen(argv[3]) > 200) {
    fprintf(stderr, "EXCHANGE or PREFIX is too long\n");
    return 2;
  }

  if (failed(postwire_client_connect(argv[1], NULL, &client, &error), &error, "connect") ||
      failed(postwire_client_declare_exchange(client, argv[2], exchange_options, 1, &error), &error,
             "declare exchange"))
    goto done;
  for (i = 0; i < SERVICE_COUNT; ++i) {
    const char* const binding_options[] = {"routing_key", services[i].pattern};
    snprintf(queue, sizeof queue, "%s.%s", argv[3], services[i].name);
    if (failed(postwire_client_declare_queue(client, queue, NULL, 0, NULL, NULL, NULL, &error),
               &error, "declare queue") ||
        failed(postwire_client_bind(client, argv[2], queue, binding_options, 1, &error), &error,
               "bind"))
      goto done;
  }

  if (failed(postwire_client_producer(client, &producer, &error), &error, "producer")) goto done;
  for (i = 0; i < EVENT_COUNT; ++i) {
    int size = snprintf(body, sizeof body, "{\"event\": \"%s\"}", events[i]);
    if (failed(postwire_producer_send_bytes(producer, destination, body, (size_t)size, events[i],
                                            strlen(events[i]), 0, &error),
               &error, "send"))
      goto done;
  }
  /* Wait until every send has its report and check that the broker confirmed each one. An
   * event no binding matched would fail as unroutable. */
  if (failed(postwire_producer_flush(producer, WAIT_MS, &error), &error, "flush") ||
      !all_confirmed(client))
    goto done;

  for (i = 0; i < SERVICE_COUNT; ++i) {
    uint64_t waiting = 0, received;
    snprintf(queue, sizeof queue, "%s.%s", argv[3], services[i].name);
    /* Every event is confirmed, so each queue already holds all it will get; declaring the
     * queue again says how many messages wait in it. */
    if (failed(postwire_client_declare_queue(client, queue, NULL, 0, NULL, &waiting, NULL, &error),
               &error, "declare queue") ||
        failed(postwire_client_subscribe(client, queue, 0, 0, &consumer, &error), &error,
               "subscribe"))
      goto done;
    printf("%s (%s):", services[i].name, services[i].pattern);
    for (received = 0; received < waiting; ++received) {
      const void* key = NULL;
      size_t size = 0;
      if (failed(postwire_consumer_poll(consumer, WAIT_MS, &message, &error), &error, "poll"))
        goto done;
      if (message == NULL) {
        fprintf(stderr, "no event on %s within %d s\n", queue, WAIT_MS / 1000);
        goto done;
      }
      if (failed(postwire_message_key(message, &key, &size, &error), &error, "key")) goto done;
      printf(" %.*s", (int)size, (const char*)key);
      if (failed(postwire_message_ack(message, &error), &error, "ack")) goto done;
      postwire_message_destroy(message);
      message = NULL;
    }
    printf("\n");
    if (failed(postwire_consumer_close(consumer, &error), &error, "close")) goto done;
    postwire_consumer_destroy(consumer);
    consumer = NULL;
  }

  exit_code = 0;

done:
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_producer_destroy(producer);
  if (client != NULL) {
    /* This is a demonstration: leave nothing behind on the broker, also after a failure. */
    if (!delete_declared(client, argv[2], argv[3]) ||
        failed(postwire_client_close(client, -1, &error), &error, "close client"))
      exit_code = 1;
    postwire_client_destroy(client);
  }
  return exit_code;
}
