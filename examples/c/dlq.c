/*
 * dlq URL QUEUE
 *
 * An order queue with a dead-letter queue. Sends four orders to QUEUE (JSON bodies, the
 * customer as key, the order number as id) and processes them: good orders are acked, an order
 * that fails for now is nacked with a delay and processed when it comes back, and an order that
 * can never succeed is dead-lettered with the reason. Then reads QUEUE.dlq, where dead letters
 * go, and prints each one with its reason (the pw-dead-letter-reason header).
 *
 * Run from the repository root after the dev build (cmake --build --preset dev):
 *   build/examples/c/postwire-example-c-dlq amqp://guest:guest@127.0.0.1:5672 orders
 */
#include <postwire.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORDER_COUNT 4
#define WAIT_MS 10000 /* how long to wait for something the broker should do promptly */
#define QUANTITY_FIELD "\"quantity\": "

static const struct order {
  const char* id;
  const char* customer;
  const char* item;
  int quantity;
} orders[ORDER_COUNT] = {
    {"order-1", "alice", "book", 2},
    {"order-2", "bob", "lamp", 0},   /* invalid: dead-lettered */
    {"order-3", "carol", "desk", 1}, /* fails at first: retried */
    {"order-4", "alice", "pen", 10},
};

enum outcome { PROCESSED, TRY_AGAIN_LATER, INVALID };

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

/* Stands in for the real work. It reads the one field it needs from the body by hand, where a
 * service would use a JSON library, and fails order-3's first delivery as an unavailable
 * warehouse would. On failure *reason says why. */
static enum outcome process(const char* id, const void* body, size_t size, uint32_t deliveries,
                            const char** reason) {
  char text[128];
  const char* field;
  if (size >= sizeof text) size = sizeof text - 1;
  memcpy(text, body, size);
  text[size] = '\0'; /* bodies are bytes; strstr needs a string */
  if ((field = strstr(text, QUANTITY_FIELD)) == NULL) {
    *reason = "no quantity";
    return INVALID;
  }
  if (strtol(field + strlen(QUANTITY_FIELD), NULL, 10) <= 0) {
    *reason = "quantity must be positive";
    return INVALID;
  }
  if (strcmp(id, "order-3") == 0 && deliveries == 1) {
    *reason = "warehouse unavailable";
    return TRY_AGAIN_LATER;
  }
  return PROCESSED;
}

