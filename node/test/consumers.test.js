// @ts-check
'use strict';
// Consumers against RabbitMQ: positions, consumer ids and the routing by them (consumers that
// poll their own fd, consumers that take their messages through the client's events, and one
// of each on one queue), consumer events, subscribe options by name (RabbitMQ's consumer
// priority for real, refused keys and values), and what a consumer held when it closed.
const test = require('node:test');
const assert = require('node:assert/strict');
const postwire = require('..');
const { brokers, withClient, withQueue, take, rejectsWith } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 60_000 };
const noPosition = {
  partition: null,
  offset: null,
  brokerTimestamp: null,
  brokerMessageId: null,
  sequenceNumber: null,
};

// How the two consumers of one queue take their messages: each from its own fd, each through
// the client's events, or one of each.
const modes = /** @type {const} */ ({ own: [false, false], events: [true, true], mixed: [false, true] });

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The consumer's next message, or null when none comes within `ms` (the pending next() is
 * left to the consumer's close, which ends it).
 * @param {postwire.Consumer} consumer
 * @param {number} ms
 * @returns {Promise<postwire.Message | null>}
 */
async function nextWithin(consumer, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const next = consumer.next().then((result) => (result.done ? null : result.value));
  try {
    return /** @type {postwire.Message | null} */ (await Promise.race([next, late]));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends `count` messages with the bodies "0", "1", ... and waits for their reports.
 * @param {postwire.Client} client
 * @param {string} queue
 * @param {number} count
 */
async function publish(client, queue, count) {
  const producer = client.producer();
  await Promise.all(Array.from({ length: count }, (_, i) => producer.send(queue, `${i}`)));
}

/** @param {number} count */
const bodies = (count) => Array.from({ length: count }, (_, i) => `${i}`);

test('positions are absent on RabbitMQ, and a message names its consumer', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const report = await client.producer().send(queue, 'where?');
      assert.deepEqual(report.position, noPosition);
      assert.ok(Object.isFrozen(report.position));
      for (const deliverAsEvents of [false, true]) {
        if (deliverAsEvents) await client.producer().send(queue, 'and here?');
        const consumer = await client.subscribe(queue, { deliverAsEvents });
        assert.ok(Number.isInteger(consumer.id) && consumer.id > 0);
        const [message] = await take(consumer, 1);
        assert.deepEqual(message.position, noPosition);
        assert.ok(Object.isFrozen(message.position));
        assert.equal(message.consumerId, consumer.id);
        message.ack();
        await consumer.close();
      }
    }),
  ),
);

for (const [mode, asEvents] of Object.entries(modes)) {
  test(`two consumers of one queue (${mode}) each get only their own messages, all of them once`, options, () =>
    withClient({}, (client) =>
      withQueue(client, async (queue) => {
        const total = 300;
        const consumers = [];
        for (const deliverAsEvents of asEvents)
          consumers.push(await client.subscribe(queue, { prefetch: 40, deliverAsEvents }));
        assert.notEqual(consumers[0].id, consumers[1].id);
        /** @type {Map<number, string[]>} */
        const got = new Map(consumers.map((consumer) => [consumer.id, []]));
        let received = 0;
        /** @type {() => void} */
        let allReceived = () => {};
        const done = new Promise((resolve) => {
          allReceived = () => resolve(undefined);
        });
        const loops = consumers.map(async (consumer) => {
          for await (const message of consumer) {
            assert.equal(message.consumerId, consumer.id);
            got.get(consumer.id)?.push(message.body.toString());
            message.ack();
            received += 1;
            if (received === total) allReceived();
          }
        });
        await publish(client, queue, total);
        // A loop that fails (a message of the other consumer) rejects the race at once.
        await Promise.race([done, ...loops, sleep(30_000).then(() => assert.fail(`received ${received} of ${total}`))]);
        for (const consumer of consumers) await consumer.close();
        await Promise.all(loops); // the iterations end with the close
        const [first, second] = consumers.map((consumer) => got.get(consumer.id) ?? []);
        assert.ok(first.length > 0 && second.length > 0, 'RabbitMQ shares a queue among its consumers');
        assert.deepEqual([...first, ...second].sort(), bodies(total).sort()); // all, once each
        assert.ok(!first.some((body) => second.includes(body)));
      }),
    ),
  );
}

test('messages polled before subscribe() resolved reach their consumers', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      // The queue is full before either consumer exists, so the broker pushes at once; with the
      // main thread held up while the subscribes finish, the client's events bring messages for
      // consumers whose subscribe() has not resolved yet, which must wait for them.
      await publish(client, queue, 200);
      const subscribing = [
        client.subscribe(queue, { prefetch: 100, deliverAsEvents: true }),
        client.subscribe(queue, { prefetch: 100, deliverAsEvents: true }),
      ];
      const until = Date.now() + 500;
      while (Date.now() < until); // busy: nothing of the event loop runs meanwhile
      const consumers = await Promise.all(subscribing);
      const got = [];
      for (const consumer of consumers) {
        for (const message of await take(consumer, 100)) {
          assert.equal(message.consumerId, consumer.id);
          got.push(message.body.toString());
          message.ack();
        }
        assert.equal(await nextWithin(consumer, 200), null);
        await consumer.close();
      }
      assert.deepEqual(got.sort(), bodies(200).sort());
    }),
  ),
);

