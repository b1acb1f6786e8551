"""priority_async.py URL QUEUE

priority.py with asyncio (postwire.aio): a priority queue. Declares QUEUE with priorities 0
to 9, sends three low-priority jobs and then two urgent ones, waits until the broker has
confirmed all of them, and only then starts consuming: the urgent jobs come out first although
they were sent last. Prints each job in the order it arrived.

    python examples/python/priority_async.py amqp://guest:guest@127.0.0.1:5672 jobs
"""

import asyncio
import sys

import postwire
import postwire.aio

JOBS = [("report-1", 1), ("report-2", 1), ("report-3", 1), ("alert-1", 9), ("alert-2", 9)]
WAIT_S = 10  # how long to wait for a message the broker should hand over promptly


async def main(url: str, queue: str) -> int:
    async with await postwire.aio.connect(url) as client:
        # A queue orders by priority only if it was declared with a maximum priority.
        await client.declare_queue(queue, durable=True, max_priority=9)

        producer = client.producer()
        # Raises the error of a job the broker did not take.
        await asyncio.gather(
            *(producer.send(queue, f"run {job}", id=job, priority=p) for job, p in JOBS)
        )

        # Every job is in the queue now, so the broker can hand them out by priority.
        async with await client.subscribe(queue) as consumer:
            for _ in JOBS:
                message = await consumer.get(timeout=WAIT_S)
                if message is None:
                    print("a job is missing from the queue", file=sys.stderr)
                    return 1
                print(f"received {message.id} (priority {message.priority})")
                await message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
