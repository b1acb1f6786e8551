"""Brokers for the tests: POSTWIRE_BROKERS names them (default amqp,kafka,sqs), ci/brokers
starts them and exports POSTWIRE_TEST_<NAME>_URL.

Tests taking the ``url`` fixture run on every listed broker whose transport exists. A test of
behaviour some broker lacks names the brokers that have it with ``@only_on("amqp", why=...)``,
the reason being what the others lack (their capabilities()). For the brokers whose transport
has not landed yet, test_transports.py checks that connecting is refused with not_supported;
when a transport lands, it moves to WITH_TRANSPORT and every test runs on it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from typing import TypeVar

import postwire
import pytest
from postwire import OptionValue

KNOWN_BROKERS = ("amqp", "kafka", "sqs")
WITH_TRANSPORT = ("amqp", "kafka")

Test = TypeVar("Test", bound=Callable[..., object])


def only_on(*brokers: str, why: str) -> Callable[[Test], Test]:
    """Runs the test only on ``brokers``; ``why`` says what the other brokers lack."""
    unknown = [b for b in brokers if b not in KNOWN_BROKERS]
    if unknown or not why:
        raise ValueError(f"only_on needs known brokers and a reason, got {brokers!r}, {why!r}")
    return pytest.mark.only_on(brokers=brokers, why=why)


def listed_brokers() -> list[str]:
    listed = os.environ.get("POSTWIRE_BROKERS") or ",".join(KNOWN_BROKERS)
    return [name.strip() for name in listed.split(",") if name.strip()]


def broker_url(name: str) -> str:
    if name not in KNOWN_BROKERS:
        pytest.fail(f"POSTWIRE_BROKERS names {name!r}; known brokers: {', '.join(KNOWN_BROKERS)}")
    variable = f"POSTWIRE_TEST_{name.upper()}_URL"
    url = os.environ.get(variable)
    if not url:
        pytest.fail(
            f"{variable} is not set: start the brokers with ci/brokers up and eval ci/brokers env"
        )
    return url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "only_on(brokers, why): runs the test only on those brokers (see only_on)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    brokers = listed_brokers()
    if "broker" in metafunc.fixturenames:
        limited = metafunc.definition.get_closest_marker("only_on")
        allowed = limited.kwargs["brokers"] if limited is not None else KNOWN_BROKERS
        metafunc.parametrize(
            "broker",
            [
                b
                for b in brokers
                if (b in WITH_TRANSPORT and b in allowed) or b not in KNOWN_BROKERS
            ],
        )
    if "pending_broker" in metafunc.fixturenames:
        metafunc.parametrize(
            "pending_broker", [b for b in brokers if b in KNOWN_BROKERS and b not in WITH_TRANSPORT]
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A parameter list left empty by POSTWIRE_BROKERS means "not asked for": deselect those
    # tests rather than report them as skipped.
    empty = [
        item
        for item in items
        if any(
            str(marker.kwargs.get("reason", "")).startswith("got empty parameter set")
            for marker in item.iter_markers("skip")
        )
    ]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [item for item in items if item not in empty]


@pytest.fixture
def url(broker: str) -> str:
    return broker_url(broker)


@pytest.fixture
def client(url: str) -> Iterator[postwire.Client]:
    with postwire.connect(url) as client:
        yield client


# Every name unique() gave out, so that the Kafka topics made under them can be deleted at the
# end of the session: a topic is never deleted by the broker on its own (RabbitMQ's test queues
# are non-durable or auto-deleted instead).
_named: list[str] = []


def unique(prefix: str) -> str:
    name = f"py-{prefix}-{uuid.uuid4().hex[:12]}"
    _named.append(name)
    return name


def is_kafka(url: str) -> bool:
    return url.startswith(("kafka://", "kafka+tls://"))


def queue_options(url: str, **rabbitmq: OptionValue) -> dict[str, OptionValue]:
    """The declare options of a test's own queue: on RabbitMQ those given (not durable, often
    auto-deleted, so nothing outlives the run); none on Kafka, whose topics are always durable
    and are deleted when the session ends."""
    return {} if is_kafka(url) else rabbitmq


@pytest.fixture(scope="session", autouse=True)
def _delete_kafka_topics() -> Iterator[None]:
    yield
    url = os.environ.get("POSTWIRE_TEST_KAFKA_URL")
    if "kafka" not in listed_brokers() or not url or not _named:
        return
    with contextlib.suppress(postwire.PostwireError), postwire.connect(url) as client:
        for name in _named:
            for topic in (name, f"{name}.dlq"):
                with contextlib.suppress(postwire.PostwireError):
                    client.delete_queue(topic)


@pytest.fixture
def queue(client: postwire.Client, url: str) -> Iterator[str]:
    """A fresh queue, deleted (with its dead-letter queue) afterwards."""
    name = unique("q")
    client.declare_queue(name, **queue_options(url, durable=False))
    yield name
    for leftover in (name, f"{name}.dlq"):
        with contextlib.suppress(postwire.PostwireError):
            client.delete_queue(leftover)