int main(int argc, char** argv) {
  static const char* const queue_options[] = {"durable", "true"};
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* outgoing = NULL;
  postwire_consumer *consumer = NULL, *dead_letters = NULL;
  postwire_message* message = NULL;
  postwire_error* error = NULL;
  char dlq[256], body[64];
  int settled = 0, dead_lettered = 0, i, exit_code = 1;

  if (argc != 3) {
    fprintf(stderr, "usage: %s URL QUEUE\n", argv[0]);
    return 2;
  }
  /* Dead letters go to QUEUE + dead.letter.suffix. */
  if (snprintf(dlq, sizeof dlq, "%s.dlq", argv[2]) >= (int)sizeof dlq) {
    fprintf(stderr, "QUEUE is too long\n");
    return 2;
  }

  /* postwire declares the dead-letter queue with the first dead letter; declaring it here as
   * well lets this program subscribe to it before that. */
  if (failed(postwire_client_connect(argv[1], NULL, &client, &error), &error, "connect") ||
      failed(postwire_client_declare_queue(client, argv[2], queue_options, 1, NULL, NULL, NULL,
                                           &error),
             &error, "declare queue") ||
      failed(postwire_client_declare_queue(client, dlq, queue_options, 1, NULL, NULL, NULL, &error),
             &error, "declare dead-letter queue") ||
      failed(postwire_client_producer(client, &producer, &error), &error, "producer") ||
      failed(postwire_outgoing_new(&outgoing, &error), &error, "outgoing message"))
    goto done;

  for (i = 0; i < ORDER_COUNT; ++i) {
    int size = snprintf(body, sizeof body, "{\"item\": \"%s\", " QUANTITY_FIELD "%d}",
                        orders[i].item, orders[i].quantity);
    if (failed(postwire_outgoing_set_body(outgoing, body, (size_t)size, &error), &error, "body") ||
        failed(postwire_outgoing_set_key(outgoing, orders[i].customer, strlen(orders[i].customer),
                                         &error),
               &error, "key") ||
        failed(postwire_outgoing_set_id(outgoing, orders[i].id, &error), &error, "id") ||
        failed(postwire_outgoing_set_content_type(outgoing, "application/json", &error), &error,
               "content type") ||
        failed(postwire_producer_send(producer, argv[2], outgoing, 0, &error), &error, "send"))
      goto done;
  }
  if (failed(postwire_producer_flush(producer, WAIT_MS, &error), &error, "flush") ||
      !all_confirmed(client) ||
      failed(postwire_client_subscribe(client, argv[2], 0, 0, &consumer, &error), &error,
             "subscribe"))
    goto done;

  /* Every order is settled for good by an ack or a dead letter; a nack brings it back. */
  while (settled < ORDER_COUNT) {
    const char *id = NULL, *reason = NULL;
    const void* data = NULL;
    size_t size = 0;
    uint32_t deliveries = 0;
    if (failed(postwire_consumer_poll(consumer, WAIT_MS, &message, &error), &error, "poll"))
      goto done;
    if (message == NULL) {
      fprintf(stderr, "no order within %d s\n", WAIT_MS / 1000);
      goto done;
    }
    if (failed(postwire_message_id(message, &id, &error), &error, "id") ||
        failed(postwire_message_body(message, &data, &size, &error), &error, "body") ||
        failed(postwire_message_delivery_count(message, &deliveries, &error), &error,
               "delivery count"))
      goto done;
    switch (process(id, data, size, deliveries, &reason)) {
      case PROCESSED:
        if (failed(postwire_message_ack(message, &error), &error, "ack")) goto done;
        printf("processed %s (delivery %u)\n", id, (unsigned)deliveries);
        ++settled;
        break;
      case TRY_AGAIN_LATER:
        /* The broker holds it for 200 ms, then delivers it again with delivery count + 1 (even
         * if this process died meanwhile). */
        if (failed(postwire_message_nack(message, 200, &error), &error, "nack")) goto done;
        printf("retrying %s (delivery %u): %s\n", id, (unsigned)deliveries, reason);
        break;
      case INVALID: /* retrying cannot fix it: park it with the reason for a human */
        if (failed(postwire_message_dead_letter(message, reason, &error), &error, "dead letter"))
          goto done;
        printf("dead-lettered %s: %s\n", id, reason);
        ++settled;
        ++dead_lettered;
        break;
    }
    postwire_message_destroy(message);
    message = NULL;
  }

  /* The dead letters keep their id and body and carry the reason as a header. */
  if (failed(postwire_client_subscribe(client, dlq, 0, 0, &dead_letters, &error), &error,
             "subscribe to the dead-letter queue"))
    goto done;
  for (i = 0; i < dead_lettered; ++i) {
    const char* id = NULL;
    const void* reason = NULL;
    size_t size = 0;
    int found = 0;
    if (failed(postwire_consumer_poll(dead_letters, WAIT_MS, &message, &error), &error, "poll"))
      goto done;
    if (message == NULL) {
      fprintf(stderr, "no dead letter within %d s\n", WAIT_MS / 1000);
      goto done;
    }
    if (failed(postwire_message_id(message, &id, &error), &error, "id") ||
        failed(postwire_message_header(message, "pw-dead-letter-reason", &found, &reason, &size,
                                       &error),
               &error, "header"))
      goto done;
    printf("dlq: %s reason=%.*s\n", id, found ? (int)size : 6,
           found ? (const char*)reason : "(none)");
    if (failed(postwire_message_ack(message, &error), &error, "ack")) goto done;
    postwire_message_destroy(message);
    message = NULL;
  }

  if (failed(postwire_consumer_close(dead_letters, &error), &error, "close") ||
      failed(postwire_consumer_close(consumer, &error), &error, "close") ||
      failed(postwire_client_close(client, -1, &error), &error, "close client"))
    goto done;
  exit_code = 0;

done:
  postwire_message_destroy(message);
  postwire_consumer_destroy(dead_letters);
  postwire_consumer_destroy(consumer);
  postwire_outgoing_destroy(outgoing);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client);
  return exit_code;
}
