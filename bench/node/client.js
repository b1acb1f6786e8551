// @ts-check
"use strict";
// One benchmark client in a process of its own, so that its CPU is its own:
//   node bench/node/client.js postwire|amqplib URL QUEUE COUNT SIZE
// prints one JSON line with its figures.
const { runPostwire, runAmqplib } = require("./clients");

async function main() {
  const [name, url, queue, countText, sizeText] = process.argv.slice(2);
  const count = Number(countText);
  const body = Buffer.alloc(Number(sizeText), "x");
  const run =
    name === "postwire" ? runPostwire : name === "amqplib" ? runAmqplib : null;
  if (run === null || !url || !queue || !(count > 0)) {
    throw new Error("usage: client.js postwire|amqplib URL QUEUE COUNT SIZE");
  }
  const result = await run(url, queue, count, body);
  process.stdout.write(
    `${JSON.stringify({ client: name, count, size: body.length, ...result })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
