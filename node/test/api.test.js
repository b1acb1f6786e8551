// @ts-check
'use strict';
// The Promise API against RabbitMQ: sending, delivery reports, consuming and settling,
// deduplication, topology, stats and errors.
const test = require('node:test');
const assert = require('node:assert/strict');
const postwire = require('..');
const { brokers, uniqueName, withClient, withQueue, take, rejectsWith } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 60_000 };
// Every byte value, so that any re-encoding on the way would show.
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

test('a message goes round trip with every field intact', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      const report = await producer.send(queue, allBytes, {
        key: 'customer-7',
        id: 'order-42',
        headers: { tenant: 'acme', raw: Buffer.from([0, 1, 2, 255]) },
        contentType: 'application/octet-stream',
        priority: 3,
        timestamp: new Date(1_700_000_000_000),
      });
      assert.equal(report.id, 'order-42');
      const consumer = await client.subscribe(queue);
      const [message] = await take(consumer, 1);
      assert.ok(Buffer.isBuffer(message.body));
      assert.deepEqual(message.body, allBytes);
      assert.deepEqual(message.key, Buffer.from('customer-7'));
      assert.equal(message.id, 'order-42');
      assert.equal(message.contentType, 'application/octet-stream');
      assert.deepEqual(message.headers.tenant, Buffer.from('acme'));
      assert.deepEqual(message.headers.raw, Buffer.from([0, 1, 2, 255]));
      assert.equal(message.priority, 3);
      assert.equal(message.timestamp?.getTime(), 1_700_000_000_000);
      assert.equal(message.source, queue);
      assert.equal(message.deliveryCount, 1);
      assert.equal(message.redelivered, false);
      message.ack();
      await consumer.close();
    }),
  ),
);

test('string bodies are sent as UTF-8 and Uint8Arrays as their bytes', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      await producer.send(queue, 'grüße ✓');
      await producer.send(queue, new Uint8Array([9, 8, 7]));
      const consumer = await client.subscribe(queue);
      const [text, bytes] = await take(consumer, 2);
      assert.equal(text.body.toString('utf8'), 'grüße ✓');
      assert.deepEqual(bytes.body, Buffer.from([9, 8, 7]));
      assert.equal(text.key, null);
      text.ack();
      bytes.ack();
      await consumer.close();
    }),
  ),
);

test('a delivery report names the message, its destination, attempts and latency', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const report = await client.producer().send(queue, 'x');
      assert.match(report.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(report.destination, queue);
      assert.equal(report.attempts, 1);
      assert.ok(report.latencyUs > 0);
      // Reports of one batch share strings: ids beyond ASCII must still come out whole.
      const ids = ['commande-é', 'emoji-😀-id', 'plain'];
      const reports = await Promise.all(ids.map((id) => client.producer().send(queue, 'y', { id })));
      assert.deepEqual(
        reports.map((each) => [each.id, each.destination]),
        ids.map((id) => [id, queue]),
      );
    }),
  ),
);

test('sends to an exchange route by key; unroutable and missing exchanges reject', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const exchange = uniqueName('exchange');
      await client.declareExchange(exchange, { type: 'direct', durable: false });
      try {
        await client.bind(exchange, queue, { routing_key: 'green' });
        const producer = client.producer();
        await producer.send(`exchange/${exchange}`, 'routed', { key: 'green' });
        const unroutable = await rejectsWith(
          producer.send(`exchange/${exchange}`, 'lost', { key: 'red' }),
          'unroutable',
        );
        assert.ok(unroutable instanceof postwire.BrokerError);
        await rejectsWith(producer.send(`exchange/${uniqueName('missing')}`, 'x'), 'not_found');
        await client.unbind(exchange, queue, { routing_key: 'green' });
        await rejectsWith(producer.send(`exchange/${exchange}`, 'x', { key: 'green' }), 'unroutable');
        const consumer = await client.subscribe(queue);
        const [message] = await take(consumer, 1);
        assert.equal(message.body.toString(), 'routed');
        message.ack();
        await consumer.close();
      } finally {
        await client.deleteExchange(exchange);
      }
    }),
  ),
);

test('ack, nack and dead-letter settle as their names say', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      await producer.send(queue, 'ack me');
      await producer.send(queue, 'nack me');
      await producer.send(queue, 'dead-letter me');
      const consumer = await client.subscribe(queue);
      const [first, second, third] = await take(consumer, 3);
      first.ack();
      second.nack();
      third.deadLetter('no such customer');
      const [again] = await take(consumer, 1);
      assert.equal(again.body.toString(), 'nack me');
      assert.equal(again.deliveryCount, 2);
      again.nack({ delay: 200 });
      const [later] = await take(consumer, 1);
      assert.equal(later.body.toString(), 'nack me');
      assert.equal(later.deliveryCount, 3);
      later.ack();
      await consumer.close();

      const deadLetters = await client.subscribe(`${queue}.dlq`);
      const [dead] = await take(deadLetters, 1);
      assert.equal(dead.body.toString(), 'dead-letter me');
      assert.deepEqual(dead.headers['pw-dead-letter-reason'], Buffer.from('no such customer'));
      dead.ack();
      await deadLetters.close();
      const stats = client.stats();
      assert.equal(stats.acked >= 2, true);
      assert.equal(stats.dead_lettered, 1);
    }),
  ),
);

