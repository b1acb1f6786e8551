// @ts-check
'use strict';
// The behaviour every language's package shares: the closed error and its flags, closing
// twice, stats after close, subscribing after close, leaving a for-await loop without closing
// the consumer, failed sends nothing awaits, and errors in the language's own conventions.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { once } = require('node:events');
const { spawn } = require('node:child_process');
const postwire = require('..');
const { brokers, brokerUrl, uniqueName, withClient, withQueue, take, rejectsWith } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 60_000 };

/**
 * A client of its own (not withClient's), for tests that close it themselves.
 * @param {postwire.Config} [config]
 */
function connect(config) {
  return postwire.connect(brokerUrl('amqp'), { 'log.level': 'warn', ...config });
}

test('closed is fatal and not retriable, as the core says, on every call after close', options, async () => {
  const client = await connect();
  const queue = uniqueName('queue');
  await client.declareQueue(queue, { durable: false, auto_delete: true });
  const producer = client.producer();
  await client.close();
  for (const call of [
    () => producer.send(queue, 'after close'),
    () => client.subscribe(queue),
    () => client.declareQueue(queue),
    () => producer.flush(),
  ]) {
    const error = await rejectsWith(call(), 'closed');
    assert.ok(error instanceof postwire.StateError);
    assert.equal(error.number, 402);
    assert.equal(error.fatal, true);
    assert.equal(error.retriable, false);
    assert.equal(error.name, 'StateError');
  }
});

test('sends still unconfirmed at close reject with the fatal closed error', options, async () => {
  const client = await connect();
  const queue = uniqueName('queue');
  await client.declareQueue(queue, { durable: false, auto_delete: true });
  const producer = client.producer();
  const sends = [];
  for (let i = 0; i < 2000; i += 1) sends.push(producer.send(queue, 'in flight'));
  const settled = Promise.allSettled(sends);
  await client.close({ timeoutMs: 0 });
  for (const result of await settled) {
    if (result.status === 'rejected') {
      assert.ok(result.reason instanceof postwire.StateError);
      assert.equal(result.reason.code, 'closed');
      assert.equal(result.reason.fatal, true);
    }
  }
});

test('closing twice resolves both times, also while the first close runs', options, async () => {
  const client = await connect();
  const first = client.close();
  const second = client.close();
  assert.equal(await first, undefined);
  assert.equal(await second, undefined);
  assert.equal(await client.close(), undefined);

  const disposed = await connect();
  await disposed[Symbol.asyncDispose]();
  await rejectsWith(disposed.declareQueue(uniqueName('q')), 'closed');
  assert.equal(await disposed.close(), undefined);
});

test('stats after close are the final figures', options, async () => {
  const client = await connect();
  const queue = uniqueName('queue');
  await client.declareQueue(queue, { durable: false, auto_delete: true });
  const producer = client.producer();
  await Promise.all([producer.send(queue, 'a'), producer.send(queue, 'b'), producer.send(queue, 'c')]);
  const before = client.stats();
  await client.close();
  const after = client.stats();
  assert.equal(after.confirmed, 3);
  assert.equal(after.confirmed, before.confirmed);
  assert.equal(after.sent, before.sent);
  assert.equal(after.in_flight, 0);
});

test('subscribe after close rejects with a PostwireError of code closed', options, async () => {
  const client = await connect();
  const queue = uniqueName('queue');
  await client.declareQueue(queue, { durable: false, auto_delete: true });
  await client.close();
  /** @type {unknown} */
  let caught;
  await client.subscribe(queue).catch((error) => {
    caught = error;
  });
  assert.ok(caught instanceof postwire.PostwireError, `not a PostwireError: ${String(caught)}`);
  assert.ok(caught instanceof postwire.StateError);
  assert.equal(caught.code, 'closed');
  assert.equal(caught.fatal, true);
});

