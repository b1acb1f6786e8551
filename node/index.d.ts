// Type declarations for postwire's Node.js package. docs/node.md is the guide.
/// <reference types="node" />
import { EventEmitter } from 'node:events';

/** Option values pass to the core as strings; numbers and booleans are written out. */
export type OptionValue = string | number | boolean;

/** Client configuration: the keys of docs/configuration.md (`linger.ms`, `group.id`, ...). */
export type Config = Record<string, OptionValue>;

/** Bytes in: a Buffer, any Uint8Array, or a string (sent as UTF-8). */
export type Bytes = Buffer | Uint8Array | string;

/** The names of postwire's error codes (docs/errors.md). */
export type ErrorCode =
  | 'invalid_argument'
  | 'config_unknown_key'
  | 'config_invalid_value'
  | 'invalid_url'
  | 'connection_refused'
  | 'timed_out'
  | 'name_resolution_failed'
  | 'connection_closed'
  | 'network_error'
  | 'tls_handshake_failed'
  | 'tls_certificate_rejected'
  | 'tls_setup_failed'
  | 'authentication_failed'
  | 'access_denied'
  | 'not_found'
  | 'unroutable'
  | 'precondition_failed'
  | 'resource_locked'
  | 'broker_nacked'
  | 'broker_error'
  | 'queue_full'
  | 'shutting_down'
  | 'closed'
  | 'forked_process'
  | 'retry_budget_exhausted'
  | 'delivery_timeout'
  | 'not_supported'
  | 'protocol_error'
  | 'message_too_large'
  | 'internal'
  | 'unknown';

/**
 * Every error postwire raises; `name` is its class's name. Bad arguments are TypeError or
 * RangeError instead, with Node's codes (ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE,
 * ERR_OUT_OF_RANGE).
 */
export class PostwireError extends Error {
  constructor(message: string, details: { code: string; number: number; retriable?: boolean; fatal?: boolean });
  /** The code's name, e.g. "timed_out". */
  readonly code: ErrorCode;
  /** The code's number (postwire.h), e.g. 201. */
  readonly number: number;
  /** Whether the same call may succeed when tried again. */
  readonly retriable: boolean;
  /** Whether the object that failed can no longer be used (`closed` is fatal). */
  readonly fatal: boolean;
}
/** The caller's input was refused: arguments, configuration, URL (1xx). */
export class InvalidInputError extends PostwireError {}
/** The network or TLS failed (2xx). */
export class NetworkError extends PostwireError {}
/** An operation did not finish in its time (timed_out); `name` is "TimeoutError". */
export class TimeoutError extends NetworkError {
  readonly code: 'timed_out';
}
/** The broker refused: credentials, permissions, missing or unroutable destinations (3xx). */
export class BrokerError extends PostwireError {}
/** A local limit or state: queue full, closed, delivery timed out, not supported (4xx). */
export class StateError extends PostwireError {}
/** The broker broke the protocol, or a message was too large (5xx). */
export class ProtocolError extends PostwireError {}
/** postwire's own fault (9xx). */
export class InternalError extends PostwireError {}

/**
 * Where a message sits on its broker (Message.position), or where the broker stored a sent one
 * (DeliveryReport.position); null for what the broker does not give. RabbitMQ gives none of it
 * (every field is null); Kafka the partition, offset and broker timestamp; SQS the broker's
 * message id and, on FIFO queues, the sequence number. Frozen.
 */
export interface Position {
  readonly partition: number | null;
  readonly offset: number | null;
  /** When the broker stored it. */
  readonly brokerTimestamp: Date | null;
  readonly brokerMessageId: string | null;
  /** A decimal string: SQS's are 128-bit. */
  readonly sequenceNumber: string | null;
}

/** The outcome of a confirmed send. */
export interface DeliveryReport {
  /** The message id (idempotency key): the one given, or the UUIDv7 postwire assigned. */
  id: string;
  destination: string;
  /** Writes to the broker: above 1 after retries or a reconnect. */
  attempts: number;
  /** Microseconds from send to confirmation. */
  latencyUs: number;
  /** Where the broker stored the message (every field null when it does not say). */
  position: Position;
}

export interface SendOptions {
  /** The ordering key; on RabbitMQ the routing key when sending to "exchange/NAME". */
  key?: Bytes;
  /** The idempotency key consumers deduplicate on; a UUIDv7 when not given. */
  id?: string;
  /** Application headers; names starting with "pw-" are postwire's own. */
  headers?: Record<string, Bytes>;
  contentType?: string;
  /** 0..255, for queues declared with max_priority. */
  priority?: number;
  /** Expire the message after this many milliseconds. */
  ttlMs?: number;
  /** Milliseconds since the Unix epoch (default: the time of send). */
  timestamp?: number | Date;
  /** Survive a broker restart in a durable queue (default true). */
  persistent?: boolean;
}

