// @ts-check
"use strict";
// An order queue with a dead-letter queue: good orders are acked, an order that fails for a
// moment is nacked with a short delay and processed on its second delivery, and an invalid
// order is dead-lettered with a reason. The program then reads QUEUE.dlq and prints each dead
// letter with the reason postwire recorded in its pw-dead-letter-reason header.
//
//   node examples/node/dlq.js amqp://guest:guest@127.0.0.1:5672 orders
const postwire = require("postwire");

const orders = [
  { id: "order-1", customer: "alice", item: "book", quantity: 2 },
  { id: "order-2", customer: "bob", item: "lamp", quantity: 0 },
  { id: "order-3", customer: "carol", item: "desk", quantity: 1 },
  { id: "order-4", customer: "alice", item: "pen", quantity: 10 },
];

/** An error worth trying again later, such as a service that is briefly down. */
class TransientError extends Error {}

/**
 * Checks and "fulfils" one order; order-3's first attempt fails as if the stock service
 * were briefly unavailable.
 * @param {{ id: string, quantity: number }} order
 * @param {number} delivery
 */
function fulfil(order, delivery) {
  if (order.quantity <= 0) throw new RangeError("quantity must be positive");
  if (order.id === "order-3" && delivery === 1) {
    throw new TransientError("stock service unavailable");
  }
}

async function main() {
  const [url, queue] = process.argv.slice(2);
  if (!url || !queue) {
    process.stderr.write("usage: dlq.js URL QUEUE\n");
    return 2;
  }
  const client = await postwire.connect(url, { "log.level": "warn" });
  try {
    await client.declareQueue(queue, { durable: true });
    // postwire declares QUEUE.dlq (durable) on the first dead letter; declaring it here as
    // well means it exists before this program starts reading it.
    await client.declareQueue(`${queue}.dlq`, { durable: true });

    const producer = client.producer();
    await Promise.all(
      orders.map((order) =>
        producer.send(queue, JSON.stringify(order), {
          key: order.customer,
          id: order.id,
          contentType: "application/json",
        }),
      ),
    );

    // Every order is settled for good by an ack or a dead letter; a nack brings it back.
    let settled = 0;
    let deadLettered = 0;
    const consumer = await client.subscribe(queue, { prefetch: 10 });
    for await (const message of consumer) {
      const order = JSON.parse(message.body.toString("utf8"));
      try {
        fulfil(order, message.deliveryCount);
        message.ack();
        process.stdout.write(
          `processed ${message.id} (delivery ${message.deliveryCount})\n`,
        );
        settled += 1;
      } catch (error) {
        if (error instanceof TransientError) {
          process.stdout.write(
            `retrying ${message.id} (delivery ${message.deliveryCount})\n`,
          );
          message.nack({ delay: 200 });
        } else {
          const reason = error instanceof Error ? error.message : String(error);
          message.deadLetter(reason);
          process.stdout.write(`dead-lettered ${message.id}: ${reason}\n`);
          settled += 1;
          deadLettered += 1;
        }
      }
      if (settled === orders.length) break; // leaving the loop closes the consumer
    }

    // The dead letters keep their id and body and carry the reason as a header.
    const deadLetters = await client.subscribe(`${queue}.dlq`);
    for (let read = 0; read < deadLettered; read += 1) {
      const next = await deadLetters.next();
      if (next.done) break;
      const message = next.value;
      const reason = message.headers["pw-dead-letter-reason"]?.toString("utf8");
      process.stdout.write(`dlq: ${message.id} reason=${reason}\n`);
      message.ack();
    }
    await deadLetters.close();
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
      `dlq: ${error.code ?? error.name}: ${error.message}\n`,
    );
    process.exitCode = 1;
  },
);
