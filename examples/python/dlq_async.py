"""dlq_async.py URL QUEUE

dlq.py with asyncio (postwire.aio): an order queue with a dead-letter queue. Sends four orders
to QUEUE (JSON bodies, key = customer, id = order id) and processes them: good orders are
acked; order-3 fails transiently the first time and is nacked with a 200 ms delay, so it comes
back with delivery count 2; order-2 is invalid and is dead-lettered with a reason. Then reads
QUEUE.dlq and prints each dead letter with its reason (the pw-dead-letter-reason header).
Exits 0 once every order was settled and every dead letter read.

    python examples/python/dlq_async.py amqp://guest:guest@127.0.0.1:5672 orders
"""

import asyncio
import json
import sys
from typing import Any

import postwire
import postwire.aio

ORDERS = [
    ("order-1", "alice", {"item": "book", "quantity": 2}),
    ("order-2", "bob", {"item": "lamp", "quantity": 0}),  # invalid: dead-lettered
    ("order-3", "carol", {"item": "desk", "quantity": 1}),  # fails at first: retried
    ("order-4", "alice", {"item": "pen", "quantity": 10}),
]
WAIT_S = 10  # how long to wait for something the broker should do promptly


class InvalidOrder(Exception):
    """A failure that retrying cannot fix."""


class TryAgainLater(Exception):
    """A failure that may pass, such as a service that is briefly down."""


def process(order_id: str, order: dict[str, Any], delivery: int) -> None:
    """Stands in for the real work; order-3's first attempt fails as if the warehouse were
    briefly unavailable."""
    if order["quantity"] <= 0:
        raise InvalidOrder("quantity must be positive")
    if order_id == "order-3" and delivery == 1:
        raise TryAgainLater("warehouse unavailable")


async def main(url: str, queue: str) -> int:
    async with await postwire.aio.connect(url) as client:
        await client.declare_queue(queue, durable=True)
        # Dead letters go to QUEUE.dlq, which the client declares on first use; declaring it
        # here as well lets this program read it without waiting for that first dead letter.
        await client.declare_queue(f"{queue}.dlq", durable=True)

        producer = client.producer()
        # Each send is queued in order at once; gather awaits the confirms (and raises the
        # error of a message the broker did not take).
        sends = [
            producer.send(
                queue, json.dumps(order), key=customer, id=order_id, content_type="application/json"
            )
            for order_id, customer, order in ORDERS
        ]
        await asyncio.wait_for(asyncio.gather(*sends), WAIT_S)

        # Every order is settled for good by an ack or a dead letter; a nack brings it back.
        settled, dead_lettered = 0, 0
        async with await client.subscribe(queue) as consumer:
            while settled < len(ORDERS):
                message = await consumer.get(timeout=WAIT_S)
                if message is None:
                    print(f"no order within {WAIT_S} s", file=sys.stderr)
                    return 1
                try:
                    process(message.id, json.loads(message.body), message.delivery_count)
                except TryAgainLater as error:
                    # The broker holds it for 200 ms, then delivers it again with delivery
                    # count + 1 (even if this process died meanwhile).
                    await message.nack(delay=0.2)
                    print(f"retrying {message.id} (delivery {message.delivery_count}): {error}")
                except InvalidOrder as error:
                    # Retrying cannot fix a bad order: park it with the reason for a human.
                    await message.dead_letter(str(error))
                    print(f"dead-lettered {message.id}: {error}")
                    settled += 1
                    dead_lettered += 1
                else:
                    await message.ack()
                    print(f"processed {message.id} (delivery {message.delivery_count})")
                    settled += 1

        # The dead letters keep their id and body and carry the reason as a header.
        async with await client.subscribe(f"{queue}.dlq") as dead_letters:
            for _ in range(dead_lettered):
                message = await dead_letters.get(timeout=WAIT_S)
                if message is None:
                    print(f"no dead letter within {WAIT_S} s", file=sys.stderr)
                    return 1
                reason = message.header("pw-dead-letter-reason")
                text = "(none)" if reason is None else reason.decode()
                print(f"dlq: {message.id} reason={text}")
                await message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: dlq_async.py URL QUEUE", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
    except TimeoutError:
        sys.exit(f"error: the orders were not confirmed within {WAIT_S} s")
