'use strict';
// postwire for Node.js: one Promise-based client for RabbitMQ, Kafka and SQS over postwire's
// C ABI. index.d.ts describes the API; docs/node.md is the guide.
const native = require('./native');
const { Client } = require('./client');
const { Producer } = require('./producer');
const { Consumer } = require('./consumer');
const { Message } = require('./message');
const errors = require('./errors');

/**
 * Connects to a broker: amqp://, amqps://, kafka://, sqs:// (docs/urls.md).
 * @param {string} url
 * @param {Record<string, string | number | boolean>} [config] options of docs/configuration.md
 */
function connect(url, config) {
  return Client.connect(url, config);
}

module.exports = {
  connect,
  Client,
  Producer,
  Consumer,
  Message,
  PostwireError: errors.PostwireError,
  InvalidInputError: errors.InvalidInputError,
  NetworkError: errors.NetworkError,
  TimeoutError: errors.TimeoutError,
  BrokerError: errors.BrokerError,
  StateError: errors.StateError,
  ProtocolError: errors.ProtocolError,
  InternalError: errors.InternalError,
  version: /** @type {string} */ (native.version),
};
