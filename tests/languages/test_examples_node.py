"""examples/node, run as a user runs them (`node examples/node/X.js URL NAMES...`) against
RabbitMQ, each on queues and exchanges of its own."""

from __future__ import annotations

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


def example(languages: Languages, name: str, *args: str) -> list[str]:
    """The command line that runs examples/node/NAME.js."""
    return languages.node(f"examples/node/{name}.js", *args)


def test_producer_and_consumer_round_trip(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue("node-example")
    sent = run(languages, example(languages, "producer", amqp_url, queue, "10"), cwd=tmp_path)
    assert re.search(r"^confirmed 10 messages, last id \S+$", sent, re.M), sent

    received = run(languages, example(languages, "consumer", amqp_url, queue, "10"), cwd=tmp_path)
    orders = re.findall(r"^order (\d+) \(key (\S+), delivery (\d+)\)$", received, re.M)
    # Every order arrived once, with the key it was sent with, on its first delivery.
    assert sorted(orders, key=lambda order: int(order[0])) == [
        (str(n), f"customer-{n % 3}", "1") for n in range(10)
    ], received
    assert received.splitlines()[-1] == "received 10 messages", received


def test_dlq_retries_a_transient_failure_and_dead_letters_an_invalid_order(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = dlq_queue(broker, "node-dlq")
    output = run(languages, example(languages, "dlq", amqp_url, queue), cwd=tmp_path)
    check_dlq(output, broker, queue)


def test_priority_hands_out_high_priority_jobs_first(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue("node-priority")
    output = run(languages, example(languages, "priority", amqp_url, queue), cwd=tmp_path)
    check_priority(output, broker, queue)


def test_topic_gives_each_service_the_events_its_pattern_selects(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    exchange, prefix = topic_names(broker, "node-topic")
    output = run(languages, example(languages, "topic", amqp_url, exchange, prefix), cwd=tmp_path)
    check_topic(output, broker, exchange, prefix)


@pytest.mark.parametrize("scenario", ["dlq", "priority", "topic"])
def test_scenario_without_arguments_prints_its_usage(
    scenario: str, languages: Languages, tmp_path: Path
) -> None:
    check_usage(languages, scenario, example(languages, scenario), tmp_path)
