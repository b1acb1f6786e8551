'use strict';
const { EventEmitter } = require('node:events');
const native = require('./native');
const { Producer } = require('./producer');
const { Consumer } = require('./consumer');
const { positionOf } = require('./message');
const { dispatchEvent } = require('./events');
const { TimeoutError, StateError, codeDetails, fromNative, translated, translatedAsync } = require('./errors');
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
  /**
   * Sends waiting in line for room in the send buffer, oldest first (from #waitingHead), each
   * until its deadline (max.block.ms). While any waits, new sends join the line, so that
   * sends made in order go out in order.
   * @type {Array<{ token: number, body: any, key: any, rest: any, deadline: number, send: PendingSend } | undefined>}
   */
  #waiting = [];
  #waitingHead = 0;
  #maxBlockMs = 60_000;
  #logsWarnings = true;
  /** The first close(), which later calls wait for. @type {Promise<void> | null} */
  #closing = null;
  /** @type {NodeJS.Timeout | null} */
  #deadlineTimer = null;
  /** flush() calls waiting for the line to empty. @type {Array<() => void>} */
  #lineEmptiedWaiters = [];
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
      flush: async (timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        await this.#lineEmptied(timeoutMs);
        return translatedAsync(this.#native.flush(Math.max(0, deadline - Date.now())));
      },
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
    const { pairs, maxBlockMs, logsWarnings } = configPairs(config);
    client.#maxBlockMs = maxBlockMs;
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
      this.#sendWaiting(); // the client is closed: every waiting send rejects with closed
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
    if (this.#waitingHead === this.#waiting.length) {
      try {
        this.#native.send(destination, body, token, key, rest);
        this.#pending.set(token, send);
        if (!this.#referenced) this.#updateReference();
        return send.promise;
      } catch (error) {
        const failure = fromNative(error);
        if (!isQueueFull(failure)) {
          // Failed at once (the client is closed, ...): settled once the caller, who has the
          // Promise only when this returns, has had the chance to await it.
          setImmediate(() => this.#fail(send, failure));
          return send.promise;
        }
      }
    }
    const deadline = Date.now() + this.#maxBlockMs;
    this.#waiting.push({ token, body, key, rest, deadline, send });
    if (this.#waiting.length - this.#waitingHead === 1) this.#armDeadline();
    this.#updateReference();
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
   * Sends the waiting messages, in order, while there is room (after reports or a flow change
   * made some, or when the oldest one's deadline came); a send whose deadline passed rejects
   * with queue_full.
   */
  #sendWaiting() {
    const waiting = this.#waiting;
    while (this.#waitingHead < waiting.length) {
      const next = /** @type {NonNullable<(typeof waiting)[number]>} */ (waiting[this.#waitingHead]);
      try {
        this.#native.send(next.send.destination, next.body, next.token, next.key, next.rest);
        this.#pending.set(next.token, next.send);
      } catch (error) {
        const failure = fromNative(error);
        if (isQueueFull(failure) && Date.now() < next.deadline) break;
        this.#fail(next.send, failure);
      }
      waiting[this.#waitingHead] = undefined;
      this.#waitingHead += 1;
    }
    if (this.#waitingHead === waiting.length) {
      waiting.length = 0;
      this.#waitingHead = 0;
      for (const resolve of this.#lineEmptiedWaiters.splice(0)) resolve();
    } else if (this.#waitingHead > 1024 && this.#waitingHead * 2 > waiting.length) {
      waiting.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
    this.#armDeadline();
  }

  /**
   * Resolves once no send waits for room (at once if none does); rejects with timed_out after
   * `timeoutMs`.
   * @param {number} timeoutMs
   * @returns {Promise<void>}
   */
  #lineEmptied(timeoutMs) {
    if (this.#waitingHead === this.#waiting.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#lineEmptiedWaiters = this.#lineEmptiedWaiters.filter((waiter) => waiter !== done);
        reject(new TimeoutError(`flush: sends still waiting for room after ${timeoutMs} ms`, codeDetails('timed_out')));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#lineEmptiedWaiters.push(done);
    });
  }

  // A timer for the oldest waiting send's deadline, in case no report or flow change comes.
  #armDeadline() {
    if (this.#deadlineTimer !== null) clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = null;
    const oldest = this.#waiting[this.#waitingHead];
    if (oldest !== undefined) {
      this.#deadlineTimer = setTimeout(() => this.#sendWaiting(), Math.max(0, oldest.deadline - Date.now()));
    }
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
    if (this.#waitingHead < this.#waiting.length) this.#sendWaiting();
    this.#updateReference();
  }

  // The wakeup fd keeps Node alive only while a send awaits its report or room.
  #updateReference() {
    const wanted = this.#pending.size > 0 || this.#waitingHead < this.#waiting.length;
    if (wanted !== this.#referenced && this.#native !== null) {
      this.#referenced = wanted;
      this.#native.setReferenced(wanted);
    }
  }
}

/**
 * @param {unknown} error
 * @returns {boolean}
 */
function isQueueFull(error) {
  return error instanceof StateError && error.code === 'queue_full';
}

module.exports = { Client };
