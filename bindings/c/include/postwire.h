/*
 * postwire.h - the stable C ABI of postwire, one messaging client for RabbitMQ, Apache Kafka
 * and Amazon SQS. Every language binding (Python, Node.js, Java) binds this header; C programs
 * link libpostwire.so directly.
 *
 * Conventions (they hold for every function unless its comment says otherwise):
 *
 * - Handles are opaque pointers. Each kind has a constructor and a destroy function; the
 *   caller owns what a constructor returns and frees it with that destroy function, once.
 *   Destroying NULL does nothing.
 * - Functions return a postwire_code: POSTWIRE_OK (0) or an error code. Results are written
 *   through out-parameters, which are left unchanged on failure. The few that cannot fail
 *   (postwire_version*, postwire_code_*, the accessors of postwire_error) return their
 *   value directly, and destroy functions return nothing.
 * - The last parameter `error` may be NULL. When it is not, *error is set to NULL on success
 *   and, on failure, to a new postwire_error that the caller frees with
 *   postwire_error_destroy(). The error holds a code, a message naming what was wrong, and
 *   whether retrying may help (retriable) or the client is unusable (fatal).
 * - Strings are UTF-8 and NUL-terminated unless passed as (pointer, length) pairs, which may
 *   hold any bytes (bodies, keys, header values). Strings a function returns as `const char *`
 *   are borrowed from the handle they came from and stay valid until that handle is destroyed.
 *   Strings returned as `char *` belong to the caller, who frees them with postwire_free().
 * - Wrong but legal calls are reported, never crash: NULL arguments, a handle of the wrong
 *   kind, use after close, closing twice, settling a message twice, and calls from a child
 *   process forked after the client was created all return an error. Using a handle after
 *   destroying it is undefined, as with free().
 * - Thread safety: clients, producers and consumers may be used from any thread at once. A
 *   message may be settled from any thread. Events, errors, outgoing messages and configs are
 *   not shared: use each from one thread at a time.
 * - Each function's comment ends with what it hands over (Owns), which threads may call it
 *   (Threads) and whether it waits (Blocks). The library never calls back into the
 *   application: every asynchronous result arrives as an event it polls.
 * - No exception, abort or C++ type crosses this boundary.
 *
 * ABI stability: symbols are only added. Enumerations have explicit values and only grow at
 * the end. Configuration, queue, exchange and binding options are string key/value pairs, so a
 * newer library accepts new options without an ABI change. docs/abi/symbols.txt lists every
 * symbol with the version that added it.
 */
#ifndef POSTWIRE_H
#define POSTWIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define POSTWIRE_EXPORT __attribute__((visibility("default")))
#else
#define POSTWIRE_EXPORT
#endif

/* ---------------------------------------------------------------------------------------- */
/* Version                                                                                  */
/* ---------------------------------------------------------------------------------------- */

#define POSTWIRE_VERSION_MAJOR 0
#define POSTWIRE_VERSION_MINOR 1
#define POSTWIRE_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH: 0.1.0 is 100. */
#define POSTWIRE_VERSION_NUM \
  (POSTWIRE_VERSION_MAJOR * 10000 + POSTWIRE_VERSION_MINOR * 100 + POSTWIRE_VERSION_PATCH)

/* The version of the library loaded at run time, e.g. "0.1.0". Never fails.
 * Owns: static storage, never freed. Threads: any. Blocks: no. */
POSTWIRE_EXPORT const char* postwire_version(void);

/* The same as a number (POSTWIRE_VERSION_NUM of the loaded library).
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT int postwire_version_num(void);

/* ---------------------------------------------------------------------------------------- */
/* Errors                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Status and error codes. The values equal the C++ core's postwire::ErrorCode and never
 * change; new codes are only added. By hundreds: 1xx the caller's input, 2xx network and TLS,
 * 3xx the broker refused, 4xx local limits and state, 5xx protocol, 9xx postwire's own faults.
 * docs/errors.md describes each one. */
typedef int32_t postwire_code;
/* The codes by name; functions take and return them as postwire_code. */
typedef enum postwire_code_value {
  POSTWIRE_OK = 0,
  POSTWIRE_ERR_INVALID_ARGUMENT = 100,
  POSTWIRE_ERR_CONFIG_UNKNOWN_KEY = 101,
  POSTWIRE_ERR_CONFIG_INVALID_VALUE = 102,
  POSTWIRE_ERR_INVALID_URL = 103,
  POSTWIRE_ERR_CONNECTION_REFUSED = 200,
  POSTWIRE_ERR_TIMED_OUT = 201,
  POSTWIRE_ERR_NAME_RESOLUTION_FAILED = 202,
  POSTWIRE_ERR_CONNECTION_CLOSED = 203,
  POSTWIRE_ERR_NETWORK_ERROR = 204,
  POSTWIRE_ERR_TLS_HANDSHAKE_FAILED = 210,
  POSTWIRE_ERR_TLS_CERTIFICATE_REJECTED = 211,
  POSTWIRE_ERR_TLS_SETUP_FAILED = 212,
  POSTWIRE_ERR_AUTHENTICATION_FAILED = 300,
  POSTWIRE_ERR_ACCESS_DENIED = 301,
  POSTWIRE_ERR_NOT_FOUND = 302,
  POSTWIRE_ERR_UNROUTABLE = 303,
  POSTWIRE_ERR_PRECONDITION_FAILED = 304,
  POSTWIRE_ERR_RESOURCE_LOCKED = 305,
  POSTWIRE_ERR_BROKER_NACKED = 306,
  POSTWIRE_ERR_BROKER_ERROR = 307,
  POSTWIRE_ERR_QUEUE_FULL = 400,
  POSTWIRE_ERR_SHUTTING_DOWN = 401,
  POSTWIRE_ERR_CLOSED = 402,
  POSTWIRE_ERR_FORKED_PROCESS = 403,
  POSTWIRE_ERR_RETRY_BUDGET_EXHAUSTED = 404,
  POSTWIRE_ERR_DELIVERY_TIMEOUT = 405,
  POSTWIRE_ERR_NOT_SUPPORTED = 406,
  POSTWIRE_ERR_PROTOCOL_ERROR = 500,
  POSTWIRE_ERR_MESSAGE_TOO_LARGE = 501,
  POSTWIRE_ERR_INTERNAL = 900
} postwire_code_value;

