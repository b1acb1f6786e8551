// @ts-check
"use strict";
// The two clients of the Node.js benchmark, doing the same work: publish COUNT persistent
// messages to a durable queue with publisher confirms, at most WINDOW unconfirmed at a time,
// then consume them all with acknowledgements. Each reports wall time and its process's CPU.
const path = require("node:path");
const { createRequire } = require("node:module");

const nodePackage = path.resolve(__dirname, "..", "..", "node");
const postwire = require(nodePackage);
/** @type {import('amqplib')} */
const amqplib = createRequire(path.join(nodePackage, "package.json"))(
  "amqplib",
);

const WINDOW = 1000;
const PREFETCH = 1000;

/**
 * @typedef {object} Phase
 * @property {number} seconds wall time
 * @property {number} cpuSeconds user + system CPU of this process (every thread)
 */

/**
 * @param {() => Promise<void>} work
 * @returns {Promise<Phase>}
 */
async function measure(work) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/**
 * Keeps up to WINDOW sends outstanding until `count` have been confirmed.
 * @param {number} count
 * @param {(done: () => void, fail: (error: unknown) => void) => void} sendOne
 */
function windowed(count, sendOne) {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let confirmed = 0;
    const pump = () => {
      while (sent < count && sent - confirmed < WINDOW) {
        sent += 1;
        sendOne(() => {
          confirmed += 1;
          if (confirmed === count) resolve(undefined);
          else pump();
        }, reject);
      }
    };
    pump();
  });
}

/**
 * postwire: Producer.send() Promises, and `for await` over a consumer with ack() per message.
 * @param {string} url
 * @param {string} queue
 * @param {number} count
 * @param {Buffer} body
 */
async function runPostwire(url, queue, count, body) {
  const client = await postwire.connect(url, {
    "log.level": "warn",
    "compression.codec": "none",
    "max.in.flight": WINDOW,
    "consumer.prefetch.count": PREFETCH,
  });
  try {
    await client.declareQueue(queue, { durable: true });
    const producer = client.producer();
    const publish = await measure(() =>
      windowed(count, (done, fail) => {
        producer.send(queue, body).then(done, fail);
      }),
    );
    let received = 0;
    const consume = await measure(async () => {
      const consumer = await client.subscribe(queue, { prefetch: PREFETCH });
      for await (const message of consumer) {
        message.ack();
        received += 1;
        if (received === count) break;
      }
      await consumer.close();
    });
    const left = (await client.declareQueue(queue, { durable: true }))
      .messageCount;
    await client.deleteQueue(queue);
    return { publish, consume, received, left };
  } finally {
    await client.close();
  }
}

/**
 * amqplib: a ConfirmChannel, sendToQueue() with a confirm callback per message (its documented
 * way to learn of each confirm), then consume() with prefetch and ack(allUpTo) every 100.
 * @param {string} url
 * @param {string} queue
 * @param {number} count
 * @param {Buffer} body
 */
async function runAmqplib(url, queue, count, body) {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    const publish = await measure(() =>
      windowed(count, (done, fail) => {
        /** @param {unknown} error */
        const confirm = (error) => (error ? fail(error) : done());
        // The window bounds what amqplib buffers, so its 'drain' signal is not needed.
        channel.sendToQueue(queue, body, { persistent: true }, confirm);
      }),
    );
    let received = 0;
    const consume = await measure(
      () =>
        new Promise((resolve, reject) => {
          channel.prefetch(PREFETCH);
          channel
            .consume(
              queue,
              (message) => {
                if (message === null) return;
                received += 1;
                if (received % 100 === 0 || received === count)
                  channel.ack(message, true);
                if (received === count) resolve(undefined);
              },
              { noAck: false },
            )
            .catch(reject);
        }),
    );
    const left = (await channel.checkQueue(queue)).messageCount;
    await channel.deleteQueue(queue);
    await channel.close();
    return { publish, consume, received, left };
  } finally {
    await connection.close();
  }
}

module.exports = { runPostwire, runAmqplib, WINDOW, PREFETCH };
