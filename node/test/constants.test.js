// @ts-check
'use strict';
// The addon's tables of the C ABI's constants (codes with their flags, capability bits, event
// kinds, subscribe flags, connection and consumer states, log levels) against postwire.h and
// the C ABI itself: lib/ builds every mapping from these tables, so a constant the header adds
// and the addon lacks fails here. Needs no broker.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const native = require('../lib/native');
const postwire = require('..');

const header = fs.readFileSync(path.join(__dirname, '..', '..', 'bindings', 'c', 'include', 'postwire.h'), 'utf8');

/**
 * The header's constants whose names start with `prefix`, as { SUFFIX: value }.
 * @param {string} prefix
 * @returns {Map<string, number>}
 */
function headerConstants(prefix) {
  const found = new Map();
  for (const match of header.matchAll(new RegExp(`^\\s*${prefix}([A-Z0-9_]+) = ([^,\\n/]+)`, 'gm'))) {
    const expression = match[2].trim();
    const shift = /^1u << (\d+)$/.exec(expression);
    found.set(match[1], shift ? 2 ** Number(shift[1]) : Number(expression));
  }
  assert.ok(found.size > 0, `postwire.h has constants ${prefix}*`);
  return found;
}

/** @param {string} upper */
function camel(upper) {
  return upper.toLowerCase().replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}

/**
 * @param {Record<string, number>} table
 * @param {string} prefix
 * @param {(suffix: string) => string} nameOf
 */
function assertMatchesHeader(table, prefix, nameOf) {
  const expected = Object.fromEntries([...headerConstants(prefix)].map(([suffix, value]) => [nameOf(suffix), value]));
  assert.deepEqual({ ...table }, expected);
}

test('every code the C ABI names is in the table with its name and flags', () => {
  const { codes } = native.constants;
  const known = [];
  for (let number = 0; number <= 999; number++) {
    const name = native.codeName(number);
    if (name !== 'unknown') known.push(name);
  }
  assert.deepEqual(
    codes.map((/** @type {{ name: string }} */ entry) => entry.name),
    known,
  );
  const fromHeader = new Map([['ok', headerConstants('POSTWIRE_').get('OK')]]);
  for (const [suffix, value] of headerConstants('POSTWIRE_ERR_')) fromHeader.set(suffix.toLowerCase(), value);
  assert.deepEqual(
    new Map(codes.map((/** @type {{ name: string, number: number }} */ entry) => [entry.name, entry.number])),
    fromHeader,
  );
});

test('the flags agree with docs/errors.md, which the core generates', () => {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
  const rows = [...docs.matchAll(/^\| (\d+) \| `([a-z_]+)` \| (yes|no) \| (yes|no) \|/gm)].map((row) => ({
    number: Number(row[1]),
    name: row[2],
    retriable: row[3] === 'yes',
    fatal: row[4] === 'yes',
  }));
  assert.deepEqual(native.constants.codes, rows);
});

test("capabilities, event kinds, subscribe flags, states and log levels are the header's", () => {
  const { constants } = native;
  assertMatchesHeader(constants.capabilities, 'POSTWIRE_CAP_', camel);
  assertMatchesHeader(constants.eventKinds, 'POSTWIRE_EVENT_', camel);
  assertMatchesHeader(constants.subscribeFlags, 'POSTWIRE_SUBSCRIBE_', camel);
  assertMatchesHeader(constants.connectionStates, 'POSTWIRE_CONNECTION_', (suffix) => suffix.toLowerCase());
  assertMatchesHeader(constants.consumerStates, 'POSTWIRE_CONSUMER_', (suffix) => suffix.toLowerCase());
  assertMatchesHeader(constants.logLevels, 'POSTWIRE_LOG_', (suffix) => suffix.toLowerCase());
});

test("an error of the package's own carries the number and flags the core gives its code", () => {
  const { codeDetails } = require('../lib/errors');
  const timedOut = native.constants.codes.find((/** @type {{ name: string }} */ entry) => entry.name === 'timed_out');
  assert.deepEqual(codeDetails('timed_out'), {
    code: 'timed_out',
    number: timedOut.number,
    retriable: timedOut.retriable,
    fatal: timedOut.fatal,
  });
  const error = new postwire.TimeoutError('late', codeDetails('timed_out'));
  assert.equal(error.number, timedOut.number);
  assert.equal(error.retriable, timedOut.retriable);
  assert.equal(error.fatal, timedOut.fatal);
});

test('events of a consumer reach the client by their kind and the consumer by its id', () => {
  const { EventEmitter } = require('node:events');
  const { dispatchEvent } = require('../lib/events');
  const { eventKinds } = native.constants;
  // The addon names each event by its kind in the table (src/client.cc): RabbitMQ raises no
  // assignment events (it has no consumer groups), so their way is shown with the addon's shape.
  assert.equal(eventKinds.sourcesAssigned, headerConstants('POSTWIRE_EVENT_').get('SOURCES_ASSIGNED'));
  assert.equal(eventKinds.sourcesRevoked, headerConstants('POSTWIRE_EVENT_').get('SOURCES_REVOKED'));
  const client = new EventEmitter();
  const mine = new EventEmitter();
  const other = new EventEmitter();
  /** @type {Array<[string, string, unknown]>} */
  const seen = [];
  for (const [name, emitter] of /** @type {const} */ ([
    ['client', client],
    ['mine', mine],
    ['other', other],
  ])) {
    for (const type of ['consumer', 'state', 'sourcesAssigned', 'sourcesRevoked']) {
      emitter.on(type, (event) => seen.push([name, type, event]));
    }
  }
  const consumers = new Map([
    [7, mine],
    [8, other],
  ]);
  const assigned = { consumerId: 7, source: 'orders', partitions: [0, 2] };
  const revoked = { consumerId: 7, source: 'orders', partitions: [2] };
  const state = { consumerId: 8, source: 'orders', state: 'cancelled' };
  /** @type {unknown[]} */
  const errors = [];
  for (const [type, event] of /** @type {const} */ ([
    ['sourcesAssigned', assigned],
    ['sourcesRevoked', revoked],
    ['consumer', state],
  ])) {
    dispatchEvent({ type, ...event }, client, consumers, (error) => errors.push(error));
  }
  // A consumer that is gone (no longer in the map) is skipped; its client still hears of it.
  dispatchEvent({ type: 'sourcesRevoked', ...revoked, consumerId: 9 }, client, consumers, () => {});
  assert.deepEqual(errors, []);
  assert.deepEqual(seen, [
    ['client', 'sourcesAssigned', assigned],
    ['mine', 'sourcesAssigned', assigned],
    ['client', 'sourcesRevoked', revoked],
    ['mine', 'sourcesRevoked', revoked],
    ['client', 'consumer', state],
    ['other', 'state', state],
    ['client', 'sourcesRevoked', { ...revoked, consumerId: 9 }],
  ]);
});

test('a consumer event routed by id is not routed by source', () => {
  const { EventEmitter } = require('node:events');
  const { dispatchEvent } = require('../lib/events');
  const first = new EventEmitter();
  const second = new EventEmitter();
  /** @type {number[]} */
  const heard = [];
  first.on('state', () => heard.push(1));
  second.on('state', () => heard.push(2));
  const consumers = new Map([
    [1, first],
    [2, second],
  ]);
  // Both consume 'orders': only the one whose id the event carries hears it.
  dispatchEvent(
    { type: 'consumer', consumerId: 2, source: 'orders', state: 'active' },
    new EventEmitter(),
    consumers,
    () => {},
  );
  assert.deepEqual(heard, [2]);
});