/* An error: code, message, and two flags. Owned by whoever received it (from an `error`
 * out-parameter), freed with postwire_error_destroy(); errors borrowed from an event belong to
 * the event. Not shared between threads. */
typedef struct postwire_error postwire_error;

/* The error's code; POSTWIRE_ERR_INVALID_ARGUMENT for NULL or a handle that is not an error.
 * Threads: any (read-only). Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_error_code(const postwire_error* error);
/* A message for people, naming what was wrong, never containing secrets. A fixed text for NULL
 * or a handle that is not an error.
 * Owns: borrowed from `error`, valid until it is destroyed. Threads: any (read-only). Blocks: no.
 */
POSTWIRE_EXPORT const char* postwire_error_message(const postwire_error* error);
/* 1 if the same operation may succeed when tried again, else 0 (also for NULL).
 * Threads: any (read-only). Blocks: no. */
POSTWIRE_EXPORT int postwire_error_retriable(const postwire_error* error);
/* 1 if the client that raised it can no longer be used and must be closed, else 0.
 * Threads: any (read-only). Blocks: no. */
POSTWIRE_EXPORT int postwire_error_fatal(const postwire_error* error);
/* Frees an error received through an `error` out-parameter. NULL does nothing. Do not destroy
 * an error borrowed from an event.
 * Threads: the one using the error. Blocks: no. */
POSTWIRE_EXPORT void postwire_error_destroy(postwire_error* error);

/* The name of a code ("ok", "timed_out", ...), "unknown" for a value this version does not
 * know.
 * Owns: static storage, never freed. Threads: any. Blocks: no. */
POSTWIRE_EXPORT const char* postwire_code_name(postwire_code code);
/* 1 if errors of `code` are retriable, else 0 (also for a value this version does not know):
 * the default docs/errors.md lists, which the site raising an error may override, so prefer
 * postwire_error_retriable() on an error at hand. For bindings that raise an error of their
 * own with a code of this ABI (an object closed on their side) and want its flags to agree.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT int postwire_code_retriable(postwire_code code);
/* 1 if errors of `code` are fatal (the client must be closed), else 0 (also for a value this
 * version does not know): the default docs/errors.md lists, as postwire_code_retriable().
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT int postwire_code_fatal(postwire_code code);

/* Frees a `char *` that a postwire function returned to the caller. NULL does nothing.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT void postwire_free(void* memory);

/* ---------------------------------------------------------------------------------------- */
/* Configuration                                                                            */
/* ---------------------------------------------------------------------------------------- */

/* A set of string options ("delivery.timeout.ms" = "30000", ...). docs/configuration.md lists
 * them. Owned by the caller, freed with postwire_config_destroy(); one thread at a time. A
 * client copies its config when it connects, so the config may be destroyed afterwards. */
typedef struct postwire_config postwire_config;

/* A new empty config (every option at its default) in *config.
 * Owns: the caller frees *config with postwire_config_destroy(). Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_config_new(postwire_config** config, postwire_error** error);
/* Validates and sets one option. The key and value are passed to the core unchanged, so
 * options added by a newer library need no new function. An unknown key
 * (POSTWIRE_ERR_CONFIG_UNKNOWN_KEY) or a bad value (POSTWIRE_ERR_CONFIG_INVALID_VALUE) leaves
 * the config unchanged; the message names the key and what it accepts.
 * Owns: copies key and value. Threads: one at a time per config. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_config_set(postwire_config* config, const char* key,
                                                  const char* value, postwire_error** error);
/* Frees a config. NULL does nothing.
 * Threads: one at a time per config. Blocks: no. */
POSTWIRE_EXPORT void postwire_config_destroy(postwire_config* config);

/* ---------------------------------------------------------------------------------------- */
/* Client                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* A connection to one broker cluster with its own IO thread and event queue. Owned by the
 * caller, freed with postwire_client_destroy(). Thread-safe. Producers, consumers, messages and
 * events taken from it stay valid handles after it is closed or destroyed: calls that need the
 * broker (send, subscribe, topology, settling) then fail with POSTWIRE_ERR_CLOSED, while reading
 * messages and events, stats, and polling the events queued before the close still work. Free
 * them with their own destroy functions. */
