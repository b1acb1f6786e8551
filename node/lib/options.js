'use strict';
// Checks arguments and turns them into what the addon passes to the C ABI. Option keys and
// values go through as strings, so the core checks them and names what it refuses. Bad
// arguments are TypeError and RangeError with the `code` Node's own APIs give them.

/**
 * @param {string} message
 * @param {string} [code]
 * @returns {TypeError & { code: string }}
 */
function typeError(message, code = 'ERR_INVALID_ARG_TYPE') {
  return Object.assign(new TypeError(message), { code });
}

/**
 * @param {string} message
 * @returns {RangeError & { code: string }}
 */
function rangeError(message) {
  return Object.assign(new RangeError(message), { code: 'ERR_OUT_OF_RANGE' });
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {string}
 */
function requireString(value, what) {
  if (typeof value !== 'string' || value.length === 0) {
    throw typeError(`postwire: ${what} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {Buffer | Uint8Array | string}
 */
function requireBytes(value, what) {
  if (typeof value === 'string' || value instanceof Uint8Array) {
    return value;
  }
  throw typeError(`postwire: ${what} must be a Buffer, Uint8Array or string, got ${describe(value)}`);
}

/**
 * @param {unknown} value
 * @param {string} what
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
function requireInteger(value, what, min, max) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw rangeError(`postwire: ${what} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/**
 * @param {unknown} options
 * @param {string} what
 * @returns {Record<string, unknown>}
 */
function requireObject(options, what) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(`postwire: ${what} must be an object, got ${describe(options)}`);
  }
  return /** @type {Record<string, unknown>} */ (options);
}

/**
 * `{ key: value }` as [key, value, ...] strings. Values are strings, numbers or booleans.
 * @param {unknown} options
 * @param {string} what
 * @returns {string[]}
 */
function stringPairs(options, what) {
  const pairs = [];
  for (const [key, value] of Object.entries(requireObject(options, what))) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw typeError(`postwire: ${what} "${key}" must be a string, number or boolean, got ${describe(value)}`);
    }
    pairs.push(key, String(value));
  }
  return pairs;
}

// The log.level values that let warnings through (docs/configuration.md; info is the default).
const levelsWithWarnings = new Set(['trace', 'debug', 'info', 'warn']);

/**
 * The client's configuration, and whether log.level lets the client's own warnings through.
 * @param {unknown} config
 * @returns {{ pairs: string[], logsWarnings: boolean }}
 */
function configPairs(config) {
  const pairs = stringPairs(config, 'config option');
  let logsWarnings = true;
  for (let index = 0; index < pairs.length; index += 2) {
    if (pairs[index] === 'log.level') logsWarnings = levelsWithWarnings.has(pairs[index + 1]);
  }
  return { pairs, logsWarnings };
}

// The typed subscribe options by the names the core reads them by (docs/subscribing.md).
const subscribeOptionNames = new Map([
  ['prefetch', 'prefetch'],
  ['exclusive', 'exclusive'],
  ['deliverAsEvents', 'deliver_as_events'],
]);

/**
 * subscribe() options as the [key, value, ...] strings of
 * postwire_client_subscribe_with_options: the typed ones (left out when not given; exclusive
 * and deliverAsEvents only when true) and `options`, further options by name, which the core
 * checks (an unknown key or a bad value fails the subscribe with invalid_argument naming it).
 * Also the prefetch asked for, 0 when none (consumer.prefetch.count).
 * @param {unknown} options
 * @returns {{ pairs: string[], prefetch: number }}
 */
