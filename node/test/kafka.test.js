// @ts-check
'use strict';
// Kafka through the Promise API: a topic declared with partitions, delivery reports with the
// partition and offset the broker gave, partition reads with their start position, what Kafka
// refuses, and the topic deleted again.
const test = require('node:test');
const assert = require('node:assert/strict');
const postwire = require('..');
const { brokers, brokerUrl, uniqueName, take, rejectsWith } = require('./helpers');

const options = { skip: !brokers.includes('kafka') && 'kafka is not in POSTWIRE_BROKERS', timeout: 60_000 };
const PARTITIONS = 3;
const KEYS = ['customer-1', 'customer-2', 'customer-3', 'customer-4'];

/**
 * Runs `fn` with a Kafka client and a fresh topic of PARTITIONS partitions, deleted afterwards.
 * @template T
 * @param {(client: postwire.Client, topic: string) => Promise<T>} fn
 */
async function withTopic(fn) {
  const client = await postwire.connect(brokerUrl('kafka'), { 'log.level': 'warn', 'linger.ms': 2 });
  const topic = uniqueName('topic');
  try {
    const declared = await client.declareQueue(topic, { partitions: PARTITIONS });
    assert.equal(declared.name, topic);
    assert.equal(declared.messageCount, 0);
    return await fn(client, topic);
  } finally {
    await client.deleteQueue(topic).catch(() => {});
    await client.close().catch(() => {});
  }
}

/**
 * Sends each of KEYS `rounds` times, in order; ids are TOPIC-KEY-ROUND.
 * @param {postwire.Client} client
 * @param {string} topic
 * @param {number} rounds
 */
function sendKeyed(client, topic, rounds) {
  const producer = client.producer();
  /** @type {Promise<postwire.DeliveryReport>[]} */
  const sends = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const key of KEYS) {
      sends.push(
        producer.send(topic, `${key} #${round}`, {
          key,
          id: `${topic}-${key}-${round}`,
          headers: { round: String(round), bin: Buffer.from([0, 255]) },
        }),
      );
    }
  }
  return Promise.all(sends);
}

test('kafka: capabilities say partitions and seek, not exchanges', options, () =>
  withTopic(async (client, topic) => {
    const capabilities = client.capabilities();
    assert.equal(capabilities.partitions, true);
    assert.equal(capabilities.seek, true);
    assert.equal(capabilities.exchanges, false);
    assert.equal(capabilities.priorities, false);
    // The same partition count again is fine; another is refused.
    assert.equal((await client.declareQueue(topic, { partitions: PARTITIONS })).name, topic);
    const refused = await rejectsWith(client.declareQueue(topic, { partitions: 5 }), 'precondition_failed');
    assert.match(refused.message, /3 partitions/);
  }),
);

test('kafka: reports carry the partition, a key keeps its partition, offsets ascend', options, () =>
  withTopic(async (client, topic) => {
    const reports = await sendKeyed(client, topic, 3);
    /** @type {Map<string, number>} */
    const partitionOf = new Map();
    /** @type {Map<number, number[]>} */
    const offsets = new Map();
    for (const report of reports) {
      const { partition, offset } = report.position;
      assert.ok(partition !== null && partition >= 0 && partition < PARTITIONS, `partition ${partition}`);
      assert.ok(offset !== null);
      const key = report.id.slice(topic.length + 1).replace(/-\d+$/, '');
      assert.equal(partitionOf.get(key) ?? partition, partition, `${key} changed partition`);
      partitionOf.set(key, partition);
      offsets.set(partition, [...(offsets.get(partition) ?? []), offset]);
    }
    assert.equal(partitionOf.size, KEYS.length);
    for (const [partition, seen] of offsets) {
      // A fresh topic, sent to in order: each partition's offsets are 0, 1, 2, ...
      assert.deepEqual(
        seen,
        seen.map((_, i) => i),
        `partition ${partition}`,
      );
    }
    assert.equal((await client.declareQueue(topic)).messageCount, reports.length);
  }),
);

test('kafka: a partition read from earliest delivers each message with its position', options, () =>
  withTopic(async (client, topic) => {
    const reports = new Map((await sendKeyed(client, topic, 2)).map((report) => [report.id, report]));
    const total = reports.size;
    const consumer = await client.subscribe(topic, { options: { start: 'earliest' } });
    /** @type {Map<number, number>} */
    const lastOffset = new Map();
    for (const message of await take(consumer, total)) {
      const report = reports.get(message.id);
      assert.ok(report, `unexpected id ${message.id}`);
      reports.delete(message.id);
      const key = message.key?.toString() ?? '';
      assert.ok(KEYS.includes(key), key);
      assert.equal(message.body.toString(), `${key} #${message.headers.round?.toString()}`);
      assert.deepEqual(message.headers.bin, Buffer.from([0, 255]));
      assert.equal(message.source, topic);
      const { partition, offset, brokerTimestamp } = message.position;
      assert.equal(partition, report.position.partition);
      assert.equal(offset, report.position.offset);
      assert.ok(brokerTimestamp instanceof Date && brokerTimestamp.getTime() > 0);
      assert.ok(partition !== null && offset !== null);
      assert.ok(offset > (lastOffset.get(partition) ?? -1), 'offsets ascend within a partition');
      lastOffset.set(partition, offset);
      message.ack();
    }
    assert.equal(reports.size, 0);
    await consumer.close();
  }),
);

test('kafka: a read of one partition from an offset', options, () =>
  withTopic(async (client, topic) => {
    const reports = await sendKeyed(client, topic, 3);
    const partition = reports[0].position.partition;
    const onIt = reports.filter((report) => report.position.partition === partition);
    const consumer = await client.subscribe(topic, {
      options: { partitions: String(partition), 'start.offset': 1 },
    });
    const messages = await take(consumer, onIt.length - 1);
    assert.deepEqual(
      messages.map((message) => message.id),
      onIt.slice(1).map((report) => report.id),
    );
    for (const message of messages) message.ack();
    await consumer.close();
  }),
);

test('kafka: priorities, TTLs, missing topics and unknown options are refused', options, () =>
  withTopic(async (client, topic) => {
    const producer = client.producer();
    const priority = await rejectsWith(producer.send(topic, 'urgent', { priority: 5 }), 'not_supported');
    assert.match(priority.message, /priority/);
    const ttl = await rejectsWith(producer.send(topic, 'fleeting', { ttlMs: 1000 }), 'not_supported');
    assert.match(ttl.message, /TTL/);
    const missing = uniqueName('missing');
    const notFound = await rejectsWith(producer.send(missing, 'nowhere'), 'not_found');
    assert.ok(notFound.message.includes(missing), notFound.message);
    const unknown = await rejectsWith(client.subscribe(topic, { options: { 'start.ofset': 3 } }), 'invalid_argument');
    assert.match(unknown.message, /start\.ofset/);
    await rejectsWith(client.subscribe(topic, { options: { start: 'yesterday' } }), 'invalid_argument');
    const misspelt = await rejectsWith(client.declareQueue(uniqueName('topic'), { partitons: 3 }), 'invalid_argument');
    assert.match(misspelt.message, /partitons/);
  }),
);

test('kafka: a deleted topic is gone', options, async () => {
  const client = await postwire.connect(brokerUrl('kafka'), { 'log.level': 'warn' });
  try {
    const topic = uniqueName('topic');
    await client.declareQueue(topic, { partitions: 2 });
    await client.producer().send(topic, 'one', { key: 'k' });
    assert.equal(await client.deleteQueue(topic), 1);
    await rejectsWith(client.subscribe(topic), 'not_found');
  } finally {
    await client.close();
  }
});
