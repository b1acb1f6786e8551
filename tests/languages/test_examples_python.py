"""The Python examples (examples/python), run as a user runs them against RabbitMQ: each test
checks what the program printed and what it left on the broker. The sync and asyncio programs
of one scenario tell the same story, so they share a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import postwire
import pytest
from conftest import Languages, run, unique

EXAMPLES = "examples/python"
WAIT = 10.0  # seconds: how long a check waits for something the broker should do at once

# The program of each scenario, synchronous and asyncio.
DLQ = pytest.mark.parametrize("script", ["dlq.py", "dlq_async.py"], ids=["sync", "asyncio"])
PRIORITY = pytest.mark.parametrize(
    "script", ["priority.py", "priority_async.py"], ids=["sync", "asyncio"]
)
TOPIC = pytest.mark.parametrize("script", ["topic.py", "topic_async.py"], ids=["sync", "asyncio"])


class Broker:
    """The test's own client, and the queues and exchanges to delete when the test ends."""

    def __init__(self, client: postwire.Client) -> None:
        self.client = client
        self.queues: list[str] = []
        self.exchanges: list[str] = []

    def queue(self, prefix: str) -> str:
        name = unique(prefix)
        self.queues.append(name)
        return name

    def exchange(self, prefix: str) -> str:
        name = unique(prefix)
        self.exchanges.append(name)
        return name


@pytest.fixture
def broker(amqp_url: str) -> Iterator[Broker]:
    with postwire.connect(amqp_url) as client:
        broker = Broker(client)
        yield broker
        # Deleting a queue or exchange that is already gone is not an error.
        for queue in broker.queues:
            client.delete_queue(queue)
        for exchange in broker.exchanges:
            client.delete_exchange(exchange)


def python(languages: Languages, script: str, *args: str, cwd: Path) -> list[str]:
    """Runs examples/python/SCRIPT and returns the lines it printed."""
    return run(languages, languages.python(f"{EXAMPLES}/{script}", *args), cwd=cwd).splitlines()


def test_producer_then_consumer(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue("py-orders")
    assert python(languages, "producer.py", amqp_url, queue, "12", cwd=tmp_path) == [
        "confirmed 12 of 12"
    ]

    lines = python(languages, "consumer.py", amqp_url, queue, "12", cwd=tmp_path)
    expected = [
        f"order-{n} (key b'customer-{n % 3}', delivery 1): {{'order': {n}}}" for n in range(12)
    ]
    assert sorted(lines) == sorted(expected)
    # The orders of one customer (one ordering key) arrive in the order they were sent.
    for customer in range(3):
        of_customer = [line for line in lines if f"'customer-{customer}'" in line]
        assert of_customer == [line for line in expected if f"'customer-{customer}'" in line]
    assert broker.client.delete_queue(queue) == 0  # every order was acked


def test_async_roundtrip(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue("py-aio")
    lines = python(languages, "async_roundtrip.py", amqp_url, queue, "200", cwd=tmp_path)
    assert lines[0].startswith("confirmed 200, latest after ")
    assert lines[-1] == "received 200 of 200"


@DLQ
def test_dlq(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path, script: str
) -> None:
    queue = broker.queue("py-dlq")
    # The dead-letter queue, and the queue that held order-3 during its 200 ms delay.
    broker.queues += [f"{queue}.dlq", f"pw.delay.{queue}.200"]

    lines = python(languages, script, amqp_url, queue, cwd=tmp_path)
    assert sorted(lines) == sorted(
        [
            "processed order-1 (delivery 1)",
            "dead-lettered order-2: quantity must be positive",
            "retrying order-3 (delivery 1)",
            "processed order-3 (delivery 2)",
            "processed order-4 (delivery 1)",
            "dlq: order-2 reason=quantity must be positive",
        ]
    )
    assert lines.index("retrying order-3 (delivery 1)") < lines.index(
        "processed order-3 (delivery 2)"
    )
    # The dead letter is read from QUEUE.dlq once every order was settled.
    assert lines[-1] == "dlq: order-2 reason=quantity must be positive"
    # Nothing is left: every order was settled and the dead letter acked.
    assert broker.client.delete_queue(queue) == 0
    assert broker.client.delete_queue(f"{queue}.dlq") == 0


@PRIORITY
def test_priority(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path, script: str
) -> None:
    queue = broker.queue("py-priority")
    lines = python(languages, script, amqp_url, queue, cwd=tmp_path)
    # Sent as report-1..3 (priority 1) and then alert-1..2 (priority 9): the urgent ones come
    # out first, and jobs of one priority in the order they were sent.
    assert lines == [
        "received alert-1 (priority 9)",
        "received alert-2 (priority 9)",
        "received report-1 (priority 1)",
        "received report-2 (priority 1)",
        "received report-3 (priority 1)",
    ]
    assert broker.client.delete_queue(queue) == 0  # every job was acked


@TOPIC
def test_topic(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path, script: str
) -> None:
    exchange = broker.exchange("py-events")
    prefix = unique("py-shop")
    services = ["billing", "shipping", "audit"]
    broker.queues += [f"{prefix}.{service}" for service in services]

    lines = python(languages, script, amqp_url, exchange, prefix, cwd=tmp_path)
    got = {
        service: sorted(events.split(", "))
        for service, events in (line.split(" got: ") for line in lines)
    }
    assert got == {
        "billing": ["order.cancelled", "order.created", "order.paid"],  # order.*
        "shipping": ["order.paid"],  # order.paid
        "audit": ["order.cancelled", "order.created", "order.paid", "user.signup"],  # #
    }

    # The program deleted what it declared.
    for service in services:
        with pytest.raises(postwire.NotFoundError):
            broker.client.subscribe(f"{prefix}.{service}")
    report = broker.client.producer().send(f"exchange/{exchange}", b"late", key="order.paid")
    assert isinstance(report.report(WAIT).error, postwire.NotFoundError)