typedef struct postwire_client postwire_client;

/* Connects to `url` (amqp://user:pass@host:5672/vhost, amqps://..., kafka://host:9092,
 * kafka+tls://..., several hosts as host1:5672,host2) with `config` (NULL: defaults; copied, not
 * kept) and returns the client in *client. Blocks until connected or failed:
 * socket.connection.setup.timeout.ms per host, every host tried in turn. Fails with invalid_url,
 * config errors, authentication_failed, not_found (vhost), connection_refused or timed_out naming
 * every host tried. Owns: the caller frees *client with postwire_client_destroy(); `config` is
 * copied. Threads: any. Blocks: yes. */
POSTWIRE_EXPORT postwire_code postwire_client_connect(const char* url,
                                                      const postwire_config* config,
                                                      postwire_client** client,
                                                      postwire_error** error);

/* Flushes for up to `timeout_ms` (negative: the default of 10000 ms), then closes every
 * connection. Messages still unconfirmed get a failed delivery report (closed); consumers stop
 * and their unsettled messages are redelivered by the broker. Blocks. A second close fails with
 * POSTWIRE_ERR_CLOSED. Events already queued can still be polled after close; the wakeup fd
 * then stays readable, so stop watching it once postwire_client_poll() returns no events.
 * Threads: any. Blocks: yes, up to timeout_ms plus the time to close connections. */
POSTWIRE_EXPORT postwire_code postwire_client_close(postwire_client* client, int64_t timeout_ms,
                                                    postwire_error** error);

/* Closes the client if it is open (as postwire_client_close with the default timeout, so it
 * may block) and frees the handle. In a forked child it frees without touching the parent's
 * connections. NULL does nothing.
 * Threads: any, once no other thread uses the client. Blocks: yes, when it closes. */
POSTWIRE_EXPORT void postwire_client_destroy(postwire_client* client);

/* The fd that is readable while events are waiting to be polled: wait on it with poll(2),
 * epoll or an event loop, then call postwire_client_poll(). Owned by the client: do not close
 * it or read from it. Valid until the client is destroyed.
 * Owns: the fd belongs to the client. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_client_wakeup_fd(postwire_client* client, int* fd,
                                                        postwire_error** error);

/* The event kinds. Values never change; new kinds are only added at the end. */
typedef enum postwire_event_type {
  POSTWIRE_EVENT_DELIVERY_REPORT = 1,  /* the outcome of one send, with its token */
  POSTWIRE_EVENT_MESSAGE = 2,          /* a message for a consumer subscribed with
                                          POSTWIRE_SUBSCRIBE_TO_EVENTS */
  POSTWIRE_EVENT_ERROR = 3,            /* an error not tied to one send (a failed ack, ...) */
  POSTWIRE_EVENT_LOG = 4,              /* a log record (log.level) */
  POSTWIRE_EVENT_CONSUMER = 5,         /* a consumer's state changed */
  POSTWIRE_EVENT_FLOW = 6,             /* the broker blocked or unblocked publishers */
  POSTWIRE_EVENT_CONNECTION = 7,       /* the connection was lost, recovered, failed, closed */
  POSTWIRE_EVENT_SOURCES_ASSIGNED = 8, /* a consumer in a group was given partitions of its
                                          source (postwire_event_assignment) */
  POSTWIRE_EVENT_SOURCES_REVOKED = 9   /* ... or had them taken away; RabbitMQ raises neither */
} postwire_event_type;

/* One asynchronous result. Owned by the caller of postwire_client_poll(), freed with
 * postwire_event_destroy(); one thread at a time. */
typedef struct postwire_event postwire_event;

/* Moves up to `max` events into events[0..*count), waiting up to `timeout_ms` for the first
 * (0: do not wait; negative: until an event arrives or the client is closed). *count is 0 when
 * none arrived in time. The caller owns each event returned. Blocks up to timeout_ms. Call it
 * from one thread at a time; any thread.
 * Owns: the caller frees each events[i] with postwire_event_destroy(). Threads: one at a time per
 * client. Blocks: up to timeout_ms. */
POSTWIRE_EXPORT postwire_code postwire_client_poll(postwire_client* client, postwire_event** events,
                                                   size_t max, int64_t timeout_ms, size_t* count,
                                                   postwire_error** error);

/* The client's counters and latencies as one JSON object (docs/c-api.md lists the fields),
 * returned in *json, which the caller frees with postwire_free(). Holds no names, addresses or
 * credentials.
 * Owns: the caller frees *json with postwire_free(). Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_client_stats(postwire_client* client, char** json,
                                                    postwire_error** error);

/* What the connected broker can do, as bits. An operation the broker cannot do fails with
 * POSTWIRE_ERR_NOT_SUPPORTED; docs/capabilities.md lists the same facts per broker. */
