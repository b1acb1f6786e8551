"""priority.py URL QUEUE

A priority queue. Declares QUEUE with priorities 0 to 9, sends three low-priority jobs and
then two urgent ones, waits until the broker has confirmed all of them, and only then starts
consuming: the urgent jobs come out first although they were sent last. Prints each job as it
is sent and as it arrives.

    python examples/python/priority.py amqp://guest:guest@127.0.0.1:5672 jobs
"""

import sys

import postwire

JOBS = [("report-1", 1), ("report-2", 1), ("report-3", 1), ("alert-1", 9), ("alert-2", 9)]
WAIT_S = 10  # how long to wait for something the broker should do promptly


def main(url: str, queue: str) -> int:
    with postwire.connect(url) as client:
        # A queue orders by priority only if it was declared with a maximum priority.
        client.declare_queue(queue, durable=True, max_priority=9)

        producer = client.producer()
        handles = []
        for job, priority in JOBS:
            handles.append(producer.send(queue, job, priority=priority))
            print(f"sent {job} (priority {priority})")
        # Waiting for every confirm means every job is in the queue before the first is
        # taken, so the broker can order all of them by priority.
        for handle in handles:
            handle.result(timeout=WAIT_S)  # raises the error if the broker did not take it

        with client.subscribe(queue) as consumer:
            for _ in JOBS:
                message = consumer.poll(timeout=WAIT_S)
                if message is None:
                    print(f"no job within {WAIT_S} s", file=sys.stderr)
                    return 1
                print(f"received {message.body.decode()} (priority {message.priority})")
                message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: priority.py URL QUEUE", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    except postwire.PostwireError as error:
        sys.exit(f"error: {error}")
