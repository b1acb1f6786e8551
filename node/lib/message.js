'use strict';
const native = require('./native');
const { translated } = require('./errors');
const { requireInteger, requireString, requireObject } = require('./options');

/**
 * A received message. Its fields are copies (the body is a Buffer of its own); settle it once
 * with ack(), nack() or deadLetter(). A message never settled is redelivered by the broker
 * once its consumer closes.
 */
class Message {
  /** @type {unknown} the addon's handle, which owns the C message until it is settled */
  #handle;

  /** @param {any} raw a message object made by the addon */
  constructor(raw) {
    /** @type {Buffer} */
    this.body = raw.body;
    /** @type {Buffer | null} */
    this.key = raw.key;
    /** @type {string} */
    this.id = raw.id;
    /** @type {string} */
    this.contentType = raw.contentType;
    /** @type {Record<string, Buffer>} */
    this.headers = raw.headers;
    /** @type {string} */
    this.source = raw.source;
    /** @type {number} */
    this.deliveryCount = raw.deliveryCount;
    /** @type {boolean} */
    this.redelivered = raw.redelivered;
    /** @type {number | null} */
    this.priority = raw.priority < 0 ? null : raw.priority;
    /** @type {Date | null} */
    this.timestamp = raw.timestamp < 0 ? null : new Date(raw.timestamp);
    this.#handle = raw.handle;
  }

  /** Done with it: the broker forgets it. */
  ack() {
    translated(() => native.ack(this.#handle));
  }

  /**
   * Deliver it again after `delay` milliseconds (default 0), counting one more delivery.
   * @param {{ delay?: number }} [options]
   */
  nack(options) {
    const given = requireObject(options, 'nack options');
    const delay = given.delay === undefined ? 0 : requireInteger(given.delay, 'nack option "delay"', 0, 2 ** 31 - 1);
    translated(() => native.nack(this.#handle, delay));
  }

  /**
   * Move it to the dead-letter queue (its source + dead.letter.suffix) with `reason`.
   * @param {string} reason
   */
  deadLetter(reason) {
    requireString(reason, 'the dead-letter reason');
    translated(() => native.deadLetter(this.#handle, reason));
  }
}

module.exports = { Message };
