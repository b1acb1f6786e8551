"""consumer_async.py URL QUEUE COUNT

consumer.py with asyncio: receives COUNT messages from QUEUE with `async for` and acks each
one; a message whose body is not JSON is dead-lettered (to QUEUE.dlq) with the reason. Exits 0
once COUNT messages were settled, 1 if none arrived for 10 seconds.

    python examples/python/consumer_async.py amqp://guest:guest@127.0.0.1:5672 orders 10
"""

import asyncio
import json
import sys

import postwire
import postwire.aio


async def main(url: str, queue: str, count: int) -> int:
    async with (
        await postwire.aio.connect(url) as client,
        await client.subscribe(queue, prefetch=100) as consumer,
    ):
        for settled in range(count):
            message = await consumer.get(timeout=10)
            if message is None:
                print(f"settled {settled} of {count}; nothing more arrived", file=sys.stderr)
                return 1
            try:
                order = json.loads(message.body)
            except ValueError as error:
                await message.dead_letter(f"not JSON: {error}")
                continue
            print(f"{message.id} (key {message.key!r}, delivery {message.delivery_count}): {order}")
            await message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: consumer_async.py URL QUEUE COUNT", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
