/*
 * producer URL QUEUE [COUNT]
 *
 * Sends COUNT messages (default 10) to QUEUE, each with an ordering key, a header and a token,
 * then waits on the client's wakeup fd until every delivery report has arrived. Exits 0 only
 * when the broker confirmed every message.
 */
#define _POSIX_C_SOURCE 200809L /* poll(2) */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <postwire.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every send gets exactly one report within delivery.timeout.ms, so waiting a little longer
 * than that for the next event can only time out if something is badly wrong. */
#define DELIVERY_TIMEOUT_MS "30000"
#define EVENT_WAIT_MS 35000

/* If `code` is a failure, prints what failed with the error's code name and message, frees
 * the error and returns 1. `error` is passed by address so that it is read after the call in
 * `failed(postwire_x(..., &error), &error, "x")` has set it. */
static int failed(postwire_code code, postwire_error** error, const char* what) {
  if (code == POSTWIRE_OK) return 0;
  fprintf(stderr, "%s failed: %s: %s\n", what, postwire_code_name(code),
          postwire_error_message(*error));
  postwire_error_destroy(*error);
  *error = NULL;
  return 1;
}

/* Handles one event: counts delivery reports and shows the rest. */
static void on_event(postwire_event* event, unsigned long* confirmed, unsigned long* failures) {
  postwire_error* error = NULL;
  const postwire_error* carried = NULL; /* borrowed from the event: not destroyed here */
  uint64_t token = 0;
  int32_t type = 0, level = 0, state = 0;
  const char *category = NULL, *text = NULL;

  if (failed(postwire_event_type_of(event, &type, &error), &error, "event type") ||
      failed(postwire_event_error(event, &carried, &error), &error, "event error"))
    return;
  if (type == POSTWIRE_EVENT_DELIVERY_REPORT) {
    if (failed(postwire_event_delivery_report(event, &token, NULL, NULL, NULL, NULL, &error),
               &error, "delivery report"))
      return;
    if (carried == NULL) {
      ++*confirmed;
    } else {
      ++*failures;
      fprintf(stderr, "message %" PRIu64 " failed: %s: %s\n", token,
              postwire_code_name(postwire_error_code(carried)), postwire_error_message(carried));
    }
  } else if (type == POSTWIRE_EVENT_LOG) {
    if (!failed(postwire_event_log(event, &level, &category, &text, &error), &error, "log"))
      fprintf(stderr, "log %s: %s\n", category, text);
  } else if (type == POSTWIRE_EVENT_CONNECTION) {
    /* Lost connections are recovered on their own; unconfirmed messages are sent again. */
    if (!failed(postwire_event_connection(event, &state, &text, &error), &error, "connection"))
      fprintf(stderr, "connection to %s: state %d%s%s\n", text, (int)state, carried ? ", " : "",
              carried ? postwire_error_message(carried) : "");
  } else if (carried != NULL) {
    fprintf(stderr, "event %d: %s\n", (int)type, postwire_error_message(carried));
  }
}

int main(int argc, char** argv) {
  static const char* const queue_options[] = {"durable", "true"};
  postwire_config* config = NULL;
  postwire_client* client = NULL;
  postwire_producer* producer = NULL;
  postwire_outgoing* message = NULL;
  postwire_error* error = NULL;
  char *stats = NULL, *end = NULL;
  const char* source = "c-producer";
  char body[64], key[32];
  unsigned long count = 10, i, confirmed = 0, failures = 0;
  struct pollfd ready = {.fd = -1, .events = POLLIN};
  int exit_code = 1;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s URL QUEUE [COUNT]\n", argv[0]);
    return 2;
  }
  if (argc == 4 && ((count = strtoul(argv[3], &end, 10)) == 0 || *end != '\0')) {
    fprintf(stderr, "COUNT must be a positive number, not '%s'\n", argv[3]);
    return 2;
  }

  /* Options are strings in every language; a mistyped key or value fails here, by name. */
  if (failed(postwire_config_new(&config, &error), &error, "config") ||
      failed(postwire_config_set(config, "client.id", "c-example-producer", &error), &error,
             "client.id") ||
      failed(postwire_config_set(config, "log.level", "warn", &error), &error, "log.level") ||
      failed(postwire_config_set(config, "delivery.timeout.ms", DELIVERY_TIMEOUT_MS, &error),
             &error, "delivery.timeout.ms"))
    goto done;

  /* Blocks until connected. The client copies the config, which may be destroyed any time. */
  if (failed(postwire_client_connect(argv[1], config, &client, &error), &error, "connect") ||
      failed(postwire_client_declare_queue(client, argv[2], queue_options, 1, NULL, NULL, NULL,
                                           &error),
             &error, "declare queue") ||
      failed(postwire_client_producer(client, &producer, &error), &error, "producer") ||
      failed(postwire_outgoing_new(&message, &error), &error, "outgoing message"))
    goto done;

  for (i = 0; i < count; ++i) {
    int body_size = snprintf(body, sizeof body, "message %lu of %lu", i + 1, count);
    int key_size = snprintf(key, sizeof key, "customer-%lu", i % 3);
    /* Setters copy their arguments; send() moves the contents out and leaves `message` empty,
     * so one outgoing message serves the whole loop. The token (here the index) comes back in
     * the delivery report and says which message the report is about. */
    if (failed(postwire_outgoing_set_body(message, body, (size_t)body_size, &error), &error,
               "body") ||
        failed(postwire_outgoing_set_key(message, key, (size_t)key_size, &error), &error, "key") ||
        failed(
            postwire_outgoing_add_header(message, "example-source", source, strlen(source), &error),
            &error, "header") ||
        failed(postwire_producer_send(producer, argv[2], message, (uint64_t)i, &error), &error,
               "send"))
      goto done;
  }

  /* send() returned at once; the outcomes arrive as events. The wakeup fd is readable while
   * events wait, so an application can put it in the poll(2) or epoll set it already has. */
  if (failed(postwire_client_wakeup_fd(client, &ready.fd, &error), &error, "wakeup fd")) goto done;
  while (confirmed + failures < count) {
    postwire_event* events[64];
    size_t n = 0, k;
    int polled = poll(&ready, 1, EVENT_WAIT_MS);

    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) {
      fprintf(stderr, "no event within %d ms: %s\n", EVENT_WAIT_MS,
              polled < 0 ? strerror(errno) : "giving up");
      goto done;
    }
    /* Readable: take what is there without waiting (timeout 0), then wait on the fd again. */
    if (failed(postwire_client_poll(client, events, 64, 0, &n, &error), &error, "poll")) goto done;
    for (k = 0; k < n; ++k) {
      on_event(events[k], &confirmed, &failures);
      postwire_event_destroy(events[k]);
    }
  }
  printf("%lu confirmed, %lu failed\n", confirmed, failures);

  if (failed(postwire_client_stats(client, &stats, &error), &error, "stats")) goto done;
  printf("%s\n", stats);
  postwire_free(stats);

  if (failed(postwire_client_close(client, -1, &error), &error, "close")) goto done;
  exit_code = confirmed == count ? 0 : 1;

done:
  /* Destroying NULL does nothing, so one cleanup path serves every exit. */
  postwire_outgoing_destroy(message);
  postwire_producer_destroy(producer);
  postwire_client_destroy(client); /* closes first if the close above was not reached */
  postwire_config_destroy(config);
  return exit_code;
}