test('leaving a for-await loop leaves the consumer open, and it can be iterated again', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      for (const body of ['one', 'two', 'three', 'four', 'five']) await producer.send(queue, body);
      const consumer = await client.subscribe(queue);
      /** @type {string[]} */
      const received = [];

      for await (const message of consumer) {
        received.push(message.body.toString());
        message.ack();
        break; // break
      }
      await (async () => {
        for await (const message of consumer) {
          received.push(message.body.toString());
          message.ack();
          return; // return from the function
        }
      })();
      await assert.rejects(async () => {
        for await (const message of consumer) {
          received.push(message.body.toString());
          message.ack();
          throw new Error('out of the loop'); // a throw
        }
      }, /out of the loop/);
      const [fourth] = await take(consumer, 1); // next() still works
      received.push(fourth.body.toString());
      fourth.ack();
      for await (const message of consumer) {
        received.push(message.body.toString());
        message.ack();
        break;
      }
      assert.deepEqual(received, ['one', 'two', 'three', 'four', 'five']);

      // Still consuming: a message sent now arrives.
      await producer.send(queue, 'six');
      const [sixth] = await take(consumer, 1);
      assert.equal(sixth.body.toString(), 'six');
      sixth.ack();

      // Closing is explicit; an iteration after it ends at once.
      await consumer[Symbol.asyncDispose]();
      for await (const message of consumer) assert.fail(`a message after close: ${message.body}`);
      assert.deepEqual(await consumer.next(), { value: undefined, done: true });
    }),
  ),
);

test('a failed send nothing awaits is logged at warn and emitted as error; an awaited one only rejects', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const exchange = uniqueName('exchange');
      await client.declareExchange(exchange, { type: 'direct', durable: false });
      /** @type {unknown[]} */
      const errors = [];
      /** @type {postwire.LogEvent[]} */
      const warnings = [];
      client.on('error', (error) => errors.push(error));
      client.on('log', (event) => {
        if (event.level === 'warn' && event.category === 'producer') warnings.push(event);
      });
      try {
        const producer = client.producer();
        const destination = `exchange/${exchange}`;

        const reported = once(client, 'error');
        void producer.send(destination, 'nobody awaits this', { key: 'nowhere' });
        const [error] = await reported;
        assert.ok(error instanceof postwire.BrokerError);
        assert.equal(error.code, 'unroutable');
        assert.equal(warnings.length, 1);
        assert.match(warnings[0].text, new RegExp(`send to "${destination}" failed`));
        assert.match(warnings[0].text, /unroutable/);

        // Awaited (await, catch, then, Promise.all): they reject there and are reported nowhere else.
        await rejectsWith(producer.send(destination, 'awaited', { key: 'nowhere' }), 'unroutable');
        await producer.send(destination, 'caught', { key: 'nowhere' }).catch(() => {});
        await new Promise((resolve) => {
          producer.send(destination, 'then', { key: 'nowhere' }).then(resolve, resolve);
        });
        await assert.rejects(Promise.all([producer.send(destination, 'all', { key: 'nowhere' })]));
        await producer.flush();
        assert.equal(errors.length, 1);
        assert.equal(warnings.length, 1);
      } finally {
        await client.deleteExchange(exchange);
      }

      // A send that fails at once (the client is closed) is reported the same way.
      await client.close();
      const late = once(client, 'error');
      void client.producer().send(queue, 'after close');
      const [closed] = await late;
      assert.ok(closed instanceof postwire.StateError);
      assert.equal(closed.code, 'closed');
    }),
  ),
);

test('without an error listener, a failed send nothing awaits is a process warning, not a crash', options, async () => {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'fixtures', 'unobserved-send.js'), brokerUrl('amqp'), uniqueName('exchange')],
    { timeout: 30_000, killSignal: 'SIGKILL' },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const [code, signal] = await once(child, 'close');
  assert.equal(signal, null, stderr);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, 'warning BrokerError unroutable\nwarning StateError closed\ndone\n');
  assert.match(stderr, /BrokerError: /);
  assert.doesNotMatch(stderr, /unhandled|UnhandledPromiseRejection/i);
});

test('errors follow Node conventions: name, code, TimeoutError, argument error codes', options, async () => {
  const timedOut = new postwire.TimeoutError('took too long', { code: 'timed_out', number: 201, retriable: true });
  assert.equal(timedOut.name, 'TimeoutError');
  assert.equal(timedOut.code, 'timed_out');
  assert.ok(timedOut instanceof postwire.NetworkError);
  assert.ok(timedOut instanceof postwire.PostwireError);
  assert.ok(timedOut instanceof Error);
  assert.match(String(timedOut), /^TimeoutError: took too long$/);

  const refused = await rejectsWith(
    postwire.connect('amqp://guest:guest@127.0.0.1:1', { 'reconnect.backoff.max.ms': 100 }),
    'connection_refused',
  );
  assert.equal(refused.name, 'NetworkError');

  await withClient({}, async (client) => {
    const producer = client.producer();
    await assert.rejects(producer.send('', 'x'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(producer.send('q', 'x', { priority: 300 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    await assert.rejects(producer.send('q', 'x', /** @type {any} */ ({ colour: 'red' })), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
    });
  });
});
