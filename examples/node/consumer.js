// @ts-check
"use strict";
// Receives COUNT messages (default 10) from QUEUE, prints each, and acknowledges it; a message
// that is not valid JSON goes to the dead-letter queue (QUEUE.dlq) instead.
//
//   node examples/node/consumer.js amqp://guest:guest@127.0.0.1:5672 orders 10
const postwire = require("postwire");

async function main() {
  const [url, queue, countText = "10"] = process.argv.slice(2);
  if (!url || !queue) {
    process.stderr.write("usage: consumer.js URL QUEUE [COUNT]\n");
    return 2;
  }
  const count = Number(countText);
  const client = await postwire.connect(url, {
    "client.id": "example-consumer",
    "log.level": "warn",
  });
  let received = 0;
  try {
    const consumer = await client.subscribe(queue, { prefetch: 100 });
    for await (const message of consumer) {
      try {
        const order = JSON.parse(message.body.toString("utf8"));
        process.stdout.write(
          `order ${order.order} (key ${message.key?.toString()}, delivery ${message.deliveryCount})\n`,
        );
        message.ack();
      } catch {
        message.deadLetter("not JSON");
      }
      received += 1;
      if (received === count) break; // ends the loop; the consumer stays open
    }
    await consumer.close(); // unsettled messages (none here) go back to the queue
    process.stdout.write(`received ${received} messages\n`);
    return received === count ? 0 : 1;
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
      `consumer: ${error.code ?? error.name}: ${error.message}\n`,
    );
    process.exitCode = 1;
  },
);