typedef enum postwire_capability {
  POSTWIRE_CAP_EXCHANGES = 1u << 0,
  POSTWIRE_CAP_PRIORITIES = 1u << 1,
  POSTWIRE_CAP_PER_MESSAGE_TTL = 1u << 2,
  POSTWIRE_CAP_DELAYED_NACK = 1u << 3,
  POSTWIRE_CAP_BROKER_DEAD_LETTER = 1u << 4,
  POSTWIRE_CAP_EXCLUSIVE_CONSUMERS = 1u << 5,
  POSTWIRE_CAP_SINGLE_ACTIVE_CONSUMER = 1u << 6,
  POSTWIRE_CAP_QUORUM_QUEUES = 1u << 7,
  POSTWIRE_CAP_PARTITIONS = 1u << 8,           /* sources split into partitions (positions) */
  POSTWIRE_CAP_SEEK = 1u << 9,                 /* consuming from a chosen position */
  POSTWIRE_CAP_CONSUMER_GROUPS = 1u << 10,     /* consumers share a source by group */
  POSTWIRE_CAP_FIFO = 1u << 11,                /* strict order per key, broker-side dedup */
  POSTWIRE_CAP_NATIVE_DELAY = 1u << 12,        /* the broker delays a message itself */
  POSTWIRE_CAP_VISIBILITY_EXTENSION = 1u << 13 /* a received message's lease can be extended */
} postwire_capability;
/* The POSTWIRE_CAP_* bits of the connected broker in *capabilities.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_client_capabilities(postwire_client* client,
                                                           uint64_t* capabilities,
                                                           postwire_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Topology and administration (all block until the broker answers: request.timeout.ms)     */
/* ---------------------------------------------------------------------------------------- */
/* Options are given as an array of 2 * option_count strings: key, value, key, value... (NULL
 * when option_count is 0). Booleans are "true" or "false" ("1", "0"), numbers decimal;
 * unknown keys and bad values fail with POSTWIRE_ERR_INVALID_ARGUMENT naming the key and what
 * it accepts. Declared topology is restored after a reconnect. */

/* Declares a queue. `name` "" asks the broker to name it. Options: durable (true),
 * exclusive (false), auto_delete (false), type (classic|quorum), dead_letter_exchange,
 * dead_letter_routing_key, message_ttl_ms, expires_ms, max_length, max_length_bytes,
 * overflow (drop-head|reject-publish|reject-publish-dlx), max_priority (0..255),
 * delivery_limit, single_active_consumer (false). Any other option is the broker's own: on
 * Kafka, where a queue is a topic, partitions, replication.factor and topic configs such as
 * retention.ms (docs/c-api.md#kafka); a broker refuses what it does not know, naming it. On
 * success *name_out (if not NULL) receives the queue's name (free with postwire_free()), and
 * *message_count / *consumer_count (each may be NULL) what the broker reports.
 * Owns: the caller frees *name_out with postwire_free(); options are read, not kept. Threads: any.
 * Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_declare_queue(
    postwire_client* client, const char* name, const char* const* options, size_t option_count,
    char** name_out, uint64_t* message_count, uint64_t* consumer_count, postwire_error** error);

/* Declares an exchange. Options: type (direct|fanout|topic|headers; direct), durable (true),
 * auto_delete (false), internal (false).
 * Owns: options are read, not kept. Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_declare_exchange(postwire_client* client,
                                                               const char* name,
                                                               const char* const* options,
                                                               size_t option_count,
                                                               postwire_error** error);

/* Binds `destination` (a queue, or an exchange with destination_is_exchange=true) to
 * `exchange`. Options: routing_key (""), destination_is_exchange (false), match (all|any; for
 * headers exchanges), and header.NAME = VALUE for each header a headers exchange matches.
 * Owns: options are read, not kept. Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_bind(postwire_client* client, const char* exchange,
                                                   const char* destination,
                                                   const char* const* options, size_t option_count,
                                                   postwire_error** error);
/* Removes a binding made by postwire_client_bind() with the same arguments.
 * Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_unbind(postwire_client* client, const char* exchange,
                                                     const char* destination,
                                                     const char* const* options,
                                                     size_t option_count, postwire_error** error);

/* Removes every message from a queue; *removed (may be NULL) receives how many.
 * Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_purge_queue(postwire_client* client, const char* name,
                                                          uint64_t* removed,
                                                          postwire_error** error);

/* Deletes a queue. Options: if_unused (false), if_empty (false). *removed (may be NULL)
 * receives how many messages it held.
 * Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_delete_queue(postwire_client* client,
                                                           const char* name,
                                                           const char* const* options,
                                                           size_t option_count, uint64_t* removed,
                                                           postwire_error** error);

/* Deletes an exchange. Options: if_unused (false: delete even while something is bound to
 * it).
 * Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_delete_exchange(postwire_client* client,
                                                              const char* name,
                                                              const char* const* options,
                                                              size_t option_count,
                                                              postwire_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Producing                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* Sends messages through its client. Owned by the caller, freed with
 * postwire_producer_destroy() (which does not flush). Thread-safe: many threads may send
 * through one producer. */
typedef struct postwire_producer postwire_producer;

/* A new producer of `client` in *producer.
 * Owns: the caller frees *producer with postwire_producer_destroy(). Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_client_producer(postwire_client* client,
                                                       postwire_producer** producer,
                                                       postwire_error** error);
/* Frees a producer. Messages it sent are still delivered and reported. NULL does nothing.
 * Threads: any, once no other thread uses the producer. Blocks: no. */
