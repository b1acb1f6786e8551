// @ts-check
"use strict";
// Sends COUNT messages (default 10) to QUEUE, each with an ordering key and a header, awaits
// every delivery report, and prints the client's stats.
//
//   node examples/node/producer.js amqp://guest:guest@127.0.0.1:5672 orders 10
const postwire = require("postwire");

async function main() {
  const [url, queue, countText = "10"] = process.argv.slice(2);
  if (!url || !queue) {
    process.stderr.write("usage: producer.js URL QUEUE [COUNT]\n");
    return 2;
  }
  const count = Number(countText);
  const client = await postwire.connect(url, {
    "client.id": "example-producer",
    "log.level": "warn",
  });
  try {
    await client.declareQueue(queue, { durable: true });
    const producer = client.producer();
    // Every send returns at once; the Promises settle as the broker confirms.
    const sends = [];
    for (let i = 0; i < count; i += 1) {
      const order = { order: i, total: 10 * i };
      sends.push(
        producer.send(queue, JSON.stringify(order), {
          key: `customer-${i % 3}`,
          contentType: "application/json",
          headers: { source: "example" },
        }),
      );
    }
    const reports = await Promise.all(sends);
    process.stdout.write(
      `confirmed ${reports.length} messages, last id ${reports[reports.length - 1]?.id}\n`,
    );
    const stats = client.stats();
    process.stdout.write(
      `stats: sent ${stats.sent}, confirmed ${stats.confirmed}, p50 ${stats.send_to_confirm_p50_us} µs\n`,
    );
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
      `producer: ${error.code ?? error.name}: ${error.message}\n`,
    );
    process.exitCode = 1;
  },
);
