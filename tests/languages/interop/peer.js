// @ts-check
"use strict";
// The Node.js side of the cross-language interop suite (tests/languages/test_interop.py).
// The message format on standard input and output is described in
// tests/languages/interop/README.md.
//
//   node peer.js send URL QUEUE            sends the messages read from stdin
//   node peer.js receive URL QUEUE COUNT   prints COUNT received messages, acking each
const fs = require("node:fs");
const postwire = require("postwire");

/**
 * @typedef {{ id?: string, key?: Buffer, contentType?: string,
 *   headers: Record<string, Buffer>, body: Buffer }} Spec
 */

/** @returns {Spec} */
function emptySpec() {
  return { headers: {}, body: Buffer.alloc(0) };
}

/**
 * Splits "field rest of line" at the first space.
 * @param {string} line
 */
function split(line) {
  const space = line.indexOf(" ");
  return space < 0 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)];
}

/**
 * The messages described by `text`.
 * @param {string} text
 */
function readSpecs(text) {
  /** @type {Spec[]} */
  const specs = [];
  let spec = emptySpec();
  for (const line of text.split("\n")) {
    const [field, value] = split(line);
    switch (field) {
      case "id":
        spec.id = value;
        break;
      case "key":
        spec.key = Buffer.from(value, "hex");
        break;
      case "content-type":
        spec.contentType = value;
        break;
      case "header": {
        // Headers are a name-to-value object in the Node.js API: a name can appear once.
        const [name, hex] = split(value);
        if (Object.hasOwn(spec.headers, name))
          throw new Error(`header ${name} given twice`);
        spec.headers[name] = Buffer.from(hex, "hex");
        break;
      }
      case "body":
        spec.body = Buffer.from(value, "hex");
        break;
      case "end":
        specs.push(spec);
        spec = emptySpec();
        break;
      case "":
        break;
      default:
        throw new Error(`unknown field ${field}`);
    }
  }
  return specs;
}

/**
 * @param {string} url
 * @param {string} queue
 */
async function send(url, queue) {
  const specs = readSpecs(fs.readFileSync(0, "utf8"));
  const client = await postwire.connect(url);
  try {
    const producer = client.producer();
    const outcomes = await Promise.allSettled(
      specs.map(({ body, ...options }) => producer.send(queue, body, options)),
    );
    let failed = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "rejected") {
        failed += 1;
        process.stderr.write(
          `message ${specs[i].id} failed: ${outcome.reason}\n`,
        );
      }
    });
    return failed === 0 ? 0 : 1;
  } finally {
    await client.close();
  }
}

/** @param {postwire.Message} message */
function format(message) {
  const lines = [`id ${message.id}`];
  if (message.key !== null) lines.push(`key ${message.key.toString("hex")}`);
  if (message.contentType) lines.push(`content-type ${message.contentType}`);
  for (const [name, value] of Object.entries(message.headers)) {
    lines.push(`header ${name} ${value.toString("hex")}`);
  }
  lines.push(`body ${message.body.toString("hex")}`);
  lines.push(`delivery-count ${message.deliveryCount}`, "end", "");
  return lines.join("\n");
}

/**
 * @param {string} url
 * @param {string} queue
 * @param {number} count
 */
async function receive(url, queue, count) {
  const client = await postwire.connect(url);
  let received = 0;
  // The iterator waits without limit; this ends a run in which messages are missing.
  const timer = setTimeout(() => {
    process.stderr.write(
      `received ${received} of ${count} messages within 30 s\n`,
    );
    process.exit(1);
  }, 30_000);
  try {
    const consumer = await client.subscribe(queue);
    for await (const message of consumer) {
      process.stdout.write(format(message));
      message.ack();
      received += 1;
      if (received === count) break;
    }
    return 0;
  } finally {
    clearTimeout(timer);
    await client.close();
  }
}

async function main() {
  const [command, url, queue, countText] = process.argv.slice(2);
  if (command === "send" && queue !== undefined && countText === undefined) {
    return send(url, queue);
  }
  if (command === "receive" && /^[0-9]+$/.test(countText ?? "")) {
    return receive(url, queue, Number(countText));
  }
  process.stderr.write(
    "usage: peer.js send URL QUEUE\n       peer.js receive URL QUEUE COUNT\n",
  );
  return 2;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(`error: ${error}\n`);
    process.exitCode = 1;
  },
);