POSTWIRE_EXPORT void postwire_producer_destroy(postwire_producer* producer);

/* A message being built for sending. Owned by the caller, freed with
 * postwire_outgoing_destroy(); one thread at a time; reusable. Setters copy what they are
 * given. */
typedef struct postwire_outgoing postwire_outgoing;

/* A new, empty outgoing message in *message: empty body, no key, no headers, persistent, an
 * id assigned at send.
 * Owns: the caller frees *message with postwire_outgoing_destroy(). Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_new(postwire_outgoing** message,
                                                    postwire_error** error);
/* Frees an outgoing message. NULL does nothing.
 * Threads: the one using the message. Blocks: no. */
POSTWIRE_EXPORT void postwire_outgoing_destroy(postwire_outgoing* message);
/* Empties the message, as if new.
 * Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_clear(postwire_outgoing* message,
                                                      postwire_error** error);
/* The body: `size` bytes at `data` (NULL allowed when size is 0).
 * Owns: copies the bytes. Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_body(postwire_outgoing* message,
                                                         const void* data, size_t size,
                                                         postwire_error** error);
/* The ordering key: messages with one key keep their order. On RabbitMQ it is the routing key
 * when sending to "exchange/NAME", and travels in the pw-key header (docs/envelope.md).
 * Owns: copies the bytes. Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_key(postwire_outgoing* message,
                                                        const void* data, size_t size,
                                                        postwire_error** error);
/* The idempotency key. Empty or never set: send assigns a UUIDv7.
 * Owns: copies the id. Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_id(postwire_outgoing* message, const char* id,
                                                       postwire_error** error);
/* Appends an application header; names may repeat. The value is `size` bytes at `value`.
 * Owns: copies name and value. Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_add_header(postwire_outgoing* message,
                                                           const char* name, const void* value,
                                                           size_t size, postwire_error** error);
/* Owns: copies it. Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_content_type(postwire_outgoing* message,
                                                                 const char* content_type,
                                                                 postwire_error** error);
/* Priority 0..255 for queues with max_priority; -1 clears it.
 * Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_priority(postwire_outgoing* message,
                                                             int32_t priority,
                                                             postwire_error** error);
/* Expire the message after `ttl_ms` milliseconds; -1 clears it.
 * Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_ttl(postwire_outgoing* message, int64_t ttl_ms,
                                                        postwire_error** error);
/* The timestamp in milliseconds since the Unix epoch; -1: the time of send (the default).
 * Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_timestamp(postwire_outgoing* message,
                                                              int64_t unix_ms,
                                                              postwire_error** error);
/* Nonzero (the default): survive a broker restart where the destination is durable.
 * Threads: one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_outgoing_set_persistent(postwire_outgoing* message,
                                                               int persistent,
                                                               postwire_error** error);

/* Queues `message` for `destination` ("queue-name", or "exchange/NAME" to publish to exchange
 * NAME with the key as routing key). The outcome arrives later as exactly one
 * POSTWIRE_EVENT_DELIVERY_REPORT carrying `token`. The message's contents move into the send
 * buffer (no copy) and `message` is left empty, ready to be filled again; on failure it is
 * left as it was. Blocks up to max.block.ms while the send buffer is full or the broker blocks
 * publishers, then fails with POSTWIRE_ERR_QUEUE_FULL; fails at once with message_too_large,
 * invalid_argument or closed.
 * Owns: `message` stays the caller's (emptied on success). Threads: any, many at once per producer;
 * one at a time per message. Blocks: up to max.block.ms. */
POSTWIRE_EXPORT postwire_code postwire_producer_send(postwire_producer* producer,
                                                     const char* destination,
                                                     postwire_outgoing* message, uint64_t token,
                                                     postwire_error** error);
/* The common case in one call: sends `body_size` bytes at `body` with the ordering key
 * `key_size` bytes at `key` (NULL/0: none) and every other field at its default. The body is
 * copied once, into the send buffer. Blocks as postwire_producer_send().
 * Owns: copies body and key. Threads: any, many at once. Blocks: up to max.block.ms. */
POSTWIRE_EXPORT postwire_code postwire_producer_send_bytes(postwire_producer* producer,
                                                           const char* destination,
                                                           const void* body, size_t body_size,
                                                           const void* key, size_t key_size,
                                                           uint64_t token, postwire_error** error);
/* As postwire_producer_send(), but never blocks, for callers on an event loop: when the send
 * buffer is full or the broker blocks publishers, the message waits in the client's line of
 * sends, in the order they were made, for up to max.block.ms, and if no room comes its
 * delivery report fails with POSTWIRE_ERR_QUEUE_FULL. The line holds queue.waiting.max.messages
 * messages and queue.buffering.max.kbytes of bodies; only when it is full too does the call fail
 * at once with
 * POSTWIRE_ERR_QUEUE_FULL (`message` left as it was). Other failures as
 * postwire_producer_send().
 * Owns: `message` stays the caller's (emptied on success). Threads: any, many at once per producer;
 * one at a time per message. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_producer_send_nowait(postwire_producer* producer,
                                                            const char* destination,
                                                            postwire_outgoing* message,
                                                            uint64_t token, postwire_error** error);
/* postwire_producer_send_bytes() without blocking, as postwire_producer_send_nowait().
 * Owns: copies body and key. Threads: any, many at once. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_producer_send_bytes_nowait(
    postwire_producer* producer, const char* destination, const void* body, size_t body_size,
    const void* key, size_t key_size, uint64_t token, postwire_error** error);
/* Waits until every message sent so far through the client (by any of its producers) has its
 * delivery report queued. Blocks up to
 * `timeout_ms` (negative: no limit), then fails with POSTWIRE_ERR_TIMED_OUT.
 * Threads: any. Blocks: up to timeout_ms. */
