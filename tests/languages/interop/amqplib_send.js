// @ts-check
"use strict";
// Publishes messages with amqplib, a plain AMQP 0-9-1 client that knows nothing of postwire:
// only standard properties (message_id, content_type) and the body, no headers. The messages
// are read from stdin in the format of tests/languages/interop/README.md, which for them holds
// only id, content-type and body.
//
//   node amqplib_send.js URL QUEUE
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

// amqplib is a development dependency of the postwire package, installed in node/node_modules.
const amqplib = createRequire(
  path.join(__dirname, "../../../node/package.json"),
)("amqplib");

/** @typedef {{ messageId?: string, contentType?: string, body: Buffer }} PlainMessage */

/**
 * The messages described by `text`.
 * @param {string} text
 */
function readMessages(text) {
  /** @type {PlainMessage[]} */
  const messages = [];
  /** @type {PlainMessage} */
  let message = { body: Buffer.alloc(0) };
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    const [field, value] =
      space < 0 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)];
    if (field === "id") {
      message.messageId = value;
    } else if (field === "content-type") {
      message.contentType = value;
    } else if (field === "body") {
      message.body = Buffer.from(value, "hex");
    } else if (field === "end") {
      messages.push(message);
      message = { body: Buffer.alloc(0) };
    } else if (field !== "") {
      throw new Error(`a plain AMQP message here has no ${field}`);
    }
  }
  return messages;
}

async function main() {
  const [url, queue] = process.argv.slice(2);
  if (!url || !queue) {
    process.stderr.write("usage: amqplib_send.js URL QUEUE\n");
    return 2;
  }
  const messages = readMessages(fs.readFileSync(0, "utf8"));
  const connection = await amqplib.connect(url);
  try {
    // A confirm channel: waitForConfirms() rejects if the broker refused any message.
    const channel = await connection.createConfirmChannel();
    for (const { body, ...properties } of messages) {
      channel.sendToQueue(queue, body, { ...properties, persistent: true });
    }
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
  return 0;
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
