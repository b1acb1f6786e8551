"""The Python examples (examples/python), run as a user runs them against RabbitMQ: each test
checks what the program printed and what it left on the broker. The sync and asyncio programs
of one scenario tell the same story, so they share a test."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Broker, Languages, run
from example_scenarios import (
    check_dlq,
    check_priority,
    check_topic,
    check_usage,
    dlq_queue,
    topic_names,
)

EXAMPLES = "examples/python"

# The program of each scenario, synchronous and asyncio.
DLQ = pytest.mark.parametrize("script", ["dlq.py", "dlq_async.py"], ids=["sync", "asyncio"])
PRIORITY = pytest.mark.parametrize(
    "script", ["priority.py", "priority_async.py"], ids=["sync", "asyncio"]
)
TOPIC = pytest.mark.parametrize("script", ["topic.py", "topic_async.py"], ids=["sync", "asyncio"])


def example(languages: Languages, script: str, *args: str) -> list[str]:
    """The command line that runs examples/python/SCRIPT."""
    return languages.python(f"{EXAMPLES}/{script}", *args)


def python(languages: Languages, script: str, *args: str, cwd: Path) -> list[str]:
    """Runs examples/python/SCRIPT and returns the lines it printed."""
    return run(languages, example(languages, script, *args), cwd=cwd).splitlines()


@pytest.mark.parametrize(
    "producer, consumer",
    [("producer.py", "consumer.py"), ("producer_async.py", "consumer_async.py")],
    ids=["sync", "asyncio"],
)
def test_producer_then_consumer(
    amqp_url: str,
    languages: Languages,
    broker: Broker,
    tmp_path: Path,
    producer: str,
    consumer: str,
) -> None:
    queue = broker.queue("py-orders")
    assert python(languages, producer, amqp_url, queue, "12", cwd=tmp_path) == [
        "confirmed 12 of 12"
    ]

    lines = python(languages, consumer, amqp_url, queue, "12", cwd=tmp_path)
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
    queue = dlq_queue(broker, "py-dlq")
    output = run(languages, example(languages, script, amqp_url, queue), cwd=tmp_path)
    check_dlq(output, broker, queue)


@PRIORITY
def test_priority(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path, script: str
) -> None:
    queue = broker.queue("py-priority")
    output = run(languages, example(languages, script, amqp_url, queue), cwd=tmp_path)
    check_priority(output, broker, queue)


@TOPIC
def test_topic(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path, script: str
) -> None:
    exchange, prefix = topic_names(broker, "py-topic")
    output = run(
        languages,
        example(languages, script, amqp_url, exchange, prefix),
        cwd=tmp_path,
    )
    check_topic(output, broker, exchange, prefix)


@pytest.mark.parametrize(
    ("scenario", "script"),
    [
        ("dlq", "dlq.py"),
        ("dlq", "dlq_async.py"),
        ("priority", "priority.py"),
        ("priority", "priority_async.py"),
        ("topic", "topic.py"),
        ("topic", "topic_async.py"),
    ],
)
def test_scenario_without_arguments_prints_its_usage(
    scenario: str, script: str, languages: Languages, tmp_path: Path
) -> None:
    check_usage(languages, scenario, example(languages, script), tmp_path)
