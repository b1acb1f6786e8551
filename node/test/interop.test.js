// @ts-check
'use strict';
// Interoperability on RabbitMQ: what postwire sends, amqplib reads byte for byte, and the
// reverse (docs/envelope.md describes the mapping).
const test = require('node:test');
const assert = require('node:assert/strict');
const amqplib = require('amqplib');
const { brokers, brokerUrl, withClient, withQueue, take } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 60_000 };
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));

/**
 * A header value as amqplib hands it over (string or Buffer), as bytes.
 * @param {unknown} value
 */
function headerBytes(value) {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return Buffer.from(value);
  assert.fail(`unexpected header value ${String(value)}`);
}

test('postwire sends, amqplib receives the same bytes and properties', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      await client.producer().send(queue, allBytes, {
        id: 'interop-1',
        contentType: 'application/x-test',
        headers: { tenant: 'acme' },
        priority: 4,
      });
      const connection = await amqplib.connect(brokerUrl('amqp'));
      try {
        const channel = await connection.createChannel();
        const received = await channel.get(queue, { noAck: false });
        assert.ok(received, 'amqplib found no message');
        assert.deepEqual(received.content, allBytes);
        assert.equal(received.properties.messageId, 'interop-1');
        assert.equal(received.properties.contentType, 'application/x-test');
        assert.equal(received.properties.priority, 4);
        assert.equal(received.properties.deliveryMode, 2);
        assert.deepEqual(headerBytes(received.properties.headers?.tenant), Buffer.from('acme'));
        channel.ack(received);
        await channel.close();
      } finally {
        await connection.close();
      }
    }),
  ),
);

test('amqplib sends, postwire receives the same bytes and properties', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const connection = await amqplib.connect(brokerUrl('amqp'));
      try {
        const channel = await connection.createConfirmChannel();
        channel.sendToQueue(queue, allBytes, {
          messageId: 'interop-2',
          contentType: 'application/x-test',
          headers: { tenant: 'acme' },
          persistent: true,
          timestamp: 1_700_000_000,
        });
        await channel.waitForConfirms();
        await channel.close();
      } finally {
        await connection.close();
      }
      const consumer = await client.subscribe(queue);
      const [message] = await take(consumer, 1);
      assert.deepEqual(message.body, allBytes);
      assert.equal(message.id, 'interop-2');
      assert.equal(message.contentType, 'application/x-test');
      assert.deepEqual(message.headers.tenant, Buffer.from('acme'));
      assert.equal(message.deliveryCount, 1);
      message.ack();
      await consumer.close();
    }),
  ),
);
