"""What the scenario examples (dlq, priority, topic) must print and leave on the broker. The
programs of every language (C, C++, Python, Node.js, Java) tell the same stories with the same
arguments and output lines, so the tests of every language share these checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import postwire
import pytest
from conftest import Broker, Languages, execute, unique

# The dlq programs nack the order that fails for a moment with this delay; postwire holds it
# in the queue pw.delay.<queue>.<delay ms> meanwhile (docs/rabbitmq.md).
RETRY_DELAY_MS = 200
# How long a check waits for something the broker should do at once.
WAIT_S = 10.0

# order-1 and order-4 are good, order-2 is invalid, order-3 fails on its first delivery.
DLQ_LINES = [
    "processed order-1 (delivery 1)",
    "dead-lettered order-2: quantity must be positive",
    "retrying order-3 (delivery 1): warehouse unavailable",
    "processed order-4 (delivery 1)",
    "processed order-3 (delivery 2)",
    "dlq: order-2 reason=quantity must be positive",
]

# The jobs go out low priority first; the queue hands out the urgent ones first, and the jobs
# of one priority in the order they were sent.
PRIORITY_LINES = [
    "sent report-1 (priority 1)",
    "sent report-2 (priority 1)",
    "sent report-3 (priority 1)",
    "sent alert-1 (priority 9)",
    "sent alert-2 (priority 9)",
    "received alert-1 (priority 9)",
    "received alert-2 (priority 9)",
    "received report-1 (priority 1)",
    "received report-2 (priority 1)",
    "received report-3 (priority 1)",
]

# The topic programs' services in the order they print them, their binding patterns, and the
# events each pattern selects from order.created, order.paid, order.cancelled and user.signup.
TOPIC_ROUTES = [
    ("billing", "order.*", ["order.cancelled", "order.created", "order.paid"]),
    ("shipping", "order.paid", ["order.paid"]),
    ("audit", "#", ["order.cancelled", "order.created", "order.paid", "user.signup"]),
]
_TOPIC_LINE = re.compile(r"(?P<service>\w+) \((?P<pattern>[^)]+)\): (?P<events>.*)")

# The arguments of each scenario's program, as its usage message names them.
USAGE = {"dlq": "URL QUEUE", "priority": "URL QUEUE", "topic": "URL EXCHANGE PREFIX"}


def dlq_queue(broker: Broker, prefix: str) -> str:
    """The queue for a dlq program; it and the queues the program adds are deleted with the
    test."""
    queue = broker.queue(prefix)
    broker.queues += [f"{queue}.dlq", f"pw.delay.{queue}.{RETRY_DELAY_MS}"]
    return queue


def check_dlq(output: str, broker: Broker, queue: str) -> None:
    """Good orders acked, order-3 retried once and then processed on its second delivery,
    order-2 dead-lettered, the dead letter read back from QUEUE.dlq with its reason, and
    nothing left in the queues."""
    lines = output.splitlines()
    assert sorted(lines) == sorted(DLQ_LINES), output
    assert lines.index("retrying order-3 (delivery 1): warehouse unavailable") < lines.index(
        "processed order-3 (delivery 2)"
    ), output
    # QUEUE.dlq is read once every order is settled.
    assert lines[-1] == "dlq: order-2 reason=quantity must be positive", output
    # Every order was settled, the retried one came back from its delay, and the dead letter
    # was acked.
    for name in (queue, f"{queue}.dlq", f"pw.delay.{queue}.{RETRY_DELAY_MS}"):
        assert broker.client.delete_queue(name) == 0, name


def check_priority(output: str, broker: Broker, queue: str) -> None:
    """The jobs went out low priority first and came back high priority first; every job was
    acked."""
    assert output.splitlines() == PRIORITY_LINES, output
    assert broker.client.delete_queue(queue) == 0


def topic_names(broker: Broker, prefix: str) -> tuple[str, str]:
    """The exchange and the queue prefix for a topic program; the exchange and the queues are
    deleted with the test if the program did not."""
    exchange = broker.exchange(f"{prefix}-events")
    queues = unique(f"{prefix}-service")
    broker.queues += [f"{queues}.{service}" for service, _, _ in TOPIC_ROUTES]
    return exchange, queues


def check_topic(output: str, broker: Broker, exchange: str, prefix: str) -> None:
    """Each service's queue got exactly the events its binding pattern selects, and the
    program deleted the exchange and the queues."""
    routed = []
    for line in output.splitlines():
        match = _TOPIC_LINE.fullmatch(line)
        assert match, f"unexpected line {line!r} in\n{output}"
        routed.append((match["service"], match["pattern"], sorted(match["events"].split())))
    assert routed == TOPIC_ROUTES, output

    for service, _, _ in TOPIC_ROUTES:
        with pytest.raises(postwire.NotFoundError):
            broker.client.subscribe(f"{prefix}.{service}")
    late = broker.client.producer().send(f"exchange/{exchange}", b"late", key="order.paid")
    assert isinstance(late.report(WAIT_S).error, postwire.NotFoundError)


def check_usage(languages: Languages, scenario: str, command: Sequence[str], cwd: Path) -> None:
    """Run without its arguments, the program of `scenario` says how to run it, on standard
    error, and exits with 2."""
    result = execute(languages, command, cwd=cwd)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert re.fullmatch(rf"usage: \S+ {USAGE[scenario]}\n", result.stderr), result.stderr