test('settling a message twice is refused with invalid_argument', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      await client.producer().send(queue, 'once');
      const consumer = await client.subscribe(queue);
      const [message] = await take(consumer, 1);
      message.ack();
      for (const settle of [() => message.ack(), () => message.nack(), () => message.deadLetter('late')]) {
        assert.throws(
          settle,
          (error) => error instanceof postwire.InvalidInputError && error.code === 'invalid_argument',
        );
      }
      assert.throws(() => message.nack({ delay: -1 }), RangeError);
      await client.producer().send(queue, 'left unsettled');
      const [unsettled] = await take(consumer, 1);
      await consumer.close();
      assert.throws(
        () => unsettled.ack(),
        (error) => error instanceof postwire.StateError && error.code === 'closed',
      );
    }),
  ),
);

test('a consumer with a dedup window hands over each id once', options, () =>
  withClient({ 'dedup.window.size': 100 }, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      const consumer = await client.subscribe(queue);
      await producer.send(queue, 'first copy', { id: 'same-id' });
      const [first] = await take(consumer, 1);
      assert.equal(first.body.toString(), 'first copy');
      first.ack();
      // A copy of an id already acked is acked by postwire without reaching the application.
      await producer.send(queue, 'second copy', { id: 'same-id' });
      await producer.send(queue, 'other', { id: 'other-id' });
      const [next] = await take(consumer, 1);
      assert.equal(next.body.toString(), 'other');
      next.ack();
      await consumer.close();
      assert.equal(client.stats().deduplicated, 1);
    }),
  ),
);

test('many concurrent sends all resolve, and every message arrives once', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const count = 20_000;
      const producer = client.producer();
      const sends = [];
      for (let i = 0; i < count; i += 1) sends.push(producer.send(queue, `m${i}`));
      const reports = await Promise.all(sends);
      assert.equal(new Set(reports.map((report) => report.id)).size, count);
      assert.equal(producer.inFlight, 0);
      const consumer = await client.subscribe(queue, { prefetch: 1000 });
      const seen = new Set();
      // Acked as they come: the broker hands over no more than the prefetch unsettled.
      while (seen.size < count) {
        const [message] = await take(consumer, 1);
        assert.equal(seen.has(message.body.toString()), false, 'a message arrived twice');
        seen.add(message.body.toString());
        message.ack();
      }
      await consumer.close();
      assert.equal(client.stats().confirmed, count);
    }),
  ),
);

test('flush resolves once every earlier send has settled', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      let settled = 0;
      for (let i = 0; i < 500; i += 1) {
        producer.send(queue, 'x').then(() => {
          settled += 1;
        });
      }
      await producer.flush();
      await Promise.resolve(); // the .then() callbacks above run one microtask later
      assert.equal(settled, 500);
      assert.equal(producer.inFlight, 0);
    }),
  ),
);

test('closing with sends in flight settles every one of them', options, async () => {
  const client = await postwire.connect(require('./helpers').brokerUrl('amqp'), { 'log.level': 'warn' });
  const queue = uniqueName('queue');
  await client.declareQueue(queue, { durable: false, auto_delete: true });
  const producer = client.producer();
  const outcomes = [];
  for (let i = 0; i < 5000; i += 1) outcomes.push(producer.send(queue, 'in flight'));
  const settled = Promise.allSettled(outcomes); // handles the rejections as they come
  await client.close({ timeoutMs: 0 });
  const results = await settled;
  for (const result of results) {
    if (result.status === 'rejected') {
      assert.ok(result.reason instanceof postwire.PostwireError);
      assert.equal(result.reason.code, 'closed');
    }
  }
  assert.equal(results.length, 5000);
  await rejectsWith(producer.send(queue, 'after close'), 'closed');
  await rejectsWith(client.subscribe(queue), 'closed');
});

test('a consumer ends its iteration when it or its client closes', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const consumer = await client.subscribe(queue);
      const waiting = consumer.next();
      await consumer.close();
      assert.deepEqual(await waiting, { value: undefined, done: true });
      await consumer.close(); // again: nothing to do

      const second = await client.subscribe(queue);
      await client.producer().send(queue, 'one');
      let received = 0;
      const loop = (async () => {
        for await (const message of second) {
          message.ack();
          received += 1;
          if (received === 1) await client.close();
        }
      })();
      await loop;
      assert.equal(received, 1);
    }),
  ),
);

