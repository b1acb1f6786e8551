"""examples/java, run as a user runs them (`java -cp java/target/postwire-0.1.0.jar
examples/java/X.java URL NAMES...`, the JDK's source-file mode) against RabbitMQ, each on
queues and exchanges of its own."""

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

# The program of each scenario.
SCENARIOS = {"dlq": "DeadLetterExample", "priority": "PriorityExample", "topic": "TopicExample"}


def example(languages: Languages, name: str, *args: str) -> list[str]:
    """The command line that runs examples/java/NAME.java."""
    return languages.java(f"examples/java/{name}.java", *args)


def test_producer_and_consumer_round_trip(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue("java-example")
    sent = run(languages, example(languages, "ProducerExample", amqp_url, queue, "5"), cwd=tmp_path)
    confirmed = re.findall(rf"^confirmed (\S+) to {re.escape(queue)}$", sent, re.M)
    assert len(confirmed) == 5, sent
    assert sent.splitlines()[-1] == "sent 5 messages, 5 confirmed", sent

    received = run(
        languages, example(languages, "ConsumerExample", amqp_url, queue, "5"), cwd=tmp_path
    )
    orders = re.findall(r"^received (order \d+) \(id (\S+), delivery (\d+)\)$", received, re.M)
    # The consumer got each message the producer had confirmed, once, on its first delivery.
    assert sorted(body for body, _, _ in orders) == [f"order {n}" for n in range(1, 6)], received
    assert sorted(message_id for _, message_id, _ in orders) == sorted(confirmed), received
    assert {delivery for _, _, delivery in orders} == {"1"}, received
    assert received.splitlines()[-1] == "received 5 messages", received


def test_dead_letter_example_retries_a_transient_failure_and_dead_letters_an_invalid_order(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = dlq_queue(broker, "java-dlq")
    output = run(languages, example(languages, SCENARIOS["dlq"], amqp_url, queue), cwd=tmp_path)
    check_dlq(output, broker, queue)


def test_priority_example_hands_out_high_priority_jobs_first(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue("java-priority")
    output = run(
        languages, example(languages, SCENARIOS["priority"], amqp_url, queue), cwd=tmp_path
    )
    check_priority(output, broker, queue)


def test_topic_example_gives_each_service_the_events_its_pattern_selects(
    amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    exchange, prefix = topic_names(broker, "java-topic")
    output = run(
        languages,
        example(languages, SCENARIOS["topic"], amqp_url, exchange, prefix),
        cwd=tmp_path,
    )
    check_topic(output, broker, exchange, prefix)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_scenario_without_arguments_prints_its_usage(
    scenario: str, languages: Languages, tmp_path: Path
) -> None:
    check_usage(languages, scenario, example(languages, SCENARIOS[scenario]), tmp_path)
