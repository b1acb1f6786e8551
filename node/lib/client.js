'use strict';
const { EventEmitter } = require('node:events');
const native = require('./native');
const { Producer } = require('./producer');
const { Consumer } = require('./consumer');
const { positionOf } = require('./message');
const { dispatchEvent } = require('./events');
const { fromNative, translated, translatedAsync } = require('./errors');
const { typeError, requireString, stringPairs, configPairs, subscribeOptions, timeoutOf } = require('./options');

// postwire.h's POSTWIRE_CAP_* bits, by name, as the addon compiled them in.
const { capabilities: capabilityBits } = native.constants;

/**
 * The Promise of one send. It is a Promise in every way; being a class of its own makes
 * `await`, `.then`, `.catch` and Promise.all go through its `then`, so the client knows
 * whether anyone observes the outcome. Promises made from it (by then, catch, ...) are plain.
 * @extends {Promise<any>}
 */
class SendPromise extends Promise {
  #observed = false;

  static get [Symbol.species]() {
    return Promise;
  }

  /**
   * Whether anything awaited the Promise or attached a handler to it.
   * @param {SendPromise} promise
   */
  static observed(promise) {
    return promise.#observed;
  }

  /**
   * @template [R1=any]
   * @template [R2=never]
   * @param {((value: any) => R1 | PromiseLike<R1>) | null} [onFulfilled]
   * @param {((reason: any) => R2 | PromiseLike<R2>) | null} [onRejected]
   * @returns {Promise<R1 | R2>}
   */
  then(onFulfilled, onRejected) {
    this.#observed = true;
    return super.then(onFulfilled, onRejected);
  }
}

const ignore = () => {};

/**
 * A send whose report is awaited: its Promise, how to settle it, and where it went.
 * @typedef {{ promise: SendPromise, resolve: (report: any) => void, reject: (error: unknown) => void, destination: string }} PendingSend
 */

/**
 * @param {string} destination
 * @returns {PendingSend}
 */
function pendingSend(destination) {
  /** @type {(report: any) => void} */
  let resolve = ignore;
  /** @type {(error: unknown) => void} */
  let reject = ignore;
  const promise = new SendPromise((resolveSend, rejectSend) => {
    resolve = resolveSend;
    reject = rejectSend;
  });
  return { promise, resolve, reject, destination };
}

/**
 * A connection to one broker cluster. Emits 'connection', 'consumer', 'flow' and 'log'
 * events, and 'error' for failures nothing else reports: one not tied to a call (a refused
 * ack, ...), or a send that failed while nobody awaited its Promise. Without an 'error'
 * listener those become process warnings, never a crash.
 */
class Client extends EventEmitter {
  /** @type {any} */
  #native = null;
  /** @type {Map<number, PendingSend>} */
  #pending = new Map();
  #nextToken = 0;
  #referenced = false;
  #logsWarnings = true;
  /** The first close(), which later calls wait for. @type {Promise<void> | null} */
  #closing = null;
  /** The open consumers by id, which their events are routed to. @type {Map<number, Consumer>} */
  #consumers = new Map();
  /** @type {import('./producer').Sender} */
  #sender;
  /** #emitError, for the events' dispatcher. @type {(error: unknown) => void} */
  #reportError = (error) => this.#emitError(error);

