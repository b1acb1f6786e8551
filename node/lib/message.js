'use strict';
const { translated } = require('./errors');
const { requireInteger, requireString, requireObject } = require('./options');

/**
 * Where a message sits on its broker, or where the broker stored a sent one; null for what the
 * broker does not give. RabbitMQ gives none of it; Kafka the partition, offset and broker
 * timestamp; SQS the broker's message id and, on FIFO queues, the sequence number.
 * @typedef {{ readonly partition: number | null, readonly offset: number | null, readonly brokerTimestamp: Date | null, readonly brokerMessageId: string | null, readonly sequenceNumber: string | null }} Position
 */

/**
 * The position of every message and report whose broker gives none (all of RabbitMQ's).
 * @type {Position}
 */
const noPosition = Object.freeze({
  partition: null,
  offset: null,
  brokerTimestamp: null,
  brokerMessageId: null,
  sequenceNumber: null,
});

/**
 * A Position from what the addon carries for the messages and reports that have one
 * (src/position.h), or the shared empty one.
 * @param {{ partition: number | null, offset: number | null, brokerTimestampMs: number | null, brokerMessageId: string | null, sequenceNumber: string | null } | undefined} raw
 * @returns {Position}
 */
function positionOf(raw) {
  if (raw === undefined) return noPosition;
  return Object.freeze({
    partition: raw.partition,
    offset: raw.offset,
    brokerTimestamp: raw.brokerTimestampMs === null ? null : new Date(raw.brokerTimestampMs),
    brokerMessageId: raw.brokerMessageId,
    sequenceNumber: raw.sequenceNumber,
  });
}

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
   * @param {{ body: Buffer, key: Buffer | null, id: string, contentType: string, headers: Record<string, Buffer>, source: string, deliveryCount: number, redelivered: boolean, priority: number, timestamp: number, consumerId: number, position: Position }} fields
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
    /** @type {number} the id of the consumer it was delivered to (Consumer.id) */
    this.consumerId = fields.consumerId;
    /** @type {Position} */
    this.position = fields.position;
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

module.exports = { Message, noPosition, positionOf };
