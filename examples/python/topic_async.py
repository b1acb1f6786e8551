"""topic_async.py URL EXCHANGE PREFIX

topic.py with asyncio (postwire.aio): fan-out through a topic exchange. Declares the topic
exchange EXCHANGE and one queue per service, PREFIX.billing (bound to order.*),
PREFIX.shipping (order.paid) and PREFIX.audit (#), publishes four events with their routing
keys as message keys, then drains the three queues concurrently and prints which events each
service got. Deletes the exchange and the queues at the end.

    python examples/python/topic_async.py amqp://guest:guest@127.0.0.1:5672 events shop
"""

import asyncio
import sys

import postwire
import postwire.aio

SERVICES = {"billing": "order.*", "shipping": "order.paid", "audit": "#"}
EVENTS = ["order.created", "order.paid", "order.cancelled", "user.signup"]
WAIT_S = 10  # how long to wait for a message the broker should hand over promptly


async def drain(client: postwire.aio.AsyncClient, queue: str) -> list[str]:
    """The bodies of the messages waiting in ``queue``, each acked."""
    # The events were confirmed, so they are in their queues: ask how many this one holds.
    waiting = (await client.declare_queue(queue, durable=False)).message_count
    bodies = []
    async with await client.subscribe(queue) as consumer:
        for _ in range(waiting):
            message = await consumer.get(timeout=WAIT_S)
            if message is None:
                raise RuntimeError(f"{queue} held {waiting} events but handed over fewer")
            bodies.append(message.body.decode())
            await message.ack()
    return bodies


async def main(url: str, exchange: str, prefix: str) -> None:
    queues = {service: f"{prefix}.{service}" for service in SERVICES}
    async with await postwire.aio.connect(url) as client:
        try:
            await client.declare_exchange(exchange, type="topic", durable=False)
            for service, pattern in SERVICES.items():
                await client.declare_queue(queues[service], durable=False)
                await client.bind(exchange, queues[service], routing_key=pattern)

            # To an exchange, the message key is the routing key that the bindings match.
            producer = client.producer()
            await asyncio.gather(
                *(producer.send(f"exchange/{exchange}", event, key=event) for event in EVENTS)
            )

            # The services read their queues at the same time, as separate processes would.
            received = await asyncio.gather(*(drain(client, queue) for queue in queues.values()))
            for service, events in zip(queues, received, strict=True):
                print(f"{service} got: {', '.join(events) or '(nothing)'}")
        finally:
            # This is a demonstration: leave nothing behind on the broker.
            for queue in queues.values():
                await client.delete_queue(queue)
            await client.delete_exchange(exchange)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
    except (postwire.PostwireError, RuntimeError) as error:
        sys.exit(f"error: {error}")
