// @ts-check
'use strict';
// One network outage through the fault proxy that ci/brokers puts in front of the broker
// (toxiproxy, POSTWIRE_TEST_PROXY_API), as a user of the package meets it: the consumer's
// async iterator keeps yielding across the outage, nothing rejects, every send is confirmed
// and every message arrives once.
const test = require('node:test');
const assert = require('node:assert/strict');
const postwire = require('..');
const { brokers, brokerUrl, uniqueName } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 120_000 };
const total = 600;
const faultConfig = {
  'reconnect.backoff.ms': '50',
  'reconnect.backoff.max.ms': '1000',
  'heartbeat.interval.ms': '1000',
  'dedup.window.size': '10000',
  'delivery.timeout.ms': '120000',
  'log.level': 'warn',
};

/** @param {string} variable */
function environment(variable) {
  const value = process.env[variable];
  assert.ok(value, `${variable} is not set: start the brokers with ci/brokers up and eval "$(ci/brokers env)"`);
  return value;
}

/** @param {string} broker @param {boolean} enabled */
async function setProxyEnabled(broker, enabled) {
  const response = await fetch(`${environment('POSTWIRE_TEST_PROXY_API')}/proxies/${broker}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ enabled }),
  });
  assert.equal(response.status, 200, await response.text());
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('the consumer keeps yielding across a network outage', options, async () => {
  const queue = uniqueName('faults');
  const admin = await postwire.connect(brokerUrl('amqp'), { 'log.level': 'warn' });
  await admin.declareQueue(queue, { durable: false });
  const proxied = environment('POSTWIRE_TEST_AMQP_PROXY_URL');
  const consumerClient = await postwire.connect(proxied, faultConfig);
  const producerClient = await postwire.connect(proxied, faultConfig);
  /** @type {string[]} */
  const states = [];
  consumerClient.on('connection', (event) => states.push(event.state));
  try {
    const consumer = await consumerClient.subscribe(queue, { prefetch: 50 });
    /** @type {number[]} */
    const received = [];
    const reading = (async () => {
      for await (const message of consumer) {
        received.push(Number(String(message.headers.seq)));
        message.ack();
        if (new Set(received).size === total) break;
      }
    })();
    const producer = producerClient.producer();
    /** @type {Promise<postwire.DeliveryReport>[]} */
    const sends = [];
    for (let i = 0; i < total; i += 1) {
      if (i === total / 3) {
        await setProxyEnabled('amqp', false);
        setTimeout(() => void setProxyEnabled('amqp', true), 1000);
      }
      sends.push(producer.send(queue, Buffer.alloc(64, 'x'), { headers: { seq: String(i) } }));
      await sleep(5);
    }
    await Promise.all(sends);
    await reading;
    await consumer.close();
    assert.ok(states.includes('recovering'), `the outage was not seen: ${states.join(', ')}`);
    assert.deepEqual(
      [...new Set(received)].sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i),
    );
    assert.equal(received.length, total, 'a message reached the application twice despite the dedup window');
  } finally {
    await setProxyEnabled('amqp', true);
    await consumerClient.close();
    await producerClient.close();
    await admin.deleteQueue(queue).catch(() => {});
    await admin.close();
  }
});
