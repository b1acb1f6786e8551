// @ts-check
'use strict';
// The examples of examples/node run as a user would run them: the producer sends, the
// consumer receives every message.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { brokers, brokerUrl, uniqueName, withClient } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 60_000 };
const examples = path.resolve(__dirname, '..', '..', 'examples', 'node');

// The examples require('postwire') as an application would: NODE_PATH holds a link to this
// package under that name.
function modulePath() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'postwire-examples-'));
  fs.symlinkSync(path.resolve(__dirname, '..'), path.join(directory, 'postwire'));
  return directory;
}

test('the producer and consumer examples run against the broker', options, async () => {
  const queue = uniqueName('example');
  const env = { ...process.env, NODE_PATH: modulePath() };
  const run = promisify(execFile);
  try {
    const sent = await run(process.execPath, [path.join(examples, 'producer.js'), brokerUrl('amqp'), queue, '25'], {
      env,
    });
    assert.match(sent.stdout, /^confirmed 25 messages/m);
    const received = await run(process.execPath, [path.join(examples, 'consumer.js'), brokerUrl('amqp'), queue, '25'], {
      env,
    });
    assert.match(received.stdout, /^order 0 \(key customer-0, delivery 1\)$/m);
    assert.match(received.stdout, /^received 25 messages$/m);
  } finally {
    await withClient({}, (client) => client.deleteQueue(queue));
  }
});
