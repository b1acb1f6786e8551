"""The C and C++ examples (examples/c, examples/cpp) against RabbitMQ, run as a user runs them:
the producer and consumer round trip and the three scenarios (dlq, priority, topic), each
checked by what the program prints and leaves on the broker. The two languages tell the same
stories in the same words, so every test runs once per language."""

from __future__ import annotations

import json
import re
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

LANGUAGES = ["c", "cpp"]


def example(languages: Languages, language: str, name: str, *args: str) -> list[str]:
    return languages.native(f"postwire-example-{language}-{name}", *args)


@pytest.mark.parametrize("language", LANGUAGES)
def test_consumer_receives_what_the_producer_sent(
    language: str, languages: Languages, amqp_url: str, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue(f"{language}-orders")
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
    language: str, languages: Languages, amqp_url: str, broker: Broker, tmp_path: Path
) -> None:
    queue = dlq_queue(broker, f"{language}-dlq")
    output = run(languages, example(languages, language, "dlq", amqp_url, queue), cwd=tmp_path)
    check_dlq(output, broker, queue)


@pytest.mark.parametrize("language", LANGUAGES)
def test_priority_jobs_come_out_high_first(
    language: str, languages: Languages, amqp_url: str, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue(f"{language}-priority")
    output = run(languages, example(languages, language, "priority", amqp_url, queue), cwd=tmp_path)
    check_priority(output, broker, queue)


@pytest.mark.parametrize("language", LANGUAGES)
def test_topic_each_service_gets_the_events_its_pattern_selects(
    language: str, languages: Languages, amqp_url: str, broker: Broker, tmp_path: Path
) -> None:
    exchange, prefix = topic_names(broker, f"{language}-topic")
    output = run(
        languages, example(languages, language, "topic", amqp_url, exchange, prefix), cwd=tmp_path
    )
    check_topic(output, broker, exchange, prefix)


@pytest.mark.parametrize("scenario", ["dlq", "priority", "topic"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_scenario_without_arguments_prints_its_usage(
    language: str, scenario: str, languages: Languages, tmp_path: Path
) -> None:
    check_usage(languages, scenario, example(languages, language, scenario), tmp_path)
