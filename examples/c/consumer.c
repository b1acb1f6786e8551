/*
 * consumer URL QUEUE [COUNT]
 *
 * Receives COUNT messages (default 10) from QUEUE, prints each one and acknowledges it. Exits 0
 * when COUNT messages arrived, nonzero when none arrives for 10 seconds or anything fails.
 */
#include <postwire.h>
#include <stdio.h>
#include <stdlib.h>

#define RECEIVE_TIMEOUT_MS 10000

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

/* Prints a message's body, key, id, delivery count and one header. Every pointer here is
 * borrowed from the message and valid until it is destroyed. */
static int print_message(const postwire_message* message) {
  postwire_error* error = NULL;
  const void *body = NULL, *key = NULL, *source = NULL;
  size_t body_size = 0, key_size = 0, source_size = 0;
  const char* id = NULL;
  uint32_t deliveries = 0;
  int found = 0;

  if (failed(postwire_message_body(message, &body, &body_size, &error), &error, "body") ||
      failed(postwire_message_key(message, &key, &key_size, &error), &error, "key") ||
      failed(postwire_message_id(message, &id, &error), &error, "id") ||
      failed(postwire_message_delivery_count(message, &deliveries, &error), &error,
             "delivery count") ||
      failed(
          postwire_message_header(message, "example-source", &found, &source, &source_size, &error),
          &error, "header"))
    return 0;
  /* Bodies, keys and header values are bytes, not strings: print them with their length.
   * (The example's bodies are short text; arbitrary bytes would need escaping.) */
  printf("%.*s (key %.*s, id %s, delivery %u, example-source %.*s)\n", (int)body_size,
         (const char*)body, (int)key_size, (const char*)key, id, (unsigned)deliveries,
         found ? (int)source_size : 1, found ? (const char*)source : "-");
  return 1;
}

int main(int argc, char** argv) {
  static const char* const queue_options[] = {"durable", "true"};
  postwire_config* config = NULL;
  postwire_client* client = NULL;
  postwire_consumer* consumer = NULL;
  postwire_message* message = NULL;
  postwire_error* error = NULL;
  char* end = NULL;
  unsigned long count = 10, received = 0;
  int exit_code = 1;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s URL QUEUE [COUNT]\n", argv[0]);
    return 2;
  }
  if (argc == 4 && ((count = strtoul(argv[3], &end, 10)) == 0 || *end != '\0')) {
    fprintf(stderr, "COUNT must be a positive number, not '%s'\n", argv[3]);
    return 2;
  }

  if (failed(postwire_config_new(&config, &error), &error, "config") ||
      failed(postwire_config_set(config, "client.id", "c-example-consumer", &error), &error,
             "client.id") ||
      failed(postwire_client_connect(argv[1], config, &client, &error), &error, "connect") ||
      /* Declaring with the producer's options is harmless when the queue exists and lets the
       * consumer start first. */
      failed(postwire_client_declare_queue(client, argv[2], queue_options, 1, NULL, NULL, NULL,
                                           &error),
             &error, "declare queue") ||
      /* Prefetch 0 takes consumer.prefetch.count; flags 0 delivers through
       * postwire_consumer_poll() rather than the client's event queue. */
      failed(postwire_client_subscribe(client, argv[2], 0, 0, &consumer, &error), &error,
             "subscribe"))
    goto done;

  while (received < count) {
    /* Blocks up to the timeout; success with no message means nothing arrived in time. */
    if (failed(postwire_consumer_poll(consumer, RECEIVE_TIMEOUT_MS, &message, &error), &error,
               "poll"))
      goto done;
    if (message == NULL) {
      fprintf(stderr, "no message within %d ms (%lu of %lu received)\n", RECEIVE_TIMEOUT_MS,
              received, count);
      goto done;
    }
    if (!print_message(message)) goto done;
    /* Settle each message exactly once. Processing that failed for now would instead call
     *   postwire_message_nack(message, 30000, &error)   -- delivered again in 30 s
     * and a message that can never be processed
     *   postwire_message_dead_letter(message, "why", &error)   -- moved to QUEUE.dlq */
    if (failed(postwire_message_ack(message, &error), &error, "ack")) goto done;
    postwire_message_destroy(message);
    message = NULL;
    ++received;
  }
  printf("%lu received\n", received);

  /* Closing the consumer stops deliveries; anything it holds unsettled goes back to the
   * queue. Closing the client then ends the connection. */
  if (failed(postwire_consumer_close(consumer, &error), &error, "close consumer") ||
      failed(postwire_client_close(client, -1, &error), &error, "close client"))
    goto done;
  exit_code = 0;

done:
  /* A message destroyed unsettled is redelivered once its consumer closes. */
  postwire_message_destroy(message);
  postwire_consumer_destroy(consumer);
  postwire_client_destroy(client);
  postwire_config_destroy(config);
  return exit_code;
}
