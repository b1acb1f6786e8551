"""Interop on RabbitMQ: what postwire sends, pika reads byte for byte, and the reverse.

pika is the plain AMQP 0-9-1 client here: it knows nothing of postwire, so these tests hold
postwire to its envelope (docs/envelope.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pika
import postwire
import pytest
from conftest import WITH_TRANSPORT, listed_brokers, unique

BINARY = bytes(range(256)) + b"\x00\xff" * 100


@pytest.fixture
def amqp_url() -> str:
    if "amqp" not in listed_brokers() or "amqp" not in WITH_TRANSPORT:
        pytest.fail("the interop tests need amqp in POSTWIRE_BROKERS")
    url = os.environ.get("POSTWIRE_TEST_AMQP_URL")
    if not url:
        pytest.fail("POSTWIRE_TEST_AMQP_URL is not set (ci/brokers env)")
    return url


@pytest.fixture
def channel(amqp_url: str) -> Iterator[pika.adapters.blocking_connection.BlockingChannel]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    yield connection.channel()
    connection.close()


def pika_get(
    channel: pika.adapters.blocking_connection.BlockingChannel, queue: str
) -> tuple[pika.spec.BasicProperties, bytes]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is not None:
            return properties, body
        time.sleep(0.02)
    pytest.fail(f"pika received nothing from {queue}")


def as_bytes(value: object) -> bytes:
    """pika hands back UTF-8 header values as str and others as bytes."""
    return value.encode() if isinstance(value, str) else bytes(value)  # type: ignore[call-overload]


def test_pika_reads_what_postwire_sends(
    amqp_url: str, channel: pika.adapters.blocking_connection.BlockingChannel
) -> None:
    queue = unique("interop-to-pika")
    headers: dict[str, str | bytes] = {"binary": b"\x00\x01\xfe\xff", "text": "grüße"}
    with postwire.connect(amqp_url) as client:
        client.declare_queue(queue, durable=False, auto_delete=False)
        client.producer().send(
            queue,
            BINARY,
            key=b"customer-7",
            headers=headers,
            id="order-from-postwire",
            content_type="application/octet-stream",
        ).result(10)
        properties, body = pika_get(channel, queue)
        client.delete_queue(queue)
    assert body == BINARY
    assert properties.message_id == "order-from-postwire"
    assert properties.content_type == "application/octet-stream"
    assert properties.delivery_mode == 2  # persistent by default
    headers = properties.headers or {}
    assert as_bytes(headers["binary"]) == b"\x00\x01\xfe\xff"
    assert as_bytes(headers["text"]) == "grüße".encode()
    assert as_bytes(headers["pw-key"]) == b"customer-7"


def test_postwire_reads_what_pika_sends(
    amqp_url: str, channel: pika.adapters.blocking_connection.BlockingChannel
) -> None:
    queue = unique("interop-from-pika")
    channel.queue_declare(queue, durable=False)
    channel.confirm_delivery()
    channel.basic_publish(
        "",
        queue,
        BINARY,
        pika.BasicProperties(
            message_id="order-from-pika",
            content_type="application/x-order",
            headers={"binary": b"\x00\x01\xfe\xff", "text": "ja", "count": 42, "flag": True},
            timestamp=1_700_000_000,
            delivery_mode=2,
        ),
    )
    with postwire.connect(amqp_url) as client, client.subscribe(queue) as consumer:
        message = consumer.poll(10)
        assert message is not None
        assert message.body == BINARY
        assert message.id == "order-from-pika"
        assert message.content_type == "application/x-order"
        assert message.header("binary") == b"\x00\x01\xfe\xff"
        assert message.header("text") == b"ja"
        assert message.header("count") == b"42"  # typed values arrive as text (envelope.md)
        assert message.header("flag") == b"true"
        assert message.key is None  # the default exchange's routing key is only the queue name
        assert message.timestamp_ms == 1_700_000_000_000
        assert message.delivery_count == 1
        message.ack()
        client.delete_queue(queue)