POSTWIRE_EXPORT postwire_code postwire_producer_flush(postwire_producer* producer,
                                                      int64_t timeout_ms, postwire_error** error);
/* How many messages were sent through the client (by any of its producers) and are not yet
 * reported, in *count.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_producer_in_flight(postwire_producer* producer,
                                                          size_t* count, postwire_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Consuming                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* Receives messages from one source (a queue). Owned by the caller, freed with
 * postwire_consumer_destroy(), which closes it. Thread-safe; poll from one thread at a
 * time. */
typedef struct postwire_consumer postwire_consumer;

/* Flags for postwire_client_subscribe(). */
typedef enum postwire_subscribe_flag {
  /* Refuse other consumers of the source while this one consumes. */
  POSTWIRE_SUBSCRIBE_EXCLUSIVE = 1u << 0,
  /* Deliver messages as POSTWIRE_EVENT_MESSAGE events through the client's event queue (and
   * wakeup fd) instead of postwire_consumer_poll(): one fd serves every consumer. */
  POSTWIRE_SUBSCRIBE_TO_EVENTS = 1u << 1
} postwire_subscribe_flag;

/* Starts consuming from `source`. `prefetch` bounds the messages the broker sends ahead of
 * acknowledgement (0: consumer.prefetch.count). `flags` is a sum of POSTWIRE_SUBSCRIBE_*.
 * Blocks until the broker accepts the consumer.
 * Owns: the caller frees *consumer with postwire_consumer_destroy(). Threads: any. Blocks: yes, up
 * to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_subscribe(postwire_client* client, const char* source,
                                                        uint32_t prefetch, uint32_t flags,
                                                        postwire_consumer** consumer,
                                                        postwire_error** error);

/* Starts consuming from `source` with options given as 2 * option_count strings (key, value,
 * ...; NULL when option_count is 0), so that options of any broker need no new function.
 * Every broker: prefetch (1..65535; consumer.prefetch.count), exclusive (false),
 * deliver_as_events (false: the same as POSTWIRE_SUBSCRIBE_TO_EVENTS). RabbitMQ: priority
 * (a whole number; consumers of higher priority get messages first while they have room).
 * docs/subscribing.md lists them per broker. An option the broker does not know, or a bad
 * value, fails with POSTWIRE_ERR_INVALID_ARGUMENT naming it. Blocks as
 * postwire_client_subscribe().
 * Owns: the caller frees *consumer with postwire_consumer_destroy(); options are read, not kept.
 * Threads: any. Blocks: yes, up to request.timeout.ms. */
POSTWIRE_EXPORT postwire_code postwire_client_subscribe_with_options(
    postwire_client* client, const char* source, const char* const* options, size_t option_count,
    postwire_consumer** consumer, postwire_error** error);
/* The consumer's id in *id: unique among its client's consumers, and what the messages and
 * events of this consumer carry (postwire_message_consumer_id, postwire_event_consumer_id), so
 * that two consumers of one source can tell theirs apart. Also after close.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_consumer_id(postwire_consumer* consumer, uint64_t* id,
                                                   postwire_error** error);

/* A received message. Owned by the caller, freed with postwire_message_destroy(). Settle it
 * once with ack, nack or dead_letter; a message destroyed unsettled is redelivered by the
 * broker when its consumer closes. Borrowed pointers from its accessors stay valid until it is
 * destroyed. Settling is thread-safe; the accessors are read-only and may be called from any
 * thread. */
typedef struct postwire_message postwire_message;

/* The next message in *message, or NULL when none arrived within `timeout_ms` (0: do not
 * wait; negative: until one arrives or the consumer is closed). Blocks up to timeout_ms.
 * Fails with POSTWIRE_ERR_CLOSED once the consumer or its client is closed, and with
 * invalid_argument for a consumer subscribed with POSTWIRE_SUBSCRIBE_TO_EVENTS.
 * Owns: the caller frees *message with postwire_message_destroy(). Threads: one at a time per
 * consumer. Blocks: up to timeout_ms. */
POSTWIRE_EXPORT postwire_code postwire_consumer_poll(postwire_consumer* consumer,
                                                     int64_t timeout_ms, postwire_message** message,
                                                     postwire_error** error);
/* Up to `max` messages into messages[0..*count), waiting up to `timeout_ms` for the first.
 * Owns: the caller frees each messages[i] with postwire_message_destroy(). Threads: one at a time
 * per consumer. Blocks: up to timeout_ms. */
POSTWIRE_EXPORT postwire_code postwire_consumer_poll_batch(postwire_consumer* consumer,
                                                           postwire_message** messages, size_t max,
                                                           int64_t timeout_ms, size_t* count,
                                                           postwire_error** error);