export interface TimeoutOptions {
  timeoutMs?: number;
}

export class Producer {
  private constructor();
  /**
   * Queues a message for `destination` (a queue, or "exchange/NAME"); resolves when the
   * broker confirmed it, rejects when it failed for good. Never blocks the event loop: while
   * the send buffer is full the message waits in the client's line for room (sends keep their
   * order), for up to the client's max.block.ms, then rejects with queue_full (retriable); so
   * it does at once when that line is full too (queue.waiting.max.messages). A failure
   * nothing awaits is not an unhandled rejection: the client logs it at warn and emits
   * 'error' (a process warning without a listener).
   */
  send(destination: string, body: Bytes, options?: SendOptions): Promise<DeliveryReport>;
  /** Resolves once every send made so far through the client has settled. Default 60 s. */
  flush(options?: TimeoutOptions): Promise<void>;
  /** Messages sent through the client and not yet reported. */
  readonly inFlight: number;
}

export class Message {
  private constructor();
  /** The body, copied out of the client: yours to keep. */
  readonly body: Buffer;
  /** The ordering key, or null. */
  readonly key: Buffer | null;
  /** The message id; "" when the sender gave none. */
  readonly id: string;
  /** "" when none. */
  readonly contentType: string;
  /** Application headers (the first of each name), as bytes. */
  readonly headers: Record<string, Buffer>;
  /** The queue it was consumed from. */
  readonly source: string;
  /** 1 on the first delivery, counted across redeliveries and nacks. */
  readonly deliveryCount: number;
  /** Whether the broker may have delivered it before. */
  readonly redelivered: boolean;
  readonly priority: number | null;
  readonly timestamp: Date | null;
  /** The id of the consumer it was delivered to (Consumer.id). */
  readonly consumerId: number;
  /** Where it sits on its broker (every field null on RabbitMQ). */
  readonly position: Position;
  /** Done with it: the broker forgets it. */
  ack(): void;
  /** Deliver it again after `delay` milliseconds (default 0). */
  nack(options?: { delay?: number }): void;
  /** Move it to the dead-letter queue (its source + dead.letter.suffix) with a reason. */
  deadLetter(reason: string): void;
}

/**
 * Subscribe options by name (docs/subscribing.md), for what only some brokers have: RabbitMQ's
 * `priority` (its consumer priority, x-priority); Kafka's `partitions` ("0,2" or "all"),
 * `start` (earliest | latest), `start.offset` and `start.timestamp.ms`. Every broker also reads
 * `prefetch`, `exclusive` and `deliver_as_events`, the typed options' names.
 */
export type SubscribeOptionsByName = Record<string, OptionValue>;

export interface SubscribeOptions {
  /** Messages the broker hands over ahead of settling (default consumer.prefetch.count). */
  prefetch?: number;
  /** Refuse other consumers on the queue while this one consumes. */
  exclusive?: boolean;
  /**
   * Take the messages from the client's event poll (one wakeup fd for every such consumer)
   * instead of the consumer's own; they are routed to the consumer by its id.
   */
  deliverAsEvents?: boolean;
  /**
   * Further options by name; an unknown one, or a value the broker cannot take, rejects with
   * invalid_argument naming it. One given both typed and here throws a TypeError.
   */
  options?: SubscribeOptionsByName;
}

/** Events a Consumer emits: its own, which its client routes to it by its id. */
export interface ConsumerEvents {
  /** Its state changed (the client's 'consumer' event). */
  state: [ConsumerEvent];
  sourcesAssigned: [SourcesAssignedEvent];
  sourcesRevoked: [SourcesRevokedEvent];
}

/**
 * Messages of one source. Leaving a for-await loop early ends only that loop: the consumer
 * stays open, and can be iterated again. Close it with close() or `await using`. It emits its
 * own events (ConsumerEvents) from the time subscribe() resolves until it ends.
 */
