// @ts-check
'use strict';
// Every broker in POSTWIRE_BROKERS: RabbitMQ runs the whole API (api.test.js and the others),
// Kafka its own (kafka.test.js); SQS has no transport yet, so connecting must be refused with
// not_supported.
const test = require('node:test');
const assert = require('node:assert/strict');
const postwire = require('..');
const { brokers, brokerUrl, rejectsWith } = require('./helpers');

for (const name of brokers) {
  if (name === 'amqp' || name === 'kafka') {
    test(`${name}: connects, and close ends the client`, async () => {
      const client = await postwire.connect(brokerUrl(name), { 'log.level': 'warn' });
      assert.ok(client instanceof postwire.Client);
      await client.close();
      await rejectsWith(client.declareQueue('after-close'), 'closed');
    });
  } else if (name === 'sqs') {
    test(`${name}: connect is refused with not_supported`, async () => {
      const error = await rejectsWith(postwire.connect(brokerUrl(name)), 'not_supported');
      assert.ok(error instanceof postwire.StateError);
      assert.equal(error.number, 406);
      assert.equal(error.retriable, false);
      assert.ok(error.message.length > 0);
    });
  } else {
    test(`${name}: is a known broker`, () => {
      assert.fail(`no tests for broker "${name}" (known: amqp, kafka, sqs)`);
    });
  }
}