/* The fd that is readable while messages wait for postwire_consumer_poll(), and once the
 * consumer is closed. For a consumer subscribed with POSTWIRE_SUBSCRIBE_TO_EVENTS it becomes
 * readable only once the consumer is closed: wait on the client's fd for its messages. Do not
 * close or read it.
 * Owns: the fd belongs to the consumer. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_consumer_wakeup_fd(postwire_consumer* consumer, int* fd,
                                                          postwire_error** error);
/* Stops consuming; unsettled messages are redelivered by the broker. Messages already polled
 * can no longer be settled. A second close fails with POSTWIRE_ERR_CLOSED.
 * Threads: any. Blocks: briefly, while the broker is told to stop. */
POSTWIRE_EXPORT postwire_code postwire_consumer_close(postwire_consumer* consumer,
                                                      postwire_error** error);
/* Closes the consumer if open and frees the handle. NULL does nothing.
 * Threads: any, once no other thread uses the consumer. Blocks: briefly, when it closes. */
POSTWIRE_EXPORT void postwire_consumer_destroy(postwire_consumer* consumer);

/* The body: *data points at *size bytes, borrowed from the message (no copy).
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_body(const postwire_message* message,
                                                    const void** data, size_t* size,
                                                    postwire_error** error);
/* The ordering key (size 0 when none).
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_key(const postwire_message* message,
                                                   const void** data, size_t* size,
                                                   postwire_error** error);
/* The message id (idempotency key); "" when the sender gave none.
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_id(const postwire_message* message, const char** id,
                                                  postwire_error** error);
/* The content type; "" when none.
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_content_type(const postwire_message* message,
                                                            const char** content_type,
                                                            postwire_error** error);
/* The number of application headers in *count.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_header_count(const postwire_message* message,
                                                            size_t* count, postwire_error** error);
/* Header `index` (0-based, in order): its name and `*size` value bytes at *value.
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_header_at(const postwire_message* message,
                                                         size_t index, const char** name,
                                                         const void** value, size_t* size,
                                                         postwire_error** error);
/* The first header named `name`: *found is 1 and *value, *size are set, or *found is 0.
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_header(const postwire_message* message,
                                                      const char* name, int* found,
                                                      const void** value, size_t* size,
                                                      postwire_error** error);
/* Where it came from: the source it was consumed from (a queue name).
 * Owns: borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_source(const postwire_message* message,
                                                      const char** source, postwire_error** error);
/* 1 on the first delivery; counted across redeliveries, nacks and consumer crashes.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_delivery_count(const postwire_message* message,
                                                              uint32_t* count,
                                                              postwire_error** error);
/* 1 if the broker may have delivered it before, else 0.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_redelivered(const postwire_message* message,
                                                           int* redelivered,
                                                           postwire_error** error);
/* The priority (0..255), or -1 when it has none.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_priority(const postwire_message* message,
                                                        int32_t* priority, postwire_error** error);
/* The sender's timestamp in milliseconds since the Unix epoch, or -1 when it has none.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_timestamp(const postwire_message* message,
                                                         int64_t* unix_ms, postwire_error** error);

/* Where the message sits on its broker, where the broker says; each out-parameter may be
 * NULL. Numbers it does not give are -1 and texts "": RabbitMQ gives none of them; Kafka the
 * partition, offset and broker timestamp (ms since the Unix epoch); SQS the broker's message id
 * and, on FIFO queues, the sequence number (a decimal string).
 * Owns: the texts are borrowed from the message. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_position(const postwire_message* message,
                                                        int32_t* partition, int64_t* offset,
                                                        int64_t* broker_timestamp_ms,
                                                        const char** broker_message_id,
                                                        const char** sequence_number,
                                                        postwire_error** error);
/* The id of the consumer it was delivered to (postwire_consumer_id).
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_consumer_id(const postwire_message* message,
                                                           uint64_t* id, postwire_error** error);

/* Done with it: the broker forgets it. Fails with invalid_argument when it was settled
 * already and closed when its consumer is closed. A failure the broker reports later arrives
 * as a POSTWIRE_EVENT_ERROR.
 * Threads: any. Blocks: no (the broker is told asynchronously). */
POSTWIRE_EXPORT postwire_code postwire_message_ack(postwire_message* message,
                                                   postwire_error** error);
/* Deliver it again after `delay_ms` (0: at once), counting one more delivery; past
 * max.deliveries it is dead-lettered instead. The broker keeps the delayed copy, so a crash
 * during the delay loses nothing.
 * Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_nack(postwire_message* message, int64_t delay_ms,
                                                    postwire_error** error);
/* Moves it to the dead-letter destination (source + dead.letter.suffix) with `reason`.
 * Owns: copies the reason. Threads: any. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_message_dead_letter(postwire_message* message,
                                                           const char* reason,
                                                           postwire_error** error);
/* Frees a message. NULL does nothing.
 * Threads: any, once no other thread uses the message. Blocks: no. */
POSTWIRE_EXPORT void postwire_message_destroy(postwire_message* message);

