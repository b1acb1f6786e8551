'use strict';
// The client's events other than delivery reports and messages, from the addon's
// { type, ... } objects (src/client.cc): each is emitted on the client by its type, the name
// of its kind in the addon's constants table, and those that belong to a consumer (its state,
// the assignments of consumer groups) on that consumer too, found by the consumer id the event
// carries: never by its source, which two consumers may share.
const { fromNative } = require('./errors');

// The client's event types that belong to one consumer, and the name each has on it.
const consumerEventNames = new Map([
  ['consumer', 'state'],
  ['sourcesAssigned', 'sourcesAssigned'],
  ['sourcesRevoked', 'sourcesRevoked'],
]);

/**
 * @param {any} raw the addon's event object
 * @param {import('node:events').EventEmitter} client
 * @param {Map<number, import('node:events').EventEmitter>} consumers the client's, by id
 * @param {(error: unknown) => void} emitError how the client reports an error event
 */
function dispatchEvent(raw, client, consumers, emitError) {
  const { type, ...details } = raw;
  if (details.error !== undefined) details.error = fromNative(details.error);
  if (type === 'error') {
    emitError(details.error);
    return;
  }
  client.emit(type, details);
  const name = consumerEventNames.get(type);
  if (name !== undefined) consumers.get(details.consumerId)?.emit(name, details);
}

module.exports = { dispatchEvent, consumerEventNames };