test('topology: queues are declared, purged and deleted with counts', options, () =>
  withClient({}, async (client) => {
    const named = await client.declareQueue('', { exclusive: true, durable: false });
    assert.match(named.name, /^amq\.gen-/);
    await withQueue(client, async (queue) => {
      const producer = client.producer();
      await Promise.all([producer.send(queue, 'a'), producer.send(queue, 'b')]);
      const again = await client.declareQueue(queue, { durable: false });
      assert.equal(again.name, queue);
      assert.equal(again.messageCount, 2);
      assert.equal(await client.purgeQueue(queue), 2);
      await producer.send(queue, 'c');
      assert.equal(await client.deleteQueue(queue), 1);
    });
    await rejectsWith(client.declareQueue(uniqueName('q'), { durable: 'sometimes' }), 'invalid_argument');
    assert.deepEqual(client.capabilities().exchanges, true);
  }),
);

test('errors are PostwireError subclasses with code, retriable and fatal', options, async () => {
  const url = require('./helpers').brokerUrl('amqp');
  const unknown = await rejectsWith(postwire.connect(url, { 'no.such.key': 1 }), 'config_unknown_key');
  assert.ok(unknown instanceof postwire.InvalidInputError);
  assert.match(unknown.message, /no\.such\.key/);
  assert.equal(unknown.retriable, false);
  assert.equal(unknown.fatal, false);
  const invalid = await rejectsWith(postwire.connect(url, { 'max.deliveries': 'five' }), 'config_invalid_value');
  assert.match(invalid.message, /max\.deliveries/);
  await rejectsWith(postwire.connect('nonsense://x'), 'invalid_url');
  const refused = await rejectsWith(
    postwire.connect('amqp://guest:guest@127.0.0.1:1', { 'reconnect.backoff.max.ms': 100 }).catch((error) => {
      throw error;
    }),
    'connection_refused',
  );
  assert.ok(refused instanceof postwire.NetworkError);
  assert.equal(refused.retriable, true);
  const wrongPassword = url.replace(/\/\/[^@]*@/, '//guest:wrong-password@');
  const denied = await rejectsWith(postwire.connect(wrongPassword), 'authentication_failed');
  assert.doesNotMatch(denied.message, /wrong-password/);

  await withClient({}, async (client) => {
    const producer = client.producer();
    await assert.rejects(producer.send('', 'x'), TypeError);
    await assert.rejects(producer.send('q', /** @type {any} */ (42)), TypeError);
    await assert.rejects(
      producer.send('q', 'x', /** @type {any} */ ({ colour: 'red' })),
      /unknown send option "colour"/,
    );
    await assert.rejects(producer.send('q', 'x', { priority: 300 }), RangeError);
    await assert.rejects(client.subscribe('q', { prefetch: 0 }), RangeError);
    await rejectsWith(client.subscribe(uniqueName('missing')), 'not_found');
  });
});

test('a full send buffer makes sends wait in line for room, in order, without blocking', options, () =>
  withClient({ 'queue.buffering.max.messages': 8, 'max.in.flight': 1 }, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      let ticks = 0;
      const ticker = setInterval(() => (ticks += 1), 1);
      const sends = [];
      for (let i = 0; i < 300; i += 1) sends.push(producer.send(queue, String(i)));
      await producer.flush({ timeoutMs: 60_000 });
      clearInterval(ticker);
      const reports = await Promise.all(sends);
      assert.equal(reports.length, 300);
      assert.ok(ticks > 0, 'the event loop did not run while sends waited');
      const consumer = await client.subscribe(queue, { prefetch: 300 });
      const messages = await take(consumer, 300);
      assert.deepEqual(
        messages.map((message) => message.body.toString()),
        Array.from({ length: 300 }, (_, i) => String(i)),
      );
      for (const message of messages) message.ack();
      await consumer.close();
    }),
  ),
);

test('with max.block.ms 0 a full send buffer rejects at once with queue_full', options, () =>
  withClient({ 'queue.buffering.max.messages': 10, 'max.in.flight': 1, 'max.block.ms': 0 }, (client) =>
    withQueue(client, async (queue) => {
      const producer = client.producer();
      const sends = [];
      for (let i = 0; i < 100; i += 1) sends.push(producer.send(queue, 'x'));
      const results = await Promise.allSettled(sends);
      const full = results.filter((result) => result.status === 'rejected');
      assert.ok(full.length > 0, 'no send was refused');
      for (const result of full) {
        assert.equal(/** @type {any} */ (result).reason.code, 'queue_full');
        assert.equal(/** @type {any} */ (result).reason.retriable, true);
      }
    }),
  ),
);

test('client events: log records reach listeners', options, () =>
  withClient({ 'log.level': 'debug' }, async (client) => {
    /** @type {postwire.LogEvent[]} */
    const logs = [];
    client.on('log', (event) => logs.push(event));
    await withQueue(client, async (queue) => {
      await client.producer().send(queue, 'x');
      const consumer = await client.subscribe(queue);
      const [message] = await take(consumer, 1);
      message.ack();
      await consumer.close();
    });
    assert.ok(logs.length > 0, 'no log event arrived');
    assert.ok(logs.every((event) => typeof event.text === 'string' && event.category.length > 0));
  }),
);
