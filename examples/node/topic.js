// @ts-check
"use strict";
// Fan-out through a topic exchange: each service has its own queue, bound with the routing-key
// pattern of the events it wants. The program publishes a few events, then drains each
// service's queue and prints what it got. It deletes the exchange and queues at the end.
//
//   node examples/node/topic.js amqp://guest:guest@127.0.0.1:5672 events shop
// declares the exchange "events" and the queues shop.billing, shop.shipping and shop.audit.
const postwire = require("postwire");

// "*" matches one word of the routing key, "#" any number of words.
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

async function main() {
  const [url, exchange, prefix] = process.argv.slice(2);
  if (!url || !exchange || !prefix) {
    process.stderr.write("usage: topic.js URL EXCHANGE QUEUE_PREFIX\n");
    return 2;
  }
  const client = await postwire.connect(url, { "log.level": "warn" });
  try {
    await client.declareExchange(exchange, { type: "topic" });
    for (const service of services) {
      const queue = `${prefix}.${service.name}`;
      await client.declareQueue(queue, { durable: false });
      await client.bind(exchange, queue, { routing_key: service.pattern });
    }

    // To "exchange/NAME" the message key is the routing key.
    const producer = client.producer();
    await Promise.all(
      events.map((event) =>
        producer.send(`exchange/${exchange}`, JSON.stringify({ event }), {
          key: event,
          contentType: "application/json",
        }),
      ),
    );

    // Once confirmed, every event is in the queues it was routed to; declaring a queue again
    // reports how many messages it holds, so each is drained without waiting on a timeout.
    for (const service of services) {
      const queue = `${prefix}.${service.name}`;
      const { messageCount } = await client.declareQueue(queue, {
        durable: false,
      });
      const received = [];
      if (messageCount > 0) {
        const consumer = await client.subscribe(queue);
        for await (const message of consumer) {
          received.push(message.key?.toString("utf8"));
          message.ack();
          if (received.length === messageCount) break;
        }
      }
      process.stdout.write(
        `${service.name} (${service.pattern}): ${received.join(" ")}\n`,
      );
    }

    for (const service of services) {
      await client.deleteQueue(`${prefix}.${service.name}`);
    }
    await client.deleteExchange(exchange);
    return 0;
  } finally {
    await client.close();
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
