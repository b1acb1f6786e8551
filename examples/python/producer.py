"""producer.py URL QUEUE [COUNT]

Sends COUNT orders (default 10) to QUEUE, each with an ordering key, a header and its own id,
then waits for every delivery report. Exits 0 only when the broker confirmed every message.
"""

import sys

import postwire


def main(url: str, queue: str, count: int) -> int:
    with postwire.connect(url, delivery_timeout_ms=30000) as client:
        client.declare_queue(queue)
        producer = client.producer()
        handles = [
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
        producer.flush(timeout=35)
        failed = [h.report() for h in handles if h.report().error is not None]
        for report in failed:
            print(f"{report.id}: {report.error}", file=sys.stderr)
        print(f"confirmed {count - len(failed)} of {count}")
        return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        print("usage: producer.py URL QUEUE [COUNT]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 10))
