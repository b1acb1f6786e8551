"""consumer.py URL QUEUE COUNT

Receives COUNT messages from QUEUE and acks each one. A message whose body is not JSON is
dead-lettered (to QUEUE.dlq) with the reason. Exits 0 once COUNT messages were settled, 1 if
none arrived for 10 seconds.
"""

import json
import sys

import postwire


def main(url: str, queue: str, count: int) -> int:
    with postwire.connect(url) as client, client.subscribe(queue, prefetch=100) as consumer:
        for settled in range(count):
            message = consumer.poll(timeout=10)
            if message is None:
                print(f"settled {settled} of {count}; nothing more arrived", file=sys.stderr)
                return 1
            try:
                order = json.loads(message.body)
            except ValueError as error:
                message.dead_letter(f"not JSON: {error}")
                continue
            print(f"{message.id} (key {message.key!r}, delivery {message.delivery_count}): {order}")
            message.ack()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: consumer.py URL QUEUE COUNT", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
