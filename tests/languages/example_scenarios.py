"""What the scenario examples (dlq, priority, topic) must print, read from their output, and
the removal of the queues and exchanges a test run of them created.

The Node.js and Java programs tell the same stories with the same output lines, so their tests
share these checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import postwire

# The dlq programs nack the order that fails for a moment with this delay; postwire holds it
# in the queue pw.delay.<queue>.<delay ms> meanwhile.
RETRY_DELAY_MS = 200

# The topic programs' services, their binding patterns and the events each pattern selects
# from order.created, order.paid, order.cancelled and user.signup.
TOPIC_ROUTES = {
    "billing (order.*)": ["order.cancelled", "order.created", "order.paid"],
    "shipping (order.paid)": ["order.paid"],
    "audit (#)": ["order.cancelled", "order.created", "order.paid", "user.signup"],
}
TOPIC_SERVICES = ("billing", "shipping", "audit")


@contextmanager
def removing(
    amqp_url: str, *, queues: Sequence[str] = (), exchanges: Sequence[str] = ()
) -> Iterator[None]:
    """Deletes the queues and exchanges afterwards, whether or not the block succeeded (the
    broker is shared; deleting one that does not exist is not an error)."""
    try:
        yield
    finally:
        with postwire.connect(amqp_url) as client:
            for queue in queues:
                client.delete_queue(queue)
            for exchange in exchanges:
                client.delete_exchange(exchange)


def dlq_queues(queue: str) -> list[str]:
    """The queues a dlq program run on `queue` leaves behind."""
    return [queue, f"{queue}.dlq", f"pw.delay.{queue}.{RETRY_DELAY_MS}"]


def check_dlq(output: str) -> None:
    """Good orders acked, order-3 retried once and then processed on its second delivery,
    order-2 dead-lettered, and the dead letter read back from QUEUE.dlq with its reason."""
    lines = output.splitlines()
    assert sorted(lines) == [
        "dead-lettered order-2: quantity must be positive",
        "dlq: order-2 reason=quantity must be positive",
        "processed order-1 (delivery 1)",
        "processed order-3 (delivery 2)",
        "processed order-4 (delivery 1)",
        "retrying order-3 (delivery 1)",
    ], output
    assert lines.index("retrying order-3 (delivery 1)") < lines.index(
        "processed order-3 (delivery 2)"
    ), output
    # QUEUE.dlq is read once every order is settled.
    assert lines[-1] == "dlq: order-2 reason=quantity must be positive", output


_JOB = re.compile(r"^(sent|received) (\S+) \(priority (\d+)\)$")


def check_priority(output: str) -> None:
    """The jobs went out low priority first, and came back high priority first (in the order
    they were sent within one priority)."""
    jobs: dict[str, list[tuple[str, int]]] = {"sent": [], "received": []}
    for line in output.splitlines():
        match = _JOB.match(line)
        assert match, f"unexpected line {line!r} in\n{output}"
        jobs[match[1]].append((match[2], int(match[3])))
    sent, received = jobs["sent"], jobs["received"]
    sent_priorities = [priority for _, priority in sent]
    # The test means something only if the low-priority jobs were queued first.
    assert sent_priorities == sorted(sent_priorities), output
    assert sent_priorities[0] < sent_priorities[-1], output
    assert received == sorted(sent, key=lambda job: -job[1]), output


def check_topic(output: str) -> None:
    """Each service's queue got exactly the events its binding pattern selects."""
    routed: dict[str, list[str]] = {}
    for line in output.splitlines():
        service, _, events = line.partition(": ")
        routed[service] = sorted(events.split())
    assert routed == TOPIC_ROUTES, output


def topic_queues(prefix: str) -> list[str]:
    return [f"{prefix}.{service}" for service in TOPIC_SERVICES]