  constructor() {
    super();
    this.#sender = {
      send: (destination, body, key, rest) => this.#send(destination, body, key, rest),
      flush: (timeoutMs) => translatedAsync(this.#native.flush(timeoutMs)),
      inFlight: () => translated(() => this.#native.inFlight()),
    };
  }

  /**
   * @param {string} url
   * @param {Record<string, string | number | boolean>} [config]
   * @returns {Promise<Client>}
   */
  static async connect(url, config) {
    requireString(url, 'the URL');
    const client = new Client();
    const { pairs, logsWarnings } = configPairs(config);
    client.#logsWarnings = logsWarnings;
    /** @type {(numbers: Float64Array, ids: string, destinations: string, failures: unknown[], others: any[], positions: any[]) => void} */
    const onEvents = (numbers, ids, destinations, failures, others, positions) =>
      client.#onEvents(numbers, ids, destinations, failures, others, positions);
    client.#native = await translatedAsync(translated(() => native.connect(url, pairs, onEvents)));
    return client;
  }

  /** A producer sending through this client. */
  producer() {
    return new Producer(this.#sender);
  }

  /**
   * Starts consuming from a queue. `options` holds further options by name (docs/subscribing.md),
   * such as RabbitMQ's consumer `priority`.
   * @param {string} source
   * @param {{ prefetch?: number, exclusive?: boolean, deliverAsEvents?: boolean, options?: Record<string, string | number | boolean> }} [options]
   * @returns {Promise<Consumer>}
   */
  async subscribe(source, options) {
    requireString(source, 'the source');
    const { pairs, prefetch } = subscribeOptions(options);
    const consumer = new Consumer(source, Math.max(prefetch, 1024), () => {
      if (this.#consumers.get(consumer.id) === consumer) this.#consumers.delete(consumer.id);
    });
    /** @type {(...columns: any[]) => void} */
    const onMessages = (numbers, bodies, keys, ids, contentTypes, sources, headers, positions, error) =>
      consumer.deliver(numbers, bodies, keys, ids, contentTypes, sources, headers, positions, error);
    const nativeConsumer = await translatedAsync(this.#native.subscribe(source, pairs, onMessages));
    consumer.attach(nativeConsumer);
    this.#consumers.set(consumer.id, consumer);
    return consumer;
  }

  /**
   * @param {string} name "" lets the broker choose
   * @param {Record<string, string | number | boolean>} [options]
   * @returns {Promise<{ name: string, messageCount: number, consumerCount: number }>}
   */
  declareQueue(name, options) {
    return this.#topology(() => {
      if (typeof name !== 'string') throw typeError('postwire: the queue name must be a string');
      return this.#native.declareQueue(name, stringPairs(options, 'queue option'));
    });
  }

  /**
   * @param {string} name
   * @param {Record<string, string | number | boolean>} [options]
   * @returns {Promise<void>}
   */
  declareExchange(name, options) {
    return this.#topology(() =>
      this.#native.declareExchange(requireString(name, 'the exchange name'), stringPairs(options, 'exchange option')),
    );
  }

  /**
   * @param {string} exchange
   * @param {string} destination
   * @param {Record<string, string | number | boolean>} [options]
   * @returns {Promise<void>}
   */
  bind(exchange, destination, options) {
    return this.#topology(() =>
      this.#native.bind(
        requireString(exchange, 'the exchange'),
        requireString(destination, 'the destination'),
        stringPairs(options, 'binding option'),
      ),
    );
  }

  /**
   * @param {string} exchange
   * @param {string} destination
   * @param {Record<string, string | number | boolean>} [options]
   * @returns {Promise<void>}
   */
  unbind(exchange, destination, options) {
    return this.#topology(() =>
      this.#native.unbind(
        requireString(exchange, 'the exchange'),
        requireString(destination, 'the destination'),
        stringPairs(options, 'binding option'),
      ),
    );
  }

  /**
   * @param {string} name
   * @returns {Promise<number>} how many messages were removed
   */
  purgeQueue(name) {
    return this.#topology(() => this.#native.purgeQueue(requireString(name, 'the queue name')));
  }

  /**
   * @param {string} name
   * @param {{ if_unused?: boolean, if_empty?: boolean }} [options]
   * @returns {Promise<number>} how many messages it held
   */
  deleteQueue(name, options) {
    return this.#topology(() =>
      this.#native.deleteQueue(requireString(name, 'the queue name'), stringPairs(options, 'queue option')),
    );
  }

  /**
   * @param {string} name
   * @param {{ if_unused?: boolean }} [options]
   * @returns {Promise<void>}
   */
  deleteExchange(name, options) {
    return this.#topology(() =>
      this.#native.deleteExchange(requireString(name, 'the exchange name'), stringPairs(options, 'exchange option')),
    );
  }

  /**
   * The client's counters and latencies (docs/c-api.md#stats lists the fields); after close,
   * the final figures.
   */
  stats() {
    return /** @type {Record<string, number>} */ (JSON.parse(translated(() => this.#native.stats())));
  }

  /** What the connected broker can do. */
  capabilities() {
    const bits = translated(() => this.#native.capabilities());
    /** @type {Record<string, boolean>} */
    const result = {};
    for (const [name, bit] of Object.entries(capabilityBits)) result[name] = (bits & bit) !== 0;
    return result;
  }

  /**
   * Waits up to `timeoutMs` (default 10000) for messages still being sent, then closes every
   * connection. Sends still unconfirmed then reject with `closed`; consumers end. Closing
   * again does nothing (it resolves once the first close is done).
   * @param {{ timeoutMs?: number }} [options]
   * @returns {Promise<void>}
   */
  close(options) {
    if (this.#closing !== null) return this.#closing.then(ignore, ignore);
    try {
      this.#closing = this.#close(timeoutOf(options, 'close', 10_000));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#closing;
  }

  /** `await using client = await postwire.connect(...)` closes it at the end of the block. */
  [Symbol.asyncDispose]() {
    return this.close();
  }

  /** @param {number} timeoutMs */
  async #close(timeoutMs) {
    try {
      await translatedAsync(this.#native.close(timeoutMs));
    } finally {
      // The reports of every send were taken as the client closed; any send still here (a
      // listener threw while they were handed over) fails as a closed client's sends do.
      if (this.#pending.size > 0) {
        const closed = fromNative(this.#native.closedError());
        for (const send of this.#pending.values()) this.#fail(send, closed);
        this.#pending.clear();
      }
      this.#updateReference();
      this.#consumers.clear();
    }
  }

  /**
   * @template T
   * @param {() => Promise<T>} call
   * @returns {Promise<T>}
   */
  #topology(call) {
    try {
      return translatedAsync(call());
    } catch (error) {
      return Promise.reject(fromNative(error));
    }
  }

  /**
   * @param {string} destination
   * @param {Buffer | Uint8Array | string} body
   * @param {Buffer | Uint8Array | string | undefined} key
   * @param {object | undefined} rest
   * @returns {Promise<any>}
   */
  #send(destination, body, key, rest) {
    const token = ++this.#nextToken;
    const send = pendingSend(destination);
    try {
      // Never blocks: without room the core keeps the message in its line, in order, and its
      // report says queue_full if no room came within max.block.ms.
      this.#native.send(destination, body, token, key, rest);
      this.#pending.set(token, send);
      if (!this.#referenced) this.#updateReference();
    } catch (error) {
      // Failed at once (the client is closed, the line is full too, ...): settled once the
      // caller, who has the Promise only when this returns, has had the chance to await it.
      const failure = fromNative(error);
      setImmediate(() => this.#fail(send, failure));
    }
    return send.promise;
  }

  /**
   * Rejects a send's Promise. When nobody observes it (no await, then or catch), the failure
   * is reported instead of becoming an unhandled rejection, which would end the process: a
   * 'log' record at warn, and the client's 'error' event (a process warning without a
   * listener). Awaited, it rejects where it is awaited, and only there.
   * @param {PendingSend} send
   * @param {unknown} error
   */
  #fail(send, error) {
    if (!SendPromise.observed(send.promise)) {
      Promise.prototype.then.call(send.promise, undefined, ignore); // handled: reported below
      if (this.#logsWarnings) {
        const what =
          error instanceof Error ? `${/** @type {any} */ (error).code ?? error.name}: ${error.message}` : String(error);
        this.emit('log', {
          level: 'warn',
          category: 'producer',
          text: `a send to "${send.destination}" failed and nothing awaited it: ${what}`,
        });
      }
      this.#emitError(error);
    }
    send.reject(error);
  }

  /**
   * An error nothing else reports: the 'error' event, or a process warning without listeners.
   * @param {unknown} error
   */
  #emitError(error) {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else process.emitWarning(error instanceof Error ? error : String(error));
  }

  /**
   * The addon's callback with one polled batch of events. Delivery reports come as columns
   * (src/report_batch.h): per report five numbers (token, attempts, latencyUs, end of its id
   * in `ids`, end of its destination in `destinations`); `failures` holds [index, Error] pairs,
   * `positions` [index, position] pairs for the reports whose broker said where it stored the
   * message. (The messages of consumers that take theirs as events went to them already.)
   * @param {Float64Array} numbers
   * @param {string} ids
   * @param {string} destinations
   * @param {unknown[]} failures
   * @param {any[]} others
   * @param {any[]} positions
   */
  #onEvents(numbers, ids, destinations, failures, others, positions) {
    const pending = this.#pending;
    let idStart = 0;
    let destinationStart = 0;
    let failure = 0;
    let position = 0;
    for (let base = 0, index = 0; base < numbers.length; base += 5, index += 1) {
      const idEnd = numbers[base + 3];
      const destinationEnd = numbers[base + 4];
      let raw;
      if (position < positions.length && positions[position] === index) {
        raw = positions[position + 1];
        position += 2;
      }
      const waiting = pending.get(numbers[base]);
      if (waiting !== undefined) {
        pending.delete(numbers[base]);
        if (failure < failures.length && failures[failure] === index) {
          this.#fail(waiting, fromNative(failures[failure + 1]));
        } else {
          waiting.resolve({
            id: ids.slice(idStart, idEnd),
            destination: destinations.slice(destinationStart, destinationEnd),
            attempts: numbers[base + 1],
            latencyUs: numbers[base + 2],
            position: positionOf(raw),
          });
        }
      }
      if (failure < failures.length && failures[failure] === index) failure += 2;
      idStart = idEnd;
      destinationStart = destinationEnd;
    }
    for (const event of others) dispatchEvent(event, this, this.#consumers, this.#reportError);
    this.#updateReference();
  }

  // The wakeup fd keeps Node alive only while a send awaits its report.
  #updateReference() {
    const wanted = this.#pending.size > 0;
    if (wanted !== this.#referenced && this.#native !== null) {
      this.#referenced = wanted;
      this.#native.setReferenced(wanted);
    }
  }
}

module.exports = { Client };
