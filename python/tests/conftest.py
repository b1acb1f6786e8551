"""Brokers for the tests: POSTWIRE_BROKERS names them (default amqp,kafka,sqs), ci/brokers
starts them and exports POSTWIRE_TEST_<NAME>_URL.

Tests taking the ``url`` fixture run on every listed broker whose transport exists. For the
brokers whose transport has not landed yet, test_transports.py checks that connecting is
refused with not_supported; when a transport lands, it moves to WITH_TRANSPORT and every test
runs on it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import postwire
import pytest

KNOWN_BROKERS = ("amqp", "kafka", "sqs")
WITH_TRANSPORT = ("amqp",)


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    brokers = listed_brokers()
    if "broker" in metafunc.fixturenames:
        metafunc.parametrize(
            "broker", [b for b in brokers if b in WITH_TRANSPORT or b not in KNOWN_BROKERS]
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


def unique(prefix: str) -> str:
    return f"py-{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def queue(client: postwire.Client) -> Iterator[str]:
    """A fresh queue, deleted (with its dead-letter queue) afterwards."""
    name = unique("q")
    client.declare_queue(name, durable=False)
    yield name
    for leftover in (name, f"{name}.dlq"):
        with contextlib.suppress(postwire.PostwireError):
            client.delete_queue(leftover)
