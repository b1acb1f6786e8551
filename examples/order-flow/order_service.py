"""The order service of the demo (examples/demo): places orders.

    order_service.py URL PREFIX ORDERS DUPLICATE_RATE ORDERS_PER_SECOND

Sends ORDERS orders to the queue PREFIX.orders, each with its order id as idempotency key
(the message id) and the customer as ordering key, and sends a share of them (DUPLICATE_RATE)
a second time, a little later, with the same id — as a service does when it retries a send
whose outcome it never learned. Consumers with a dedup window drop the second copy. Orders
are placed at ORDERS_PER_SECOND (0: as fast as the broker takes them).

Writes one line per event to stdout for the demo's ledger (`sent ORDER`, `resent ORDER`), and
exits non-zero when the broker did not confirm a message. Closing stdin stops it early.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import deque

import postwire

# A re-sent order follows its original by this many orders, so the original has usually been
# processed (and its id remembered by the consumer's dedup window) by the time the copy comes.
RESEND_DISTANCE = 300
PRODUCTS = 50
CUSTOMERS = 1000


def order_body(number: int) -> bytes:
    order = {
        "order": order_id(number),
        "number": number,
        "customer": customer_of(number),
        "product": f"sku-{number * 104729 % PRODUCTS:02d}",
        "quantity": 1 + number % 3,
        "amount_cents": 500 + number * 37 % 20000,
        # Wall-clock time the order was placed, for the end-to-end latency.
        "placed_ms": time.time_ns() // 1_000_000,
    }
    return json.dumps(order, separators=(",", ":")).encode()


def order_id(number: int) -> str:
    return f"order-{number:07d}"


def customer_of(number: int) -> str:
    return f"customer-{number * 7919 % CUSTOMERS}"


def is_resent(number: int, duplicate_rate: float) -> bool:
    # Evenly spread: the orders whose number crosses a multiple of 1/rate.
    return duplicate_rate > 0 and int(number * duplicate_rate) != int((number - 1) * duplicate_rate)


def main(url: str, prefix: str, orders: int, duplicate_rate: float, rate: float) -> int:
    stopping = threading.Event()

    def watch_stdin() -> None:  # the demo closes our stdin to stop us early
        sys.stdin.read()
        stopping.set()

    threading.Thread(target=watch_stdin, daemon=True).start()

    queue = f"{prefix}.orders"
    with postwire.connect(url, client_id="order-service") as client:
        client.declare_queue(queue, durable=True)
        producer = client.producer()
        handles: list[postwire.DeliveryHandle] = []
        # (send again after order number, order number, the same bytes as the first time)
        to_resend: deque[tuple[int, int, bytes]] = deque()

        def send(number: int, body: bytes, event: str) -> None:
            handles.append(producer.send(queue, body, key=customer_of(number), id=order_id(number)))
            print(event, order_id(number))

        started = time.monotonic()
        for number in range(1, orders + 1):
            if stopping.is_set():
                break
            if rate > 0 and number % 10 == 0:
                # Keep to the schedule: order `number` is due `number / rate` s after the start.
                ahead = started + number / rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
            body = order_body(number)
            send(number, body, "sent")
            if is_resent(number, duplicate_rate):
                to_resend.append((number + RESEND_DISTANCE, number, body))
            while to_resend and (to_resend[0][0] <= number):
                _, original, original_body = to_resend.popleft()
                send(original, original_body, "resent")
            if number % 100 == 0:
                sys.stdout.flush()  # the demo's progress line reads these as they come
        while to_resend and not stopping.is_set():
            _, original, original_body = to_resend.popleft()
            send(original, original_body, "resent")
        sys.stdout.flush()

        producer.flush(timeout=60)
        failed = [report for report in (h.report() for h in handles) if report.error is not None]
        for report in failed[:10]:
            print(f"order service: {report.id} was not confirmed: {report.error}", file=sys.stderr)
        return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    url, prefix, orders, duplicate_rate, rate = sys.argv[1:]
    sys.exit(main(url, prefix, int(orders), float(duplicate_rate), float(rate)))
