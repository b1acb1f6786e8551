"""priority_async.py URL QUEUE

priority.py with asyncio (postwire.aio): a priority queue. Declares QUEUE with priorities 0
to 9, sends three low-priority jobs and then two urgent ones, waits until the broker has
confirmed all of them, and only then starts consuming: the urgent jobs come out first although
they were sent last. Prints each job as it is sent and as it arrives.

    python examples/python/priority_async.py amqp://guest:guest@127.0.0.1:5672 jobs
"""

import asyncio
import sys

import postwire
import postwire.aio

JOBS = [("report-1", 1), ("report-2", 1), ("report-3", 1), ("alert-1", 9), ("alert-2", 9)]
WAIT_S = 10  # how long to wait for something the broker should do promptly


async def main(url: str, queue: str) -> int:
    async with await postwire.aio.connect(url) as client:
        # A queue orders by priority only if it was declared with a maximum priority.
        await client.declare_queue(queue, durable=True, max_priority=9)

        producer = client.producer()
        sends = []
        for job, priority in JOBS:
            sends.append(producer.send(queue, job, priority=priority))
            print(f"sent {job} (priority {priority})")
        # Waiting for every confirm means every job is in the queue before the first is
        # taken, so the broker can order all of them by priority (gather raises the error of
        # a job the broker did not take).
        await asyncio.wait_for(asyncio.gather(*sends), WAIT_S)

        async with await client.subscribe(queue) as consumer:
            for _ in JOBS:
                message = await consumer.get(timeout=WAIT_S)
                if message is None:
                    print(f"no job within {WAIT_S} s", file=sys.stderr)
                    return 1
                print(f"received {message.body.decode()} (priority {message.priority})")
                await message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: priority_async.py URL QUEUE", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
    except TimeoutError:
        sys.exit(f"error: the jobs were not confirmed within {WAIT_S} s")