export class Consumer extends EventEmitter implements AsyncIterableIterator<Message>, AsyncDisposable {
  private constructor();
  readonly source: string;
  /** Unique among its client's consumers; its messages and events carry it as consumerId. */
  readonly id: number;
  next(): Promise<IteratorResult<Message>>;
  /** Ends a for-await loop; does not close the consumer. */
  return(): Promise<IteratorResult<Message>>;
  [Symbol.asyncIterator](): AsyncIterableIterator<Message>;
  /** Stops consuming; unsettled messages go back to the queue. Closing again does nothing. */
  close(): Promise<void>;
  /** close(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;

  on<E extends keyof ConsumerEvents>(event: E, listener: (...args: ConsumerEvents[E]) => void): this;
  once<E extends keyof ConsumerEvents>(event: E, listener: (...args: ConsumerEvents[E]) => void): this;
  off<E extends keyof ConsumerEvents>(event: E, listener: (...args: ConsumerEvents[E]) => void): this;
}

export interface DeclaredQueue {
  name: string;
  messageCount: number;
  consumerCount: number;
}

/**
 * Queue options of postwire.h (durable, exclusive, type, max_priority, ...); on Kafka, a
 * topic's `partitions`, `replication.factor` and topic configs such as `retention.ms`.
 */
export type QueueOptions = Record<string, OptionValue>;
/** Exchange options: type, durable, auto_delete, internal. */
export type ExchangeOptions = Record<string, OptionValue>;
/** Binding options: routing_key, destination_is_exchange, match, header.NAME. */
export type BindingOptions = Record<string, OptionValue>;

export interface Capabilities {
  exchanges: boolean;
  priorities: boolean;
  perMessageTtl: boolean;
  delayedNack: boolean;
  brokerDeadLetter: boolean;
  exclusiveConsumers: boolean;
  singleActiveConsumer: boolean;
  quorumQueues: boolean;
  /** Sources split into partitions (positions have partition and offset). */
  partitions: boolean;
  /** Consuming from a chosen position. */
  seek: boolean;
  /** Consumers share a source by group (sourcesAssigned, sourcesRevoked). */
  consumerGroups: boolean;
  /** Strict order per key, broker-side deduplication. */
  fifo: boolean;
  /** The broker delays a message itself. */
  nativeDelay: boolean;
  /** A received message's lease can be extended. */
  visibilityExtension: boolean;
}

export interface ConnectionEvent {
  state: 'connected' | 'recovering' | 'failed' | 'closed' | 'unknown';
  /** host:port, never credentials. */
  broker: string;
  error?: PostwireError;
}
export interface ConsumerEvent {
  /** The consumer it concerns (Consumer.id): two consumers of one source are told apart by it. */
  consumerId: number;
  source: string;
  state: 'active' | 'cancelled' | 'failed' | 'unknown';
  error?: PostwireError;
}
/**
 * A consumer in a consumer group was given partitions of its source. RabbitMQ raises none (it
 * has no consumer groups).
 */
export interface SourcesAssignedEvent {
  consumerId: number;
  source: string;
  partitions: number[];
}
/** A consumer in a consumer group had partitions of its source taken away. */
export interface SourcesRevokedEvent {
  consumerId: number;
  source: string;
  partitions: number[];
}
export interface FlowEvent {
  blocked: boolean;
  reason: string;
}
export interface LogEvent {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'unknown';
  category: string;
  text: string;
}

export interface ClientEvents {
  connection: [ConnectionEvent];
  consumer: [ConsumerEvent];
  sourcesAssigned: [SourcesAssignedEvent];
  sourcesRevoked: [SourcesRevokedEvent];
  flow: [FlowEvent];
  log: [LogEvent];
  error: [PostwireError];
}

/**
 * A connection to one broker cluster. 'error' carries failures nothing else reports: one not
 * tied to a call (a refused ack, ...), or a send that failed while nothing awaited it; without
 * an 'error' listener they become process warnings, never a crash.
 */
export class Client extends EventEmitter implements AsyncDisposable {
  private constructor();
  static connect(url: string, config?: Config): Promise<Client>;
  producer(): Producer;
  subscribe(source: string, options?: SubscribeOptions): Promise<Consumer>;
  declareQueue(name: string, options?: QueueOptions): Promise<DeclaredQueue>;
  declareExchange(name: string, options?: ExchangeOptions): Promise<void>;
  bind(exchange: string, destination: string, options?: BindingOptions): Promise<void>;
  unbind(exchange: string, destination: string, options?: BindingOptions): Promise<void>;
  /** Resolves to how many messages were removed. */
  purgeQueue(name: string): Promise<number>;
  /** Resolves to how many messages the queue held. */
  deleteQueue(name: string, options?: { if_unused?: boolean; if_empty?: boolean }): Promise<number>;
  deleteExchange(name: string, options?: { if_unused?: boolean }): Promise<void>;
  /** Counters and latencies (docs/c-api.md#stats); after close, the final figures. */
  stats(): Record<string, number>;
  capabilities(): Capabilities;
  /**
   * Flushes up to timeoutMs (default 10000), then closes; unconfirmed sends reject with
   * closed. Closing again does nothing.
   */
  close(options?: TimeoutOptions): Promise<void>;
  /** close(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;

  on<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): this;
  once<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): this;
  off<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): this;
}

/** Connects to amqp://, amqps://, kafka:// or kafka+tls:// (sqs:// is refused with not_supported for now). */
export function connect(url: string, config?: Config): Promise<Client>;

/** The version of the loaded native library, e.g. "0.1.0". */
export const version: string;
