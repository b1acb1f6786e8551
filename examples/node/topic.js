// @ts-check
"use strict";
// Fan-out through a topic exchange: each service has its own queue, bound with the routing-key
// pattern of the events it wants. The program publishes a few events, then drains each
// service's queue and prints what it got. It deletes the exchange and queues at the end.
//
//   node examples/node/topic.js amqp://guest:guest@127.0.0.1:5672 events shop
// declares the exchange "events" and the queues shop.billing, shop.shipping and shop.audit.
const postwire = require("postwire");

// "*" stands for exactly one word of the routing key, "#" for any number of words.
const services = [
  { name: "billing", pattern: "order.*" },
  { name: "shipping", pattern: "order.paid" },
  { name: "audit", pattern: "#" },
];
const events = [
  "order.created",
  "order.paid",
  "order.cancelled",
  "user.signup",
];
const WAIT_MS = 10_000; // how long to wait for something the broker should do promptly

/**
 * Settles as `promise` does, or rejects with "`what` within 10 s" if it has not by then.
 * @template T
 * @param {Promise<T>} promise
 * @param {string} what
 * @returns {Promise<T>}
 */
function within(promise, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} within ${WAIT_MS / 1000} s`)),
      WAIT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The keys of the events waiting in `queue`, each acked.
 * @param {postwire.Client} client
 * @param {string} queue
 */
async function drain(client, queue) {
  // Every event is confirmed, so each queue already holds all it will get; declaring the
  // queue again says how many messages wait in it.
  const { messageCount } = await client.declareQueue(queue);
  const keys = [];
  const consumer = await client.subscribe(queue);
  try {
    while (keys.length < messageCount) {
      const next = await within(consumer.next(), `no event on ${queue}`);
      if (next.done) throw new Error(`the consumer of ${queue} ended`);
      keys.push(next.value.key?.toString("utf8"));
      next.value.ack();
    }
    return keys;
  } finally {
    await consumer.close();
  }
}

async function main() {
  const [url, exchange, prefix] = process.argv.slice(2);
  if (!url || !exchange || !prefix) {
    process.stderr.write("usage: topic.js URL EXCHANGE PREFIX\n");
    return 2;
  }
  const client = await postwire.connect(url, { "log.level": "warn" });
  try {
    await client.declareExchange(exchange, { type: "topic" });
    for (const service of services) {
      const queue = `${prefix}.${service.name}`;
      await client.declareQueue(queue);
      await client.bind(exchange, queue, { routing_key: service.pattern });
    }

    // To "exchange/NAME" the message key is the routing key.
    const producer = client.producer();
    const sends = events.map((event) =>
      producer.send(`exchange/${exchange}`, JSON.stringify({ event }), {
        key: event,
      }),
    );
    // Rejects for an event that no queue took.
    await within(Promise.all(sends), "the events were not confirmed");

    for (const service of services) {
      const keys = await drain(client, `${prefix}.${service.name}`);
      process.stdout.write(
        `${service.name} (${service.pattern}): ${keys.join(" ")}\n`,
      );
    }
    return 0;
  } finally {
    // This is a demonstration: leave nothing behind on the broker.
    try {
      for (const service of services) {
        await client.deleteQueue(`${prefix}.${service.name}`);
      }
      await client.deleteExchange(exchange);
    } finally {
      await client.close();
    }
  }
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(
      `topic: ${error.code ?? error.name}: ${error.message}\n`,
    );
    process.exitCode = 1;
  },
);
