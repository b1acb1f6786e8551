"""topic_async.py URL EXCHANGE PREFIX

topic.py with asyncio (postwire.aio): fan-out through a topic exchange. Declares the topic
exchange EXCHANGE and one queue per service, bound with the pattern of the events that service
wants: PREFIX.billing (order.*), PREFIX.shipping (order.paid) and PREFIX.audit (#). Publishes
four events to "exchange/EXCHANGE" with the event name as key, which is the routing key, then
drains the three queues concurrently and prints which service got which events. Deletes the
exchange and the queues at the end.

    python examples/python/topic_async.py amqp://guest:guest@127.0.0.1:5672 events shop
"""

import asyncio
import json
import sys

import postwire
import postwire.aio

# "*" stands for exactly one word of the routing key, "#" for any number of words.
SERVICES = {"billing": "order.*", "shipping": "order.paid", "audit": "#"}
EVENTS = ["order.created", "order.paid", "order.cancelled", "user.signup"]
WAIT_S = 10  # how long to wait for something the broker should do promptly


async def drain(client: postwire.aio.AsyncClient, queue: str) -> list[str]:
    """The keys of the events waiting in ``queue``, each acked."""
    # Every event is confirmed, so each queue already holds all it will get; declaring the
    # queue again says how many messages wait in it.
    waiting = (await client.declare_queue(queue)).message_count
    keys = []
    async with await client.subscribe(queue) as consumer:
        for _ in range(waiting):
            message = await consumer.get(timeout=WAIT_S)
            if message is None:
                raise RuntimeError(f"no event on {queue} within {WAIT_S} s")
            keys.append((message.key or b"").decode())
            await message.ack()
    return keys


async def main(url: str, exchange: str, prefix: str) -> None:
    queues = {service: f"{prefix}.{service}" for service in SERVICES}
    async with await postwire.aio.connect(url) as client:
        try:
            await client.declare_exchange(exchange, type="topic")
            for service, pattern in SERVICES.items():
                await client.declare_queue(queues[service])
                await client.bind(exchange, queues[service], routing_key=pattern)

            # To an exchange, the message key is the routing key that the bindings match.
            producer = client.producer()
            sends = [
                producer.send(f"exchange/{exchange}", json.dumps({"event": event}), key=event)
                for event in EVENTS
            ]
            # Raises the error of an event that no queue took.
            await asyncio.wait_for(asyncio.gather(*sends), WAIT_S)

            # The services read their queues at the same time, as separate processes would.
            received = await asyncio.gather(*(drain(client, queue) for queue in queues.values()))
            for (service, pattern), keys in zip(SERVICES.items(), received, strict=True):
                print(f"{service} ({pattern}): {' '.join(keys)}")
        finally:
            # This is a demonstration: leave nothing behind on the broker.
            for queue in queues.values():
                await client.delete_queue(queue)
            await client.delete_exchange(exchange)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: topic_async.py URL EXCHANGE PREFIX", file=sys.stderr)
        sys.exit(2)
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
    except (postwire.PostwireError, RuntimeError) as error:
        sys.exit(f"error: {error}")
    except TimeoutError:
        sys.exit(f"error: the events were not confirmed within {WAIT_S} s")
