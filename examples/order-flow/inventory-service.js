// @ts-check
"use strict";
// The inventory service of the demo (examples/demo): reserves stock for paid orders.
//
//   node examples/order-flow/inventory-service.js URL PREFIX
//
// Consumes PREFIX.payments, reserves the order's quantity of its product, and sends a
// reservation to PREFIX.reservations with the product as ordering key, so the reservations of
// one product stay in order wherever they are consumed. A payment is acked only once the broker
// confirmed its reservation: a crash in between delivers the payment again, and the
// reservation's id (the order id) lets the next consumer drop the repeat.
//
// Writes one line per event to stdout for the demo's ledger, and stops when stdin closes.
const postwire = require("postwire");

async function main() {
  const [url, prefix] = process.argv.slice(2);
  if (!url || !prefix) {
    process.stderr.write("usage: inventory-service.js URL PREFIX\n");
    return 2;
  }
  const payments = `${prefix}.payments`;
  const reservations = `${prefix}.reservations`;
  const client = await postwire.connect(url, {
    "client.id": "inventory-service",
    "dedup.window.size": "100000",
  });
  /** @type {Map<string, number>} units reserved so far, by product (this run's) */
  const reserved = new Map();
  try {
    await client.declareQueue(payments, { durable: true });
    await client.declareQueue(reservations, { durable: true });
    const producer = client.producer();
    const consumer = await client.subscribe(payments, { prefetch: 200 });
    process.stdout.write("ready\n");
    // Reservations sent whose payments are not settled yet: at most the prefetch.
    /** @type {Set<Promise<void>>} */
    const unsettled = new Set();
    // The demo closes our stdin to stop us: the payments whose reservation is on its way are
    // settled first, then closing the consumer ends the loop below.
    /** @type {Promise<void> | null} */
    let stopping = null;
    const stop = () =>
      (stopping ??= Promise.allSettled(unsettled).then(() => consumer.close()));
    process.stdin.on("end", () => void stop()).resume();
    const statsTimer = setInterval(() => writeStats(client), 500);

    for await (const payment of consumer) {
      if (stopping) {
        await stopping; // this payment, unsettled, goes back to the broker
        break;
      }
      const order = JSON.parse(payment.body.toString("utf8"));
      const total = (reserved.get(order.product) ?? 0) + order.quantity;
      reserved.set(order.product, total);
      const reservation = {
        order: order.order,
        product: order.product,
        quantity: order.quantity,
        product_reserved: total,
        placed_ms: order.placed_ms,
      };
      // Each event is written before the payment is settled: a crash in between repeats the
      // line when the payment comes back, and never loses it.
      const settled = producer
        .send(reservations, JSON.stringify(reservation), {
          key: order.product,
          id: payment.id,
          contentType: "application/json",
        })
        .then(
          () => {
            process.stdout.write(`reserved ${payment.id} ${order.product}\n`);
            settle(payment, () => payment.ack());
          },
          (error) => {
            // Not lost: the payment comes back and the stock is reserved again.
            process.stdout.write(`retried ${payment.id} ${error.message}\n`);
            settle(payment, () => payment.nack());
          },
        );
      unsettled.add(settled);
      void settled.finally(() => unsettled.delete(settled));
    }
    await stop();
    clearInterval(statsTimer);
    writeStats(client);
  } finally {
    await client.close();
  }
  return 0;
}

/**
 * Settles a payment; a failure is reported, and the broker delivers the payment again.
 * @param {import("postwire").Message} payment
 * @param {() => void} settlement
 */
function settle(payment, settlement) {
  try {
    settlement();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `inventory service: could not settle ${payment.id}: ${reason}\n`,
    );
  }
}

/** @param {import("postwire").Client} client */
function writeStats(client) {
  process.stdout.write(`stats deduplicated=${client.stats().deduplicated}\n`);
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(
      `inventory service: ${error.code ?? error.name}: ${error.message}\n`,
    );
    process.exitCode = 1;
  },
);
