"""topic.py URL EXCHANGE PREFIX

Fan-out through a topic exchange. Declares the topic exchange EXCHANGE and one queue per
service, PREFIX.billing (bound to order.*), PREFIX.shipping (order.paid) and PREFIX.audit (#),
publishes four events with their routing keys as message keys, then drains each queue and
prints which events each service got. Deletes the exchange and the queues at the end.

    python examples/python/topic.py amqp://guest:guest@127.0.0.1:5672 events shop
"""

import sys

import postwire

SERVICES = {"billing": "order.*", "shipping": "order.paid", "audit": "#"}
EVENTS = ["order.created", "order.paid", "order.cancelled", "user.signup"]
WAIT_S = 10  # how long to wait for a message the broker should hand over promptly


def drain(client: postwire.Client, queue: str) -> list[str]:
    """The bodies of the messages waiting in ``queue``, each acked."""
    # The events were confirmed, so they are in their queues: ask how many this one holds.
    waiting = client.declare_queue(queue, durable=False).message_count
    bodies = []
    with client.subscribe(queue) as consumer:
        for _ in range(waiting):
            message = consumer.poll(timeout=WAIT_S)
            if message is None:
                raise RuntimeError(f"{queue} held {waiting} events but handed over fewer")
            bodies.append(message.body.decode())
            message.ack()
    return bodies


def main(url: str, exchange: str, prefix: str) -> None:
    queues = {service: f"{prefix}.{service}" for service in SERVICES}
    with postwire.connect(url) as client:
        try:
            client.declare_exchange(exchange, type="topic", durable=False)
            for service, pattern in SERVICES.items():
                client.declare_queue(queues[service], durable=False)
                client.bind(exchange, queues[service], routing_key=pattern)

            # To an exchange, the message key is the routing key that the bindings match.
            producer = client.producer()
            handles = [producer.send(f"exchange/{exchange}", event, key=event) for event in EVENTS]
            for handle in handles:
                handle.result(timeout=WAIT_S)  # raises the error if no queue took the event

            for service, queue in queues.items():
                print(f"{service} got: {', '.join(drain(client, queue)) or '(nothing)'}")
        finally:
            # This is a demonstration: leave nothing behind on the broker.
            for queue in queues.values():
                client.delete_queue(queue)
            client.delete_exchange(exchange)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    try:
        main(sys.argv[1], sys.argv[2], sys.argv[3])
    except (postwire.PostwireError, RuntimeError) as error:
        sys.exit(f"error: {error}")
