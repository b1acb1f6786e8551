"""examples/java, run as a user runs them (`java -cp java/target/postwire-0.1.0.jar
examples/java/X.java URL NAMES...`, the JDK's source-file mode) against RabbitMQ, each on
queues and exchanges of its own."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Languages, run, unique
from example_scenarios import (
    check_dlq,
    check_priority,
    check_topic,
    dlq_queues,
    removing,
    topic_queues,
)


def test_producer_and_consumer_round_trip(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    queue = unique("java-example")
    with removing(amqp_url, queues=[queue]):
        sent = run(
            languages,
            languages.java("examples/java/ProducerExample.java", amqp_url, queue, "5"),
            cwd=tmp_path,
        )
        confirmed = re.findall(rf"^confirmed (\S+) to {re.escape(queue)}$", sent, re.M)
        assert len(confirmed) == 5, sent
        assert sent.splitlines()[-1] == "sent 5 messages, 5 confirmed", sent

        received = run(
            languages,
            languages.java("examples/java/ConsumerExample.java", amqp_url, queue, "5"),
            cwd=tmp_path,
        )
        orders = re.findall(r"^received (order \d+) \(id (\S+), delivery (\d+)\)$", received, re.M)
        # The consumer got each message the producer had confirmed, once, on its first delivery.
        assert sorted(body for body, _, _ in orders) == [f"order {n}" for n in range(1, 6)], (
            received
        )
        assert sorted(message_id for _, message_id, _ in orders) == sorted(confirmed), received
        assert {delivery for _, _, delivery in orders} == {"1"}, received
        assert received.splitlines()[-1] == "received 5 messages", received


def test_dead_letter_example_retries_a_transient_failure_and_dead_letters_an_invalid_order(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    queue = unique("java-dlq")
    with removing(amqp_url, queues=dlq_queues(queue)):
        output = run(
            languages,
            languages.java("examples/java/DeadLetterExample.java", amqp_url, queue),
            cwd=tmp_path,
        )
        check_dlq(output)


def test_priority_example_hands_out_high_priority_jobs_first(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    queue = unique("java-priority")
    with removing(amqp_url, queues=[queue]):
        output = run(
            languages,
            languages.java("examples/java/PriorityExample.java", amqp_url, queue),
            cwd=tmp_path,
        )
        check_priority(output)


def test_topic_example_gives_each_service_the_events_its_pattern_selects(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    exchange = unique("java-topic")
    prefix = unique("java-topic-service")
    with removing(amqp_url, queues=topic_queues(prefix), exchanges=[exchange]):
        output = run(
            languages,
            languages.java("examples/java/TopicExample.java", amqp_url, exchange, prefix),
            cwd=tmp_path,
        )
        check_topic(output)
