// @ts-check
"use strict";
// A priority queue: low-priority jobs are sent first and high-priority ones after them, yet
// once all of them are queued the broker hands out the high-priority jobs first. The program
// prints each job as it is sent and as it arrives.
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

async function main() {
  const [url, queue] = process.argv.slice(2);
  if (!url || !queue) {
    process.stderr.write("usage: priority.js URL QUEUE\n");
    return 2;
  }
  const client = await postwire.connect(url, { "log.level": "warn" });
  try {
    // A queue orders by priority only if it was declared with a maximum priority.
    await client.declareQueue(queue, { durable: true, max_priority: 9 });
    const producer = client.producer();
    const sends = [];
    for (const job of jobs) {
      sends.push(producer.send(queue, job.name, { priority: job.priority }));
      process.stdout.write(`sent ${job.name} (priority ${job.priority})\n`);
    }
    // Waiting for every confirm means every job is in the queue before the first is taken,
    // so the broker can order all of them by priority.
    await within(Promise.all(sends), "the jobs were not confirmed");

    const consumer = await client.subscribe(queue);
    for (let received = 0; received < jobs.length; received += 1) {
      const next = await within(consumer.next(), "no job");
      if (next.done) throw new Error("the consumer ended before the job");
      const message = next.value;
      process.stdout.write(
        `received ${message.body.toString("utf8")} (priority ${message.priority})\n`,
      );
      message.ack();
    }
    await consumer.close();
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
