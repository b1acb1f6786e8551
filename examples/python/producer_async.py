"""producer_async.py URL QUEUE [COUNT]

producer.py with asyncio: sends COUNT orders (default 10) to QUEUE concurrently, each with an
ordering key, a header and its own id, and awaits every delivery report. Exits 0 only when the
broker confirmed every message.

    python examples/python/producer_async.py amqp://guest:guest@127.0.0.1:5672 orders 10
"""

import asyncio
import sys

import postwire
import postwire.aio


async def main(url: str, queue: str, count: int) -> int:
    async with await postwire.aio.connect(url, delivery_timeout_ms=30000) as client:
        await client.declare_queue(queue)
        producer = client.producer()
        # Each send returns a future at once; the sends stay in order on the wire.
        sends = [
            producer.send(
                queue,
                f'{{"order": {n}}}',
                key=f"customer-{n % 3}",
                headers={"source": "example"},
                id=f"order-{n}",
                content_type="application/json",
            )
            for n in range(count)
        ]
        outcomes = await asyncio.gather(*sends, return_exceptions=True)
        failed = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        for error in failed:
            print(f"not confirmed: {error}", file=sys.stderr)
        print(f"confirmed {count - len(failed)} of {count}")
        return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        print("usage: producer_async.py URL QUEUE [COUNT]", file=sys.stderr)
        sys.exit(2)
    try:
        count = int(sys.argv[3]) if len(sys.argv) == 4 else 10
        sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], count)))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