/* ---------------------------------------------------------------------------------------- */
/* Events                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Connection states (POSTWIRE_EVENT_CONNECTION). */
typedef enum postwire_connection_state {
  POSTWIRE_CONNECTION_CONNECTED = 0,  /* (re)connected, topology restored, consumers resumed */
  POSTWIRE_CONNECTION_RECOVERING = 1, /* lost; reconnecting with backoff */
  POSTWIRE_CONNECTION_FAILED = 2,     /* gave up (fatal); the client must be closed */
  POSTWIRE_CONNECTION_CLOSED = 3      /* closed by the application */
} postwire_connection_state;
/* Consumer states (POSTWIRE_EVENT_CONSUMER). */
typedef enum postwire_consumer_state {
  POSTWIRE_CONSUMER_ACTIVE = 0,    /* consuming (again) */
  POSTWIRE_CONSUMER_CANCELLED = 1, /* cancelled by the broker; retried with backoff */
  POSTWIRE_CONSUMER_FAILED = 2     /* cannot consume; will not retry */
} postwire_consumer_state;
/* Log levels (POSTWIRE_EVENT_LOG), the same as the log.level option's names. */
typedef enum postwire_log_level {
  POSTWIRE_LOG_TRACE = 0,
  POSTWIRE_LOG_DEBUG = 1,
  POSTWIRE_LOG_INFO = 2,
  POSTWIRE_LOG_WARN = 3,
  POSTWIRE_LOG_ERROR = 4
} postwire_log_level;

/* The event's kind (a postwire_event_type value) in *type.
 * Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_type_of(const postwire_event* event, int32_t* type,
                                                     postwire_error** error);
/* The error an event carries in *carried (borrowed from the event; NULL when there is none,
 * as for a successful delivery report). Delivery reports, error, consumer and connection
 * events carry one.
 * Owns: borrowed from the event; do not destroy it. Threads: the one using the event. Blocks: no.
 */
POSTWIRE_EXPORT postwire_code postwire_event_error(const postwire_event* event,
                                                   const postwire_error** carried,
                                                   postwire_error** error);
/* A delivery report's fields; each out-parameter may be NULL. The id and destination are
 * borrowed from the event. attempts counts the writes to the broker; latency_us the time from
 * send to this report. Fails with invalid_argument for other kinds of event.
 * Owns: borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_delivery_report(
    const postwire_event* event, uint64_t* token, const char** id, const char** destination,
    uint32_t* attempts, int64_t* latency_us, postwire_error** error);
/* Where the broker stored a confirmed message, as postwire_message_position() (-1 and "" for
 * what the broker does not say, and for failed sends). Fails with invalid_argument for other
 * kinds of event.
 * Owns: the texts are borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_delivery_position(
    const postwire_event* event, int32_t* partition, int64_t* offset, int64_t* broker_timestamp_ms,
    const char** broker_message_id, const char** sequence_number, postwire_error** error);
/* The consumer a message, consumer or assignment event belongs to (postwire_consumer_id), also
 * after its message was taken. Fails with invalid_argument for other kinds of event.
 * Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_consumer_id(const postwire_event* event, uint64_t* id,
                                                         postwire_error** error);
/* A POSTWIRE_EVENT_SOURCES_ASSIGNED or _REVOKED event: the consumer, its source, and the
 * *partition_count partitions at *partitions (borrowed; NULL when the count is 0).
 * Owns: borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_assignment(const postwire_event* event,
                                                        uint64_t* consumer_id, const char** source,
                                                        const int32_t** partitions,
                                                        size_t* partition_count,
                                                        postwire_error** error);
/* Takes the message out of a POSTWIRE_EVENT_MESSAGE event into *message; the caller owns it
 * (postwire_message_destroy()). A second take fails with invalid_argument.
 * Owns: the caller frees *message with postwire_message_destroy(). Threads: the one using the
 * event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_take_message(postwire_event* event,
                                                          postwire_message** message,
                                                          postwire_error** error);
/* A log record: POSTWIRE_LOG_* level, category (the component: "amqp", "runtime", ...) and
 * text (borrowed).
 * Owns: borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_log(const postwire_event* event, int32_t* level,
                                                 const char** category, const char** text,
                                                 postwire_error** error);
/* A consumer event: the source and a POSTWIRE_CONSUMER_* state.
 * Owns: borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_consumer(const postwire_event* event,
                                                      const char** source, int32_t* state,
                                                      postwire_error** error);
/* A flow event: *blocked is 1 when the broker stopped reading from publishers, 0 when it
 * resumed; *reason says why (borrowed).
 * Owns: borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_flow(const postwire_event* event, int* blocked,
                                                  const char** reason, postwire_error** error);
/* A connection event: a POSTWIRE_CONNECTION_* state and the broker's host:port (borrowed;
 * never credentials).
 * Owns: borrowed from the event. Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT postwire_code postwire_event_connection(const postwire_event* event, int32_t* state,
                                                        const char** broker,
                                                        postwire_error** error);
/* Frees an event (and its message, if not taken). NULL does nothing.
 * Threads: the one using the event. Blocks: no. */
POSTWIRE_EXPORT void postwire_event_destroy(postwire_event* event);

#ifdef __cplusplus
}
#endif

#endif /* POSTWIRE_H */
