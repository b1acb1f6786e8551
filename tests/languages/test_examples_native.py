"""The C and C++ examples (examples/c, examples/cpp) against RabbitMQ, run as a user runs them:
the producer and consumer round trip and the three scenarios (dlq, priority, topic), each
checked by what the program prints. The two languages tell the same stories in the same words,
so every test runs once per language."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import postwire
import pytest
from conftest import Languages, run, unique

LANGUAGES = ["c", "cpp"]


@dataclass
class Created:
    """What a test's programs declared on the shared broker, deleted when the test ends."""

    queues: list[str] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)


@pytest.fixture
def created(amqp_url: str) -> Iterator[Created]:
    names = Created()
    yield names
    with postwire.connect(amqp_url) as client:
        for queue in names.queues:
            client.delete_queue(queue)  # deleting a queue that is not there succeeds
        for exchange in names.exchanges:
            client.delete_exchange(exchange)


def example(languages: Languages, language: str, name: str, *args: str) -> list[str]:
    return languages.native(f"postwire-example-{language}-{name}", *args)


@pytest.mark.parametrize("language", LANGUAGES)
def test_consumer_receives_what_the_producer_sent(
    language: str, languages: Languages, amqp_url: str, created: Created, tmp_path: Path
) -> None:
    queue = unique(f"{language}-orders")
    created.queues.append(queue)
    count = 7

    sent = run(
        languages,
        example(languages, language, "producer", amqp_url, queue, str(count)),
        cwd=tmp_path,
    ).splitlines()
    assert sent[0] == f"{count} confirmed, 0 failed"
    assert json.loads(sent[1])["confirmed"] == count  # the client's stats

    received = run(
        languages,
        example(languages, language, "consumer", amqp_url, queue, str(count)),
        cwd=tmp_path,
    ).splitlines()
    assert received[-1] == f"{count} received"
    line = re.compile(
        r"(?P<body>message \d+ of \d+) \(key (?P<key>\S+), id (?P<id>\S+), "
        r"delivery (?P<delivery>\d+), example-source (?P<source>\S+)\)"
    )
    matches = [line.fullmatch(text) for text in received[:-1]]
    assert all(matches), received
    messages = [match.groupdict() for match in matches if match]
    assert sorted((m["body"], m["key"]) for m in messages) == sorted(
        (f"message {i + 1} of {count}", f"customer-{i % 3}") for i in range(count)
    )
    assert {m["source"] for m in messages} == {f"{language}-producer"}  # the header
    assert {m["delivery"] for m in messages} == {"1"}
    assert len({m["id"] for m in messages}) == count  # each send got its own id
    # Messages with one key keep their order.
    for key in {m["key"] for m in messages}:
        bodies = [m["body"] for m in messages if m["key"] == key]
        assert bodies == sorted(bodies, key=lambda body: int(body.split()[1])), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_dlq_retries_one_order_and_dead_letters_the_invalid_one(
    language: str, languages: Languages, amqp_url: str, created: Created, tmp_path: Path
) -> None:
    queue = unique(f"{language}-dlq")
    # The nack's delay waits in a queue of its own (docs/rabbitmq.md).
    created.queues += [queue, f"{queue}.dlq", f"pw.delay.{queue}.200"]

    output = run(languages, example(languages, language, "dlq", amqp_url, queue), cwd=tmp_path)
    lines = output.splitlines()
    retry = "retrying order-3 (delivery 1): warehouse unavailable"
    retried = "processed order-3 (delivery 2)"
    dead_letter = "dlq: order-2 reason=quantity must be positive"
    assert sorted(lines) == sorted(
        [
            "processed order-1 (delivery 1)",
            "dead-lettered order-2: quantity must be positive",
            retry,
            "processed order-4 (delivery 1)",
            retried,
            dead_letter,
        ]
    )
    assert lines.index(retry) < lines.index(retried)
    # The dead letter was read back from QUEUE.dlq, its reason from pw-dead-letter-reason.
    assert lines[-1] == dead_letter


@pytest.mark.parametrize("language", LANGUAGES)
def test_priority_jobs_come_out_high_first(
    language: str, languages: Languages, amqp_url: str, created: Created, tmp_path: Path
) -> None:
    queue = unique(f"{language}-priority")
    created.queues.append(queue)

    lines = run(languages, example(languages, language, "priority", amqp_url, queue), cwd=tmp_path)
    # Sent low-1..3 first, then high-1..3; each priority keeps its own order.
    assert lines.splitlines() == [
        "received high-1 (priority 9)",
        "received high-2 (priority 9)",
        "received high-3 (priority 9)",
        "received low-1 (priority 1)",
        "received low-2 (priority 1)",
        "received low-3 (priority 1)",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_topic_each_service_gets_the_events_its_pattern_selects(
    language: str, languages: Languages, amqp_url: str, created: Created, tmp_path: Path
) -> None:
    exchange = unique(f"{language}-events")
    prefix = unique(f"{language}-topic")
    created.queues += [f"{prefix}.{service}" for service in ("billing", "shipping", "audit")]
    created.exchanges.append(exchange)

    output = run(
        languages, example(languages, language, "topic", amqp_url, exchange, prefix), cwd=tmp_path
    )
    line = re.compile(r"(?P<service>\w+) \((?P<pattern>[^)]+)\):(?P<events>.*)")
    got: dict[tuple[str, str], list[str]] = {}
    for text in output.splitlines():
        match = line.fullmatch(text)
        assert match, text
        got[(match["service"], match["pattern"])] = sorted(match["events"].split())
    assert got == {
        ("billing", "order.*"): sorted(["order.created", "order.paid", "order.cancelled"]),
        ("shipping", "order.paid"): ["order.paid"],
        ("audit", "#"): sorted(["order.created", "order.paid", "order.cancelled", "user.signup"]),
    }
