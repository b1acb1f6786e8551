"""async_roundtrip.py URL QUEUE [COUNT]

The asyncio API: sends COUNT messages (default 100) concurrently, awaiting their delivery
reports, then consumes them with `async for` and acks each. Exits 0 when every message came
back.
"""

import asyncio
import sys

import postwire.aio


async def main(url: str, queue: str, count: int) -> int:
    async with await postwire.aio.connect(url) as client:
        await client.declare_queue(queue, durable=False)
        producer = client.producer()
        reports = await asyncio.gather(
            *(producer.send(queue, f"event {n}", key="sensor-1") for n in range(count))
        )
        print(f"confirmed {len(reports)}, latest after {reports[-1].latency_us} µs")

        received = 0
        async with await client.subscribe(queue, prefetch=50) as consumer:
            async for message in consumer:
                await message.ack()
                received += 1
                if received == count:
                    break
        await client.delete_queue(queue)
        print(f"received {received} of {count}")
        return 0 if received == count else 1


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        print("usage: async_roundtrip.py URL QUEUE [COUNT]", file=sys.stderr)
        sys.exit(2)
    count = int(sys.argv[3]) if len(sys.argv) == 4 else 100
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], count)))
