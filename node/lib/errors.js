'use strict';
const native = require('./native');

// postwire's errors as Error subclasses. Every one has `code` (the C ABI's name, such as
// "timed_out"), `number` (its numeric value), `retriable` and `fatal`, as the core set them;
// the class says which kind of failure it is, by the hundreds of the number (docs/errors.md),
// and `name` is the class's name, as with Node's own errors (a timed_out is a TimeoutError).

class PostwireError extends Error {
  /**
   * @param {string} message
   * @param {{ code: string, number: number, retriable?: boolean, fatal?: boolean }} details
   */
  constructor(message, details) {
    super(message);
    this.name = new.target.name;
    this.code = details.code;
    this.number = details.number;
    this.retriable = details.retriable === true;
    this.fatal = details.fatal === true;
  }
}

/** The caller's input was refused: arguments, configuration, URL (1xx). */
class InvalidInputError extends PostwireError {}
/** The network or TLS failed (2xx). */
class NetworkError extends PostwireError {}
/** An operation did not finish in its time (timed_out, 201); named like the Web's TimeoutError. */
class TimeoutError extends NetworkError {}
/** The broker refused: credentials, permissions, missing or unroutable destinations (3xx). */
class BrokerError extends PostwireError {}
/** A local limit or state: queue full, closed, delivery timed out, not supported (4xx). */
class StateError extends PostwireError {}
/** The broker broke the protocol, or a message was too large (5xx). */
class ProtocolError extends PostwireError {}
/** postwire's own fault (9xx). */
class InternalError extends PostwireError {}

const classByHundreds = new Map([
  [1, InvalidInputError],
  [2, NetworkError],
  [3, BrokerError],
  [4, StateError],
  [5, ProtocolError],
  [9, InternalError],
]);

// The codes with a class of their own, by name.
const classByCode = new Map([['timed_out', TimeoutError]]);

// Every code of the C ABI with its number and default flags, by name (from the addon, which
// asks postwire_code_name, postwire_code_retriable and postwire_code_fatal).
/** @type {Map<string, { code: string, number: number, retriable: boolean, fatal: boolean }>} */
const codesByName = new Map(
  native.constants.codes.map(
    (/** @type {{ number: number, name: string, retriable: boolean, fatal: boolean }} */ entry) => [
      entry.name,
      { code: entry.name, number: entry.number, retriable: entry.retriable, fatal: entry.fatal },
    ],
  ),
);

/**
 * The details of an error of the package's own with the code named `code`: its number and
 * the flags the core gives that code.
 * @param {string} code
 * @returns {{ code: string, number: number, retriable: boolean, fatal: boolean }}
 */
function codeDetails(code) {
  const details = codesByName.get(code);
  if (details === undefined) throw new Error(`postwire: the library has no code named ${code}`);
  return { ...details };
}

/**
 * @param {string} code
 * @param {number} number
 * @returns {typeof PostwireError}
 */
function classOf(code, number) {
  return classByCode.get(code) ?? classByHundreds.get(Math.floor(number / 100)) ?? PostwireError;
}

/**
 * Rebuilds an error thrown or passed by the addon as its class; other values pass through.
 * @param {unknown} error
 * @returns {unknown}
 */
function fromNative(error) {
  if (error instanceof Error && typeof (/** @type {any} */ (error).postwireCode) === 'number') {
    const raw = /** @type {any} */ (error);
    const ErrorClass = classOf(raw.code, raw.postwireCode);
    return new ErrorClass(raw.message, {
      code: raw.code,
      number: raw.postwireCode,
      retriable: raw.retriable,
      fatal: raw.fatal,
    });
  }
  return error;
}

/**
 * Calls `fn`, rethrowing the addon's errors as their classes.
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
function translated(fn) {
  try {
    return fn();
  } catch (error) {
    throw fromNative(error);
  }
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function translatedAsync(promise) {
  return promise.catch((error) => {
    throw fromNative(error);
  });
}

module.exports = {
  PostwireError,
  InvalidInputError,
  NetworkError,
  TimeoutError,
  BrokerError,
  StateError,
  ProtocolError,
  InternalError,
  codeDetails,
  fromNative,
  translated,
  translatedAsync,
};
