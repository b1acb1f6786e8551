"""dlq_async.py URL QUEUE

dlq.py with asyncio (postwire.aio): an order queue with a dead-letter queue. Sends four orders
to QUEUE (key = customer, id = order id) and processes them: good orders are acked; order-3
fails transiently the first time and is nacked with a 200 ms delay, so it comes back with
delivery count 2; order-2 is invalid and is dead-lettered with a reason. Then reads QUEUE.dlq
and prints each dead letter with its reason.

    python examples/python/dlq_async.py amqp://guest:guest@127.0.0.1:5672 orders
"""

import asyncio
import json
import sys

import postwire
import postwire.aio

ORDERS = [
    ("order-1", "alice", {"item": "book", "quantity": 2}),
    ("order-2", "bob", {"item": "lamp", "quantity": 0}),
    ("order-3", "carol", {"item": "desk", "quantity": 1}),
    ("order-4", "alice", {"item": "pen", "quantity": 10}),
]
# Stands in for a dependency that is briefly unavailable: its first attempt fails.
FLAKY = {"order-3"}
JSON = "application/json"
WAIT_S = 10  # how long to wait for a message the broker should hand over promptly


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
            producer.send(queue, json.dumps(order), key=customer, id=order_id, content_type=JSON)
            for order_id, customer, order in ORDERS
        ]
        await asyncio.gather(*sends)

        settled, dead_lettered = 0, 0
        async with await client.subscribe(queue) as consumer:
            while settled < len(ORDERS):
                message = await consumer.get(timeout=WAIT_S)
                if message is None:
                    print(f"settled {settled} of {len(ORDERS)} orders", file=sys.stderr)
                    return 1
                order = json.loads(message.body)
                if order["quantity"] <= 0:
                    # Retrying cannot fix a bad order: park it with the reason for a human.
                    await message.dead_letter("quantity must be positive")
                    print(f"dead-lettered {message.id}: quantity must be positive")
                    dead_lettered += 1
                    settled += 1
                elif message.id in FLAKY and message.delivery_count == 1:
                    # A transient failure: the broker holds the message for 200 ms, then
                    # delivers it again (even if this process died meanwhile).
                    print(f"retrying {message.id} (delivery {message.delivery_count})")
                    await message.nack(delay=0.2)
                else:
                    await message.ack()
                    print(f"processed {message.id} (delivery {message.delivery_count})")
                    settled += 1

        async with await client.subscribe(f"{queue}.dlq") as dead_letters:
            for _ in range(dead_lettered):
                message = await dead_letters.get(timeout=WAIT_S)
                if message is None:
                    print("a dead letter is missing from the dead-letter queue", file=sys.stderr)
                    return 1
                reason = (message.header("pw-dead-letter-reason") or b"").decode()
                print(f"dlq: {message.id} reason={reason}")
                await message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
