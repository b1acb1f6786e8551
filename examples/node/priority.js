// @ts-check
"use strict";
// A priority queue: low-priority jobs are sent first and high-priority ones after them, yet
// once all of them are queued the broker hands out the high-priority jobs first. The program
// prints each job in the order it arrives.
//
//   node examples/node/priority.js amqp://guest:guest@127.0.0.1:5672 jobs
const postwire = require("postwire");

const jobs = [
  { name: "report-1", priority: 1 },
  { name: "report-2", priority: 1 },
  { name: "report-3", priority: 1 },
  { name: "alert-1", priority: 9 },
  { name: "alert-2", priority: 9 },
];

async function main() {
  const [url, queue] = process.argv.slice(2);
  if (!url || !queue) {
    process.stderr.write("usage: priority.js URL QUEUE\n");
    return 2;
  }
  const client = await postwire.connect(url, { "log.level": "warn" });
  try {
    // Priorities only take effect on a queue declared with max_priority.
    await client.declareQueue(queue, { durable: true, max_priority: 10 });
    const producer = client.producer();
    const sends = [];
    for (const job of jobs) {
      process.stdout.write(`sent ${job.name} (priority ${job.priority})\n`);
      sends.push(producer.send(queue, job.name, { priority: job.priority }));
    }
    // Waiting for every confirm means every job is in the queue before the first is taken,
    // so the broker can order all of them by priority.
    await Promise.all(sends);

    let received = 0;
    const consumer = await client.subscribe(queue);
    for await (const message of consumer) {
      received += 1;
      process.stdout.write(
        `received ${message.body.toString("utf8")} (priority ${message.priority})\n`,
      );
      message.ack();
      if (received === jobs.length) break;
    }
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
      `priority: ${error.code ?? error.name}: ${error.message}\n`,
    );
    process.exitCode = 1;
  },
);
