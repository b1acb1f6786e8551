// @ts-check
"use strict";
// ci/bench node: postwire's Node.js package against amqplib (ConfirmChannel), same broker,
// same run. Each client runs in its own process; prints a table and the ratio lines and
// writes every figure to --out. Fails only when a client errors or loses messages.
//
//   node bench/node/run.js --url amqp://... [--count 100000] [--size 100] [--out FILE]
const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");
const { promisify } = require("node:util");
const { WINDOW, PREFETCH } = require("./clients");

/** @param {string[]} argv */
function parseArguments(argv) {
  /** @type {Record<string, string>} */
  const given = { count: "100000", size: "100", out: "" };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    if (!(name in given) && name !== "url")
      throw new Error(`run.js: unknown option ${argv[i]}`);
    given[name] = argv[i + 1];
  }
  if (!given.url) throw new Error("run.js: --url is required");
  return {
    url: given.url,
    count: Number(given.count),
    size: Number(given.size),
    out: given.out,
  };
}

/**
 * @param {string} client
 * @param {{ url: string, count: number, size: number }} options
 */
async function runClient(client, options) {
  const queue = `pw-bench-node-${client}-${process.pid}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(__dirname, "client.js"),
      client,
      options.url,
      queue,
      String(options.count),
      String(options.size),
    ],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
  if (result.received !== options.count || result.left !== 0) {
    throw new Error(
      `${client} lost messages: received ${result.received} of ${options.count}, ${result.left} left`,
    );
  }
  const rate = (/** @type {number} */ seconds) => options.count / seconds;
  return {
    client,
    publishPerSecond: rate(result.publish.seconds),
    consumePerSecond: rate(result.consume.seconds),
    publishCpuUsPerMessage: (result.publish.cpuSeconds * 1e6) / options.count,
    consumeCpuUsPerMessage: (result.consume.cpuSeconds * 1e6) / options.count,
    cpuUsPerMessage:
      ((result.publish.cpuSeconds + result.consume.cpuSeconds) * 1e6) /
      options.count,
    raw: result,
  };
}

/** @param {number} value */
const thousands = (value) => Math.round(value).toLocaleString("en-US");
/** @param {number} value */
const twoPlaces = (value) => value.toFixed(2);

async function main() {
  const options = parseArguments(process.argv.slice(2));
  process.stdout.write(
    `node: ${thousands(options.count)} persistent messages of ${options.size} B per client, ` +
      `confirm window ${WINDOW}, prefetch ${PREFETCH}\n`,
  );
  const results = [];
  for (const client of ["amqplib", "postwire"]) {
    results.push(await runClient(client, options));
  }
  const [amqplib, postwire] = results;
  process.stdout.write(
    "\n| client | publish msg/s | consume msg/s | CPU µs/msg (pub + con) |\n| --- | --- | --- | --- |\n",
  );
  for (const r of results) {
    process.stdout.write(
      `| ${r.client} | ${thousands(r.publishPerSecond)} | ${thousands(r.consumePerSecond)} | ` +
        `${twoPlaces(r.cpuUsPerMessage)} (${twoPlaces(r.publishCpuUsPerMessage)} + ${twoPlaces(r.consumeCpuUsPerMessage)}) |\n`,
    );
  }
  const ratios = {
    publish: postwire.publishPerSecond / amqplib.publishPerSecond,
    consume: postwire.consumePerSecond / amqplib.consumePerSecond,
    cpuPerMessage: postwire.cpuUsPerMessage / amqplib.cpuUsPerMessage,
  };
  process.stdout.write(
    `\n${options.size} B: postwire/amqplib throughput ${twoPlaces(ratios.publish)}× publish, ` +
      `${twoPlaces(ratios.consume)}× consume (goal ≥ 1.5×)\n` +
      `${options.size} B: postwire/amqplib CPU per msg ${twoPlaces(ratios.cpuPerMessage)}× (goal ≤ 0.25×)\n`,
  );
  if (options.out) {
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(
      options.out,
      `${JSON.stringify({ suite: "node", count: options.count, size: options.size, window: WINDOW, prefetch: PREFETCH, results, ratios }, null, 2)}\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`bench node: ${error.message ?? error}\n`);
  process.exitCode = 1;
});
