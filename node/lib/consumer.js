'use strict';
const { EventEmitter } = require('node:events');
const { Message, positionOf } = require('./message');
const { fromNative, translatedAsync } = require('./errors');

/** @typedef {{ resolve: (result: IteratorResult<Message>) => void, reject: (error: unknown) => void }} Waiter */

// Numbers per message in a batch from the addon (src/message_batch.h).
const FIELDS = 12;

const ignore = () => {};

/**
 * Messages from one source, as an async iterator: `for await (const msg of consumer)`.
 * Leaving the loop early (break, return, throw) only ends that loop: the consumer stays open,
 * and a later loop goes on with the next message. Closing is explicit: close(), or
 * `await using`. The process stays alive only while something awaits the next message.
 *
 * Also an EventEmitter of its own events, which its client routes to it by its id: 'state'
 * (the client's 'consumer' event), 'sourcesAssigned' and 'sourcesRevoked'.
 */
class Consumer extends EventEmitter {
  /** @type {any} */
  #native = null;
  /** @type {Message[]} */
  #buffer = [];
  #head = 0;
  /** @type {Waiter[]} */
  #waiters = [];
  #ended = false;
  /** @type {unknown} */
  #error = null;
  /** @type {Promise<void> | null} */
  #closing = null;
  #watching = false;
  #referenced = false;
  #highWater;
  /** Called once the consumer has ended, so that its client stops routing to it. */
  #forget;

  /**
   * @param {string} source
   * @param {number} highWater messages buffered here before the consumer stops taking more
   * @param {() => void} [forget] called once the consumer has ended
   */
  constructor(source, highWater, forget = ignore) {
    super();
    /** @type {string} */
    this.source = source;
    /** @type {number} unique among its client's consumers; its messages carry it as consumerId */
    this.id = 0;
    this.#highWater = highWater;
    this.#forget = forget;
  }

  /**
   * Connects this object to its addon consumer (Client.subscribe does it once).
   * @param {any} nativeConsumer
   */
  attach(nativeConsumer) {
    this.#native = nativeConsumer;
    this.id = nativeConsumer.id();
    this.#updateWatching();
    nativeConsumer.start(); // hands over what the client's events brought for it so far
  }

