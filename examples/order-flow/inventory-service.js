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
  /** @type {Map<string, number>} units reserved so far, by product */
  const reserved = new Map();
  try {
    await client.declareQueue(payments, { durable: true });
    await client.declareQueue(reservations, { durable: true });
    const producer = client.producer();
    const consumer = await client.subscribe(payments, { prefetch: 200 });
    process.stdout.write("ready\n");
    // The demo closes our stdin to stop us: the reservations already sent are confirmed (and
    // their payments acked) first, then closing the consumer ends the loop below.
    /** @type {Promise<void> | null} */
    let stopping = null;
    const stop = () =>
      (stopping ??= producer.flush().then(() => consumer.close()));
    process.stdin.on("end", () => void stop()).resume();
    const statsTimer = setInterval(() => writeStats(client), 500);

    for await (const payment of consumer) {
      if (stopping) {
        await stopping; // this payment, unsettled, goes back to the broker
        break;
      }
      const order = JSON.parse(payment.body.toString("utf8"));
      reserved.set(
        order.product,
        (reserved.get(order.product) ?? 0) + order.quantity,
      );
      const reservation = {
        order: order.order,
        product: order.product,
        quantity: order.quantity,
        placed_ms: order.placed_ms,
      };
      producer
        .send(reservations, JSON.stringify(reservation), {
          key: order.product,
          id: payment.id,
          contentType: "application/json",
        })
        .then(
          () => {
            process.stdout.write(`reserved ${payment.id} ${order.product}\n`);
            payment.ack();
          },
          (error) => {
            // Not lost: the payment comes back and the stock is reserved again.
            process.stdout.write(`retried ${payment.id} ${error.message}\n`);
            payment.nack();
          },
        );
    }
    await stop();
    clearInterval(statsTimer);
    writeStats(client);
  } finally {
    await client.close();
  }
  return 0;
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
