// @ts-check
'use strict';
// The process's life with clients in it, each case in a child process: an idle client lets
// Node exit, an iterating consumer keeps it alive, and exiting with work in flight neither
// hangs nor crashes. Each child is killed if it has not exited within childTimeoutMs, which
// then fails its test as a hang.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { brokers, brokerUrl, uniqueName, withClient, withQueue } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 60_000 };
const childTimeoutMs = 30_000;

/**
 * Runs a fixture with the broker URL, a queue and `args`; resolves with its exit and output.
 * `onLine` sees each line of its stdout as it comes.
 * @param {string} fixture
 * @param {string} queue
 * @param {{ args?: string[], onLine?: (line: string) => void }} [more]
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string }>}
 */
function runFixture(fixture, queue, { args = [], onLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', path.join(__dirname, 'fixtures', fixture), brokerUrl('amqp'), queue, ...args],
      { timeout: childTimeoutMs, killSignal: 'SIGKILL' },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      if (onLine) for (const line of chunk.split('\n').filter(Boolean)) onLine(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('an idle client does not keep the process alive', options, async () => {
  const result = await runFixture('idle-client.js', uniqueName('idle'));
  assert.equal(result.signal, null, result.stderr);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^sent [0-9a-f-]{36}\n$/);
});

test('exiting with sends in flight and a consumer open neither hangs nor crashes', options, async () => {
  const result = await runFixture('exit-with-sends.js', uniqueName('exit'));
  assert.equal(result.signal, null, result.stderr);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'exiting\n');
});

for (const mode of ['own', 'events']) {
  const how = mode === 'events' ? ', its messages through the client events' : '';
  test(`a consumer being iterated keeps the process alive until its message${how}`, options, () =>
    withClient({}, (client) =>
      withQueue(client, async (queue) => {
        const finished = runFixture('iterating-consumer.js', queue, {
          args: [mode],
          onLine: (line) => {
            if (line === 'ready')
              client
                .producer()
                .send(queue, 'wake up')
                .catch(() => {});
          },
        });
        const result = await finished;
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, 'ready\nreceived wake up\n');
      }),
    ),
  );
}

test('closed clients and consumers are collected, and the process still exits cleanly', options, async () => {
  const result = await runFixture('collected-handles.js', uniqueName('collected'));
  assert.equal(result.signal, null, result.stderr);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'clients collected: some, consumers collected: some\n');
});

// Leaving without close(), by the loop running dry or by process.exit(), with the client idle,
// with sends in flight, and with a consumer being iterated: the exit status is the one asked
// for (0 when the loop ran dry), with no abort (exit 134, SIGABRT) and no hang.
for (const state of ['idle', 'sending', 'consuming', 'consuming-events']) {
  for (const how of ['end', 'exit:0', 'exit:3']) {
    const expected = how === 'end' ? 0 : Number(how.slice('exit:'.length));
    const way = how === 'end' ? 'the loop runs dry' : `process.exit(${expected})`;
    test(
      `leaving without close when ${way}, ${state}: exit status ${expected}, no abort, no hang`,
      options,
      async () => {
        const result = await runFixture('exit.js', uniqueName(`exit-${state}`), { args: [state, how] });
        assert.equal(result.signal, null, `the child was killed (a hang, or an abort): ${result.stderr}`);
        assert.equal(result.code, expected, result.stderr);
        assert.doesNotMatch(result.stderr, /terminate called|Aborted|Napi::Error|FATAL ERROR/);
        assert.equal(result.stdout, `leaving ${state}\n`);
      },
    );
  }
}
