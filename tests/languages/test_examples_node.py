"""examples/node, run as a user runs them (`node examples/node/X.js URL NAMES...`) against
RabbitMQ, each on queues and exchanges of its own."""

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
    queue = unique("node-example")
    with removing(amqp_url, queues=[queue]):
        sent = run(
            languages,
            languages.node("examples/node/producer.js", amqp_url, queue, "10"),
            cwd=tmp_path,
        )
        assert re.search(r"^confirmed 10 messages, last id \S+$", sent, re.M), sent

        received = run(
            languages,
            languages.node("examples/node/consumer.js", amqp_url, queue, "10"),
            cwd=tmp_path,
        )
        orders = re.findall(r"^order (\d+) \(key (\S+), delivery (\d+)\)$", received, re.M)
        # Every order arrived once, with the key it was sent with, on its first delivery.
        assert sorted(orders, key=lambda order: int(order[0])) == [
            (str(n), f"customer-{n % 3}", "1") for n in range(10)
        ], received
        assert received.splitlines()[-1] == "received 10 messages", received


def test_dlq_retries_a_transient_failure_and_dead_letters_an_invalid_order(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    queue = unique("node-dlq")
    with removing(amqp_url, queues=dlq_queues(queue)):
        output = run(
            languages, languages.node("examples/node/dlq.js", amqp_url, queue), cwd=tmp_path
        )
        check_dlq(output)


def test_priority_hands_out_high_priority_jobs_first(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    queue = unique("node-priority")
    with removing(amqp_url, queues=[queue]):
        output = run(
            languages, languages.node("examples/node/priority.js", amqp_url, queue), cwd=tmp_path
        )
        check_priority(output)


def test_topic_gives_each_service_the_events_its_pattern_selects(
    amqp_url: str, languages: Languages, tmp_path: Path
) -> None:
    exchange = unique("node-topic")
    prefix = unique("node-topic-service")
    with removing(amqp_url, queues=topic_queues(prefix), exchanges=[exchange]):
        output = run(
            languages,
            languages.node("examples/node/topic.js", amqp_url, exchange, prefix),
            cwd=tmp_path,
        )
        check_topic(output)
