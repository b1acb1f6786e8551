'use strict';
const { requireString, requireBytes, sendOptions, timeoutOf } = require('./options');

/**
 * @typedef {object} DeliveryReport
 * @property {string} id the message id (idempotency key)
 * @property {string} destination
 * @property {number} attempts writes to the broker (above 1 after retries or a reconnect)
 * @property {number} latencyUs microseconds from send to confirmation
 * @property {import('./message').Position} position where the broker stored it (every field null
 *   when the broker does not say, as RabbitMQ never does)
 */

/**
 * @typedef {object} Sender what a Producer needs of its Client
 * @property {(destination: string, body: Buffer | Uint8Array | string, key: Buffer | Uint8Array | string | undefined, rest: object | undefined) => Promise<DeliveryReport>} send
 * @property {(timeoutMs: number) => Promise<void>} flush
 * @property {() => number} inFlight
 */

/** Sends messages through its client. Cheap: make as many as you like. */
class Producer {
  #sender;

  /** @param {Sender} sender */
  constructor(sender) {
    this.#sender = sender;
  }

  /**
   * Queues a message; resolves once the broker has confirmed it, rejects when it failed for
   * good. Never blocks the event loop: while the send buffer is full the message waits in
   * the client's line for room (sends keep their order) for up to max.block.ms, then rejects
   * with queue_full (retriable); so it does at once when the line is full too
   * (queue.waiting.max.messages).
   * @param {string} destination a queue, or "exchange/NAME"
   * @param {Buffer | Uint8Array | string} body
   * @param {object} [options]
   * @returns {Promise<DeliveryReport>}
   */
  send(destination, body, options) {
    try {
      requireString(destination, 'the destination');
      requireBytes(body, 'the body');
      if (options === undefined) return this.#sender.send(destination, body, undefined, undefined);
      const { key, rest } = sendOptions(options);
      return this.#sender.send(destination, body, key, rest);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Resolves once every message sent so far through the client is settled (its Promise
   * resolved or rejected); rejects with timed_out after `timeoutMs` (default 60000).
   * @param {{ timeoutMs?: number }} [options]
   * @returns {Promise<void>}
   */
  flush(options) {
    try {
      return this.#sender.flush(timeoutOf(options, 'flush', 60_000));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Messages sent through the client and not yet reported. */
  get inFlight() {
    return this.#sender.inFlight();
  }
}

module.exports = { Producer };
