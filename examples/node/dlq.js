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
  { id: "order-2", customer: "bob", item: "lamp", quantity: 0 }, // invalid: dead-lettered
  { id: "order-3", customer: "carol", item: "desk", quantity: 1 }, // fails at first: retried
  { id: "order-4", customer: "alice", item: "pen", quantity: 10 },
];
const WAIT_MS = 10_000; // how long to wait for something the broker should do promptly

/** A failure that may pass, such as a service that is briefly down. */
class TryAgainLater extends Error {}

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
 * The next message of `consumer`; an error if none arrives in time.
 * @param {postwire.Consumer} consumer
 * @param {string} what
 */
async function next(consumer, what) {
  const result = await within(consumer.next(), `no ${what}`);
  if (result.done) throw new Error(`the consumer ended before the ${what}`);
  return result.value;
}

/**
 * Stands in for the real work; order-3's first attempt fails as if the warehouse were
 * briefly unavailable.
 * @param {string} id
 * @param {{ quantity: number }} order
 * @param {number} delivery
 */
function processOrder(id, order, delivery) {
  if (order.quantity <= 0) throw new RangeError("quantity must be positive");
  if (id === "order-3" && delivery === 1) {
    throw new TryAgainLater("warehouse unavailable");
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
    const sends = orders.map(({ id, customer, item, quantity }) =>
      producer.send(queue, JSON.stringify({ item, quantity }), {
        key: customer,
        id,
        contentType: "application/json",
      }),
    );
    await within(Promise.all(sends), "the orders were not confirmed");

    // Every order is settled for good by an ack or a dead letter; a nack brings it back.
    let settled = 0;
    let deadLettered = 0;
    const consumer = await client.subscribe(queue);
    while (settled < orders.length) {
      const message = await next(consumer, "order");
      const delivery = message.deliveryCount;
      try {
        processOrder(
          message.id,
          JSON.parse(message.body.toString("utf8")),
          delivery,
        );
        message.ack();
        process.stdout.write(
          `processed ${message.id} (delivery ${delivery})\n`,
        );
        settled += 1;
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        if (error instanceof TryAgainLater) {
          // The broker holds it for 200 ms, then delivers it again with delivery count + 1
          // (even if this process died meanwhile).
          message.nack({ delay: 200 });
          process.stdout.write(
            `retrying ${message.id} (delivery ${delivery}): ${error.message}\n`,
          );
        } else {
          // Retrying cannot fix a bad order: park it with the reason for a human.
          message.deadLetter(error.message);
          process.stdout.write(
            `dead-lettered ${message.id}: ${error.message}\n`,
          );
          settled += 1;
          deadLettered += 1;
        }
      }
    }
    await consumer.close();

    // The dead letters keep their id and body and carry the reason as a header.
    const deadLetters = await client.subscribe(`${queue}.dlq`);
    for (let read = 0; read < deadLettered; read += 1) {
      const message = await next(deadLetters, "dead letter");
      const reason = message.headers["pw-dead-letter-reason"];
      process.stdout.write(
        `dlq: ${message.id} reason=${reason?.toString("utf8") ?? "(none)"}\n`,
      );
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