test("consumer events carry their consumer's id and reach that consumer", options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      /** @type {postwire.ConsumerEvent[]} */
      const events = [];
      client.on('consumer', (event) => events.push(event));
      const first = await client.subscribe(queue);
      const second = await client.subscribe(queue, { deliverAsEvents: true });
      /** @type {Map<number, postwire.ConsumerEvent[]>} */
      const own = new Map([
        [first.id, []],
        [second.id, []],
      ]);
      for (const consumer of [first, second]) consumer.on('state', (event) => own.get(consumer.id)?.push(event));
      /** @param {string} state */
      const idsIn = async (state) => {
        for (let waited = 0; waited < 10_000; waited += 50) {
          if (events.filter((event) => event.state === state).length >= 2) break;
          await sleep(50);
        }
        return new Set(events.filter((event) => event.state === state).map((event) => event.consumerId));
      };
      await client.deleteQueue(queue); // the broker cancels both consumers
      assert.deepEqual(await idsIn('cancelled'), new Set([first.id, second.id]));
      await client.declareQueue(queue, { durable: false }); // and they resume
      assert.deepEqual(await idsIn('active'), new Set([first.id, second.id]));
      for (const consumer of [first, second]) {
        const mine = own.get(consumer.id) ?? [];
        assert.ok(mine.length >= 2, `consumer ${consumer.id} heard ${mine.length} events`);
        assert.ok(mine.every((event) => event.consumerId === consumer.id && event.source === queue));
      }
      await first.close();
      await second.close();
    }),
  ),
);

test('a consumer of higher priority gets every message while it has room', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      const high = await client.subscribe(queue, { prefetch: 50, options: { priority: 10 } });
      const low = await client.subscribe(queue, { options: { priority: 0 } });
      await publish(client, queue, 20);
      // Nothing is acked until all are counted, so the high consumer's room is its prefetch.
      const received = await take(high, 20);
      assert.equal(await nextWithin(low, 500), null);
      assert.deepEqual(
        received.map((message) => message.body.toString()),
        bodies(20),
      );
      for (const message of received) message.ack();
      await high.close();
      await low.close();
    }),
  ),
);

for (const [named, value] of /** @type {const} */ ([
  ['no_such_option', 1],
  ['prefetch', 'abc'],
  ['priority', 'high'],
  ['exclusive', 'perhaps'],
])) {
  test(`a bad subscribe option (${named}: ${JSON.stringify(value)}) is refused by name`, options, () =>
    withClient({}, (client) =>
      withQueue(client, async (queue) => {
        const error = await rejectsWith(client.subscribe(queue, { options: { [named]: value } }), 'invalid_argument');
        assert.ok(error instanceof postwire.InvalidInputError);
        assert.match(error.message, new RegExp(named));
      }),
    ),
  );
}

test('typed options and options by name: the same keys, each given once', options, () =>
  withClient({}, (client) =>
    withQueue(client, async (queue) => {
      await assert.rejects(client.subscribe(queue, { prefetch: 5, options: { prefetch: 6 } }), {
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: /prefetch/,
      });
      await assert.rejects(client.subscribe(queue, /** @type {any} */ ({ priority: 10 })), {
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: /unknown subscribe option "priority"/,
      });
      await assert.rejects(client.subscribe(queue, { options: { priority: /** @type {any} */ ({ high: true }) } }), {
        name: 'TypeError',
        message: /priority/,
      });
      // By name, the options every broker has do what the typed ones do.
      const exclusive = await client.subscribe(queue, { options: { exclusive: true, prefetch: 5 } });
      const refused = await rejectsWith(client.subscribe(queue), 'access_denied');
      assert.ok(refused instanceof postwire.BrokerError);
      await exclusive.close();
      const asEvents = await client.subscribe(queue, { options: { deliver_as_events: 'true' } });
      await client.producer().send(queue, 'as an event');
      const [message] = await take(asEvents, 1);
      assert.equal(message.body.toString(), 'as an event');
      assert.equal(message.consumerId, asEvents.id);
      message.ack();
      await asEvents.close();
    }),
  ),
);

test('the new capabilities are all off on RabbitMQ', options, () =>
  withClient({}, async (client) => {
    const capabilities = client.capabilities();
    for (const name of /** @type {const} */ ([
      'partitions',
      'seek',
      'consumerGroups',
      'fifo',
      'nativeDelay',
      'visibilityExtension',
    ])) {
      assert.equal(capabilities[name], false, name);
    }
    assert.equal(capabilities.exchanges, true);
  }),
);

for (const deliverAsEvents of [false, true]) {
  const way = deliverAsEvents ? 'through the client events' : 'from its own fd';
  test(`a consumer taking its messages ${way}: what it held goes back when it or its client closes`, options, () =>
    withClient({}, (client) =>
      withQueue(client, async (queue) => {
        await publish(client, queue, 10);
        const consumer = await client.subscribe(queue, { deliverAsEvents });
        await sleep(300); // all ten are in the consumer's hands
        const [first] = await take(consumer, 1);
        assert.equal(first.body.toString(), '0');
        first.ack();
        await consumer.close();
        assert.deepEqual(await consumer.next(), { value: undefined, done: true });

        // The other nine again, through a second client, whose close ends the iteration.
        await withClient({}, async (other) => {
          const second = await other.subscribe(queue, { deliverAsEvents });
          const again = await take(second, 9);
          assert.deepEqual(
            again.map((message) => message.body.toString()),
            bodies(10).slice(1),
          );
          assert.ok(again.every((message) => message.redelivered));
          const waiting = second.next();
          await other.close();
          assert.deepEqual(await waiting, { value: undefined, done: true });
          assert.throws(() => again[0].ack(), { code: 'closed' });
        });
        // Unsettled when their client closed: the broker has all nine again.
        const third = await client.subscribe(queue, { deliverAsEvents });
        const last = await take(third, 9);
        assert.ok(last.every((message) => message.redelivered));
        for (const message of last) message.ack();
        await third.close();
      }),
    ),
  );
}