  /**
   * The addon's callback: one polled batch of messages as columns (src/message_batch.h), or
   * the error that ended the consumer. Per message `numbers` holds slot, generation,
   * deliveryCount, redelivered, priority, timestamp and the ends of its body and key (in
   * `bodies`, `keys`), of its id, content type and source (in those strings) and its
   * consumer's id; `headers` holds [index, headers] pairs for the messages that have headers,
   * and `positions` [index, position] pairs for those that have a position.
   * @param {Float64Array} numbers
   * @param {Buffer} bodies
   * @param {Buffer} keys
   * @param {string} ids
   * @param {string} contentTypes
   * @param {string} sources
   * @param {any[]} headers
   * @param {any[]} positions
   * @param {any} error
   */
  deliver(numbers, bodies, keys, ids, contentTypes, sources, headers, positions, error) {
    let bodyStart = 0;
    let keyStart = 0;
    let idStart = 0;
    let contentTypeStart = 0;
    let sourceStart = 0;
    let header = 0;
    let position = 0;
    for (let base = 0, index = 0; base < numbers.length; base += FIELDS, index += 1) {
      const bodyEnd = numbers[base + 6];
      const keyEnd = numbers[base + 7];
      const idEnd = numbers[base + 8];
      const contentTypeEnd = numbers[base + 9];
      const sourceEnd = numbers[base + 10];
      /** @type {Record<string, Buffer>} */
      let messageHeaders = {};
      if (header < headers.length && headers[header] === index) {
        messageHeaders = headers[header + 1];
        header += 2;
      }
      let raw;
      if (position < positions.length && positions[position] === index) {
        raw = positions[position + 1];
        position += 2;
      }
      this.#buffer.push(
        new Message(this.#native, numbers[base], numbers[base + 1], {
          // A copy of its own (small ones come from Node's buffer pool), not a view of the batch.
          body: Buffer.from(bodies.subarray(bodyStart, bodyEnd)),
          key: keyEnd > keyStart ? Buffer.from(keys.subarray(keyStart, keyEnd)) : null,
          id: ids.slice(idStart, idEnd),
          contentType: contentTypes.slice(contentTypeStart, contentTypeEnd),
          headers: messageHeaders,
          source: sources.slice(sourceStart, sourceEnd),
          deliveryCount: numbers[base + 2],
          redelivered: numbers[base + 3] !== 0,
          priority: numbers[base + 4],
          timestamp: numbers[base + 5],
          consumerId: numbers[base + 11],
          position: positionOf(raw),
        }),
      );
      bodyStart = bodyEnd;
      keyStart = keyEnd;
      idStart = idEnd;
      contentTypeStart = contentTypeEnd;
      sourceStart = sourceEnd;
    }
    if (error !== null) {
      // Closed, by close() or with the client, is the normal end of the iteration.
      if (error.code !== 'closed') this.#error = fromNative(error);
      this.#ended = true;
      this.#forget();
    }
    this.#settleWaiters();
    this.#updateWatching();
  }

  /** @returns {Promise<IteratorResult<Message>>} */
  next() {
    if (this.#head < this.#buffer.length) {
      const value = this.#take();
      this.#updateWatching();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return this.#endResult();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#updateWatching();
    });
  }

  /**
   * Called when a for-await loop is left early: ends that loop, not the consumer.
   * @returns {Promise<IteratorResult<Message>>}
   */
  return() {
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** `await using consumer = await client.subscribe(...)` closes it at the end of the block. */
  [Symbol.asyncDispose]() {
    return this.close();
  }

  /**
   * Stops consuming. Messages not yet settled (and those buffered here) go back to the queue.
   * Closing again does nothing.
   * @returns {Promise<void>}
   */
  close() {
    if (this.#closing === null) {
      this.#closing = this.#close();
    }
    return this.#closing;
  }

  async #close() {
    const nativeConsumer = this.#native;
    this.#buffer = [];
    this.#head = 0;
    if (!this.#ended && nativeConsumer !== null) {
      try {
        await translatedAsync(nativeConsumer.close());
      } catch (error) {
        if (/** @type {any} */ (error).code !== 'closed') throw error;
      }
    }
    this.#ended = true;
    this.#forget();
    this.#settleWaiters();
    this.#updateWatching();
  }

  #take() {
    const value = this.#buffer[this.#head];
    this.#head += 1;
    if (this.#head === this.#buffer.length) {
      this.#buffer = [];
      this.#head = 0;
    }
    return value;
  }

  #endResult() {
    if (this.#error !== null) {
      const error = this.#error;
      this.#error = null;
      return Promise.reject(error);
    }
    return Promise.resolve(/** @type {IteratorResult<Message>} */ ({ value: undefined, done: true }));
  }

  #settleWaiters() {
    while (this.#waiters.length > 0 && this.#head < this.#buffer.length) {
      const waiter = /** @type {Waiter} */ (this.#waiters.shift());
      waiter.resolve({ value: this.#take(), done: false });
    }
    if (this.#ended) {
      for (const waiter of this.#waiters.splice(0)) {
        this.#endResult().then(waiter.resolve, waiter.reject);
      }
    }
  }

  // Take messages while the buffer has room; keep Node alive only while someone waits.
  #updateWatching() {
    if (this.#native === null) return;
    const watching = !this.#ended && this.#buffer.length - this.#head < this.#highWater;
    const referenced = watching && this.#waiters.length > 0;
    if (watching !== this.#watching || referenced !== this.#referenced) {
      this.#watching = watching;
      this.#referenced = referenced;
      this.#native.watch(watching, referenced);
    }
  }
}

module.exports = { Consumer };
