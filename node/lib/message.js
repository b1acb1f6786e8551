'use strict';
const { translated } = require('./errors');
const { requireInteger, requireString, requireObject } = require('./options');

/**
 * A received message. Its fields are copies (the body is a Buffer of its own); settle it once
 * with ack(), nack() or deadLetter(). A message never settled is redelivered by the broker
 * once its consumer closes.
 */
class Message {
  /** @type {any} the addon's consumer, which owns the C message until it is settled */
  #consumer;
  #slot;
  #generation;

  /**
   * Made by Consumer from one polled batch (src/message_batch.h).
   * @param {any} consumer
   * @param {number} slot
   * @param {number} generation
   * @param {{ body: Buffer, key: Buffer | null, id: string, contentType: string, headers: Record<string, Buffer>, source: string, deliveryCount: number, redelivered: boolean, priority: number, timestamp: number }} fields
   */
  constructor(consumer, slot, generation, fields) {
    /** @type {Buffer} */
    this.body = fields.body;
    /** @type {Buffer | null} */
    this.key = fields.key;
    /** @type {string} */
    this.id = fields.id;
    /** @type {string} */
    this.contentType = fields.contentType;
    /** @type {Record<string, Buffer>} */
    this.headers = fields.headers;
    /** @type {string} */
    this.source = fields.source;
    /** @type {number} */
    this.deliveryCount = fields.deliveryCount;
    /** @type {boolean} */
    this.redelivered = fields.redelivered;
    /** @type {number | null} */
    this.priority = fields.priority < 0 ? null : fields.priority;
    /** @type {Date | null} */
    this.timestamp = fields.timestamp < 0 ? null : new Date(fields.timestamp);
    this.#consumer = consumer;
    this.#slot = slot;
    this.#generation = generation;
  }

  /** Done with it: the broker forgets it. */
  ack() {
    translated(() => this.#consumer.ack(this.#slot, this.#generation));
  }

  /**
   * Deliver it again after `delay` milliseconds (default 0), counting one more delivery.
   * @param {{ delay?: number }} [options]
   */
  nack(options) {
    const given = requireObject(options, 'nack options');
    const delay = given.delay === undefined ? 0 : requireInteger(given.delay, 'nack option "delay"', 0, 2 ** 31 - 1);
    translated(() => this.#consumer.nack(this.#slot, this.#generation, delay));
  }

  /**
   * Move it to the dead-letter queue (its source + dead.letter.suffix) with `reason`.
   * @param {string} reason
   */
  deadLetter(reason) {
    requireString(reason, 'the dead-letter reason');
    translated(() => this.#consumer.deadLetter(this.#slot, this.#generation, reason));
  }
}

module.exports = { Message };
