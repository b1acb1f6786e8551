"""topic.py URL EXCHANGE PREFIX

Fan-out through a topic exchange. Declares the topic exchange EXCHANGE and one queue per
service, bound with the pattern of the events that service wants: PREFIX.billing (order.*),
PREFIX.shipping (order.paid) and PREFIX.audit (#). Publishes four events to
"exchange/EXCHANGE" with the event name as key, which is the routing key, then drains each
queue and prints which service got which events. Deletes the exchange and the queues at the
end.

    python examples/python/topic.py amqp://guest:guest@127.0.0.1:5672 events shop
"""

import json
import sys

import postwire

# "*" stands for exactly one word of the routing key, "#" for any number of words.
SERVICES = {"billing": "order.*", "shipping": "order.paid", "audit": "#"}
EVENTS = ["order.created", "order.paid", "order.cancelled", "user.signup"]
WAIT_S = 10  # how long to wait for something the broker should do promptly


def drain(client: postwire.Client, queue: str) -> list[str]:
    """The keys of the events waiting in ``queue``, each acked."""
    # Every event is confirmed, so each queue already holds all it will get; declaring the
    # queue again says how many messages wait in it.
    waiting = client.declare_queue(queue).message_count
    keys = []
    with client.subscribe(queue) as consumer:
        for _ in range(waiting):
            message = consumer.poll(timeout=WAIT_S)
            if message is None:
                raise RuntimeError(f"no event on {queue} within {WAIT_S} s")
            keys.append((message.key or b"").decode())
            message.ack()
    return keys


def main(url: str, exchange: str, prefix: str) -> None:
    queues = {service: f"{prefix}.{service}" for service in SERVICES}
    with postwire.connect(url) as client:
        try:
            client.declare_exchange(exchange, type="topic")
            for service, pattern in SERVICES.items():
                client.declare_queue(queues[service])
                client.bind(exchange, queues[service], routing_key=pattern)

            # To an exchange, the message key is the routing key that the bindings match.
            producer = client.producer()
            handles = [
                producer.send(f"exchange/{exchange}", json.dumps({"event": event}), key=event)
                for event in EVENTS
            ]
            for handle in handles:
                handle.result(timeout=WAIT_S)  # raises the error if no queue took the event

            for service, pattern in SERVICES.items():
                print(f"{service} ({pattern}): {' '.join(drain(client, queues[service]))}")
        finally:
            # This is a demonstration: leave nothing behind on the broker.
            for queue in queues.values():
                client.delete_queue(queue)
            client.delete_exchange(exchange)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: topic.py URL EXCHANGE PREFIX", file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1], sys.argv[2], sys.argv[3])
    except (postwire.PostwireError, RuntimeError) as error:
        sys.exit(f"error: {error}")
