#!/bin/sh
# roundtrip.sh PRODUCER CONSUMER: runs the C example producer, then the C example consumer, on
# a queue of their own on the broker in POSTWIRE_TEST_AMQP_URL. Fails when either fails or the
# URL is not set. When POSTWIRE_TEST_AMQP_MANAGEMENT_URL is set too (ci/brokers env sets both),
# it also checks through RabbitMQ's management API that the consumer's acks emptied the queue,
# and deletes the queue afterwards.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 PRODUCER CONSUMER" >&2
  exit 2
fi
producer=$1
consumer=$2
url=${POSTWIRE_TEST_AMQP_URL:-}
if [ -z "$url" ]; then
  echo "POSTWIRE_TEST_AMQP_URL is not set: start the brokers with 'ci/brokers up' and load" \
    "their URLs with 'eval \"\$(ci/brokers env)\"'" >&2
  exit 1
fi
management=${POSTWIRE_TEST_AMQP_MANAGEMENT_URL:-}
queue=postwire-example-c-$$-$(date +%s)
count=20

# The test URLs use the default virtual host, "/" (%2F in the management API's paths).
queue_url() { printf '%s/api/queues/%%2F/%s\n' "$management" "$queue"; }

delete_queue() {
  if [ -n "$management" ]; then
    curl -fsS -X DELETE "$(queue_url)" >/dev/null 2>&1 || true
  fi
}
trap delete_queue EXIT

echo "== producer: $count messages to $queue"
"$producer" "$url" "$queue" "$count"
echo "== consumer: $count messages from $queue"
"$consumer" "$url" "$queue" "$count"

if [ -n "$management" ]; then
  # The management API refreshes its figures every 5 seconds, so give it a few rounds.
  depth=unknown
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
    depth=$(curl -fsS "$(queue_url)" | grep -o '"messages":[0-9]*' | cut -d: -f2) || true
    [ "$depth" = 0 ] && break
    sleep 1
  done
  if [ "$depth" != 0 ]; then
    echo "the consumer acked every message, but $queue still holds ${depth:-unknown}" >&2
    exit 1
  fi
  echo "== $queue is empty"
fi
