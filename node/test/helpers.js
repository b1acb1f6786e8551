// @ts-check
'use strict';
// What the tests share: the brokers under test (POSTWIRE_BROKERS), their URLs, unique names,
// and clients and queues that are cleaned up after each test.
const assert = require('node:assert/strict');
const postwire = require('..');

/** The brokers to test, as ci/test names them. */
const brokers = (process.env.POSTWIRE_BROKERS || 'amqp,kafka,sqs')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name.length > 0);

/**
 * The broker's URL from POSTWIRE_TEST_<NAME>_URL; a missing one fails the test.
 * @param {string} name
 */
function brokerUrl(name) {
  const variable = `POSTWIRE_TEST_${name.toUpperCase()}_URL`;
  const url = process.env[variable];
  assert.ok(
    url,
    `${variable} is not set: start the brokers with ci/brokers up and load their URLs with eval "$(ci/brokers env)"`,
  );
  return url;
}

let counter = 0;
/** A queue or exchange name no other test run uses. @param {string} what */
function uniqueName(what) {
  counter += 1;
  return `pw-node-${what}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/**
 * Runs `fn` with a client of the amqp broker, closed afterwards.
 * @template T
 * @param {postwire.Config} config
 * @param {(client: postwire.Client) => Promise<T>} fn
 */
async function withClient(config, fn) {
  const client = await postwire.connect(brokerUrl('amqp'), { 'log.level': 'warn', ...config });
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Runs `fn` with a new queue (and deletes it and its dead-letter queue afterwards).
 * @template T
 * @param {postwire.Client} client
 * @param {(queue: string) => Promise<T>} fn
 * @param {postwire.QueueOptions} [options]
 */
async function withQueue(client, fn, options) {
  const queue = uniqueName('queue');
  await client.declareQueue(queue, { durable: false, ...options });
  try {
    return await fn(queue);
  } finally {
    await client.deleteQueue(queue).catch(() => {});
    await client.deleteQueue(`${queue}.dlq`).catch(() => {});
  }
}

/**
 * The next `count` messages of a consumer (which stays open).
 * @param {postwire.Consumer} consumer
 * @param {number} count
 */
async function take(consumer, count) {
  /** @type {postwire.Message[]} */
  const messages = [];
  while (messages.length < count) {
    const next = await consumer.next();
    assert.equal(next.done, false, `the consumer ended after ${messages.length} of ${count} messages`);
    messages.push(next.value);
  }
  return messages;
}

/**
 * Asserts that `promise` rejects with a PostwireError of `code`, and returns the error.
 * @param {Promise<unknown>} promise
 * @param {postwire.ErrorCode} code
 */
async function rejectsWith(promise, code) {
  /** @type {unknown} */
  let caught;
  await promise.then(
    () => assert.fail(`expected a rejection with ${code}`),
    (error) => {
      caught = error;
    },
  );
  assert.ok(caught instanceof postwire.PostwireError, `not a PostwireError: ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

module.exports = { brokers, brokerUrl, uniqueName, withClient, withQueue, take, rejectsWith };