function subscribeOptions(options) {
  const given = requireObject(options, 'subscribe options');
  for (const name of Object.keys(given)) {
    if (name !== 'options' && !subscribeOptionNames.has(name)) {
      throw typeError(
        `postwire: unknown subscribe option "${name}" (known: ${[...subscribeOptionNames.keys()].join(', ')}, ` +
          'and options, which passes any other by name)',
        'ERR_INVALID_ARG_VALUE',
      );
    }
  }
  const pairs = [];
  let prefetch = 0;
  if (given.prefetch !== undefined) {
    prefetch = requireInteger(given.prefetch, 'subscribe option "prefetch"', 1, 65535);
    pairs.push('prefetch', String(prefetch));
  }
  if (given.exclusive === true) pairs.push('exclusive', 'true');
  if (given.deliverAsEvents === true) pairs.push('deliver_as_events', 'true');
  const named = stringPairs(given.options, 'subscribe option');
  for (let index = 0; index < named.length; index += 2) {
    const key = named[index];
    for (const [typed, coreName] of subscribeOptionNames) {
      if (key === coreName && given[typed] !== undefined) {
        throw typeError(
          `postwire: subscribe option "${key}" is given both as ${typed} and in options`,
          'ERR_INVALID_ARG_VALUE',
        );
      }
    }
    if (key === 'prefetch' && /^[0-9]+$/.test(named[index + 1])) prefetch = Number(named[index + 1]);
  }
  pairs.push(...named);
  return { pairs, prefetch };
}

const sendOptionNames = new Set([
  'key',
  'id',
  'headers',
  'contentType',
  'priority',
  'ttlMs',
  'timestamp',
  'persistent',
]);

/**
 * @typedef {object} NativeSendOptions
 * @property {string} [id]
 * @property {Array<string | Uint8Array>} [headers]
 * @property {string} [contentType]
 * @property {number} [priority]
 * @property {number} [ttlMs]
 * @property {number} [timestamp]
 * @property {boolean} [persistent]
 */

/**
 * Splits send() options into the key and the rest; `rest` is undefined when only the body and
 * key are set, which takes the addon's one-call path.
 * @param {unknown} options
 * @returns {{ key: Buffer | Uint8Array | string | undefined, rest: NativeSendOptions | undefined }}
 */
function sendOptions(options) {
  if (options === undefined) return { key: undefined, rest: undefined };
  const given = requireObject(options, 'send options');
  /** @type {NativeSendOptions | undefined} */
  let rest;
  for (const name of Object.keys(given)) {
    if (!sendOptionNames.has(name)) {
      throw typeError(
        `postwire: unknown send option "${name}" (known: ${[...sendOptionNames].join(', ')})`,
        'ERR_INVALID_ARG_VALUE',
      );
    }
    if (name !== 'key' && given[name] !== undefined) rest = {};
  }
  const key = given.key === undefined ? undefined : requireBytes(given.key, 'send option "key"');
  if (rest === undefined) return { key, rest };
  if (given.id !== undefined) rest.id = requireString(given.id, 'send option "id"');
  if (given.contentType !== undefined) rest.contentType = requireString(given.contentType, 'send option "contentType"');
  if (given.priority !== undefined) rest.priority = requireInteger(given.priority, 'send option "priority"', 0, 255);
  if (given.ttlMs !== undefined)
    rest.ttlMs = requireInteger(given.ttlMs, 'send option "ttlMs"', 0, Number.MAX_SAFE_INTEGER);
  if (given.timestamp !== undefined) {
    const timestamp = given.timestamp instanceof Date ? given.timestamp.getTime() : given.timestamp;
    rest.timestamp = requireInteger(timestamp, 'send option "timestamp"', 0, Number.MAX_SAFE_INTEGER);
  }
  if (given.persistent !== undefined) {
    if (typeof given.persistent !== 'boolean') {
      throw typeError(`postwire: send option "persistent" must be a boolean, got ${describe(given.persistent)}`);
    }
    rest.persistent = given.persistent;
  }
  if (given.headers !== undefined) {
    const headers = [];
    for (const [name, value] of Object.entries(requireObject(given.headers, 'send option "headers"'))) {
      headers.push(name, requireBytes(value, `header "${name}"`));
    }
    rest.headers = headers;
  }
  return { key, rest };
}

/**
 * @param {unknown} options
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
function timeoutOf(options, name, fallback) {
  const given = requireObject(options, `${name} options`).timeoutMs;
  return given === undefined ? fallback : requireInteger(given, `${name} option "timeoutMs"`, 0, 3_600_000);
}

module.exports = {
  typeError,
  requireString,
  requireBytes,
  requireInteger,
  requireObject,
  stringPairs,
  configPairs,
  subscribeOptions,
  sendOptions,
  timeoutOf,
};
