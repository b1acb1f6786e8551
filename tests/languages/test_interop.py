"""Cross-language interop on RabbitMQ, byte for byte (ci/test interop).

Every ordered pair of C++, Python, Node.js and Java (each language to itself too) sends the
same messages through a queue: one program sends them, the other receives them, and what it
received must equal what was sent, byte for byte, with delivery count 1. The programs are
tests/languages/interop/*, which read and print messages in the line format of its README.

The messages: a binary body holding every byte value and random bytes, with a binary key,
headers with binary values and an id; a large, compressible body above
compression.threshold.bytes (16384 by default), which the sender compresses; and one with only
an id and an empty body. A raw AMQP client (pika) reads what each language sends, to show the
large body really travels compressed (docs/envelope.md). Messages published by plain AMQP
clients (pika, amqplib) with standard properties only are received by each language.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pika
import postwire
import pytest
from conftest import Languages, run, unique

INTEROP = Path("tests/languages/interop")
LANGUAGES = ["cpp", "python", "node", "java"]
# The first bytes of every zstd frame (RFC 8878, section 3.1.1).
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# The default compression.threshold.bytes (docs/configuration.md).
COMPRESSION_THRESHOLD = 16384


@dataclass(frozen=True)
class Spec:
    """A message as the interop programs read and print it."""

    id: str
    body: bytes = b""
    key: bytes | None = None
    content_type: str | None = None
    headers: tuple[tuple[str, bytes], ...] = ()
    delivery_count: int | None = None  # printed by receivers only


def format_specs(specs: list[Spec]) -> str:
    lines: list[str] = []
    for spec in specs:
        lines.append(f"id {spec.id}")
        if spec.key is not None:
            lines.append(f"key {spec.key.hex()}")
        if spec.content_type is not None:
            lines.append(f"content-type {spec.content_type}")
        lines.extend(f"header {name} {value.hex()}" for name, value in spec.headers)
        lines.append(f"body {spec.body.hex()}")
        lines.append("end")
    return "\n".join(lines) + "\n"


def parse_specs(text: str) -> list[Spec]:
    specs: list[Spec] = []
    fields: dict[str, str] = {}
    headers: list[tuple[str, bytes]] = []
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name == "header":
            header, _, hex_value = value.partition(" ")
            headers.append((header, bytes.fromhex(hex_value)))
        elif name == "end":
            specs.append(
                Spec(
                    id=fields["id"],
                    body=bytes.fromhex(fields["body"]),
                    key=bytes.fromhex(fields["key"]) if "key" in fields else None,
                    content_type=fields.get("content-type"),
                    headers=tuple(headers),
                    delivery_count=int(fields["delivery-count"]),
                )
            )
            fields, headers = {}, []
        else:
            assert name in ("id", "key", "content-type", "body", "delivery-count"), line[:80]
            fields[name] = value
    assert not fields and not headers, "the output ends inside a message"
    return specs


def differences(expected: list[Spec], received: list[Spec]) -> list[str]:
    """What differs between the messages, field by field, keyed by id: a short account
    instead of a diff of hundreds of kilobytes of bodies."""
    found: list[str] = []
    by_id = {spec.id: spec for spec in received}
    if len(received) != len(expected) or len(by_id) != len(received):
        found.append(f"received ids {[s.id for s in received]}, sent {[s.id for s in expected]}")
    for want in expected:
        got = by_id.get(want.id)
        if got is None:
            found.append(f"{want.id}: not received")
            continue
        for field in ("key", "content_type", "headers", "delivery_count"):
            if getattr(got, field) != getattr(want, field):
                found.append(
                    f"{want.id}: {field} {getattr(got, field)!r}, sent {getattr(want, field)!r}"
                )
        if got.body != want.body:
            first = next(
                (i for i, (a, b) in enumerate(zip(got.body, want.body, strict=False)) if a != b),
                min(len(got.body), len(want.body)),
            )
            found.append(
                f"{want.id}: body of {len(got.body)} bytes, sent {len(want.body)}, "
                f"first difference at byte {first}"
            )
    return found


RUN = uuid.uuid4().hex[:8]
BINARY = Spec(
    id=f"interop-binary-{RUN}",
    body=bytes(range(256)) + os.urandom(4096),
    key=b"\x00key\xff" + os.urandom(16),
    content_type="application/octet-stream",
    headers=(
        ("every-byte", bytes(range(256))),
        ("random", os.urandom(64)),
        ("text", "grüße".encode()),
        ("empty", b""),
        ("prüfung", b"\xff\x00"),
    ),
)
LARGE = Spec(
    id=f"interop-large-{RUN}",
    # About 300 KB of text with little variety: zstd shrinks it many times over.
    body=b"".join(f"line {n:06d}: the same words again\n".encode() for n in range(9000))
    + os.urandom(256),
    key=b"large",
    content_type="text/plain; charset=utf-8",
    headers=(("part", b"2"),),
)
EMPTY = Spec(id=f"interop-empty-{RUN}")
SENT = [BINARY, LARGE, EMPTY]
# What a plain AMQP client publishes: standard properties only (message_id, content_type).
PLAIN = Spec(
    id=f"interop-plain-{RUN}",
    body=bytes(range(255, -1, -1)) + os.urandom(1024),
    content_type="application/x-plain",
)


def peer(languages: Languages, language: str, *args: str) -> list[str]:
    """The command line of the interop program of `language`."""
    if language == "cpp":
        return languages.native("postwire-interop-peer", *args)
    if language == "python":
        return languages.python(INTEROP / "peer.py", *args)
    if language == "node":
        return languages.node(INTEROP / "peer.js", *args)
    return languages.java(INTEROP / "InteropPeer.java", *args)


@pytest.fixture(scope="module")
def admin(amqp_url: str) -> Iterator[postwire.Client]:
    """Declares and deletes the queues of the tests."""
    with postwire.connect(amqp_url) as client:
        yield client


@pytest.fixture
def queue(admin: postwire.Client) -> Iterator[str]:
    name = unique("interop")
    admin.declare_queue(name, durable=False)
    yield name
    admin.delete_queue(name)


def receive(
    languages: Languages,
    language: str,
    amqp_url: str,
    queue: str,
    count: int,
    cwd: Path,
    admin: postwire.Client,
) -> list[Spec]:
    """The messages the program of `language` received from `queue`, which it acked: none is
    left in the queue once it has exited."""
    output = run(
        languages, peer(languages, language, "receive", amqp_url, queue, str(count)), cwd=cwd
    )
    assert admin.declare_queue(queue, durable=False).message_count == 0
    return parse_specs(output)


@pytest.mark.parametrize("receiver", LANGUAGES)
@pytest.mark.parametrize("sender", LANGUAGES)
def test_messages_cross_from_sender_to_receiver_unchanged(
    sender: str,
    receiver: str,
    amqp_url: str,
    queue: str,
    admin: postwire.Client,
    languages: Languages,
    tmp_path: Path,
) -> None:
    run(
        languages,
        peer(languages, sender, "send", amqp_url, queue),
        cwd=tmp_path,
        stdin=format_specs(SENT),
    )
    received = receive(languages, receiver, amqp_url, queue, len(SENT), tmp_path, admin)
    assert differences([replace(spec, delivery_count=1) for spec in SENT], received) == []


@pytest.mark.parametrize("sender", LANGUAGES)
def test_sender_compresses_large_bodies_on_the_wire(
    sender: str, amqp_url: str, queue: str, languages: Languages, tmp_path: Path
) -> None:
    run(
        languages,
        peer(languages, sender, "send", amqp_url, queue),
        cwd=tmp_path,
        stdin=format_specs([BINARY, LARGE]),
    )
    raw: dict[str, tuple[pika.BasicProperties, bytes]] = {}
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        for method, properties, body in channel.consume(
            queue, auto_ack=True, inactivity_timeout=30
        ):
            assert method is not None, f"pika received {len(raw)} of 2 messages"
            raw[properties.message_id] = (properties, body)
            if len(raw) == 2:
                break
        channel.cancel()
    finally:
        connection.close()

    properties, body = raw[LARGE.id]
    assert len(LARGE.body) > COMPRESSION_THRESHOLD
    assert properties.content_encoding == "zstd"
    assert properties.content_type == LARGE.content_type  # describes the decompressed body
    assert body.startswith(ZSTD_MAGIC)
    assert len(body) < len(LARGE.body) // 10
    # Any zstd decoder restores it: here the zstd command, which is not postwire's code.
    decoded = subprocess.run(
        ["zstd", "--decompress", "--stdout"], input=body, capture_output=True, check=True
    ).stdout
    assert decoded == LARGE.body

    # Below the threshold the body travels as it is, without the marking.
    properties, body = raw[BINARY.id]
    assert len(BINARY.body) < COMPRESSION_THRESHOLD
    assert properties.content_encoding is None
    assert body == BINARY.body


@pytest.mark.parametrize("receiver", LANGUAGES)
@pytest.mark.parametrize("publisher", ["pika", "amqplib"])
def test_plain_amqp_client_message_is_received(
    publisher: str,
    receiver: str,
    amqp_url: str,
    queue: str,
    admin: postwire.Client,
    languages: Languages,
    tmp_path: Path,
) -> None:
    if publisher == "pika":
        connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            channel.basic_publish(
                "",
                queue,
                PLAIN.body,
                pika.BasicProperties(
                    message_id=PLAIN.id, content_type=PLAIN.content_type, delivery_mode=2
                ),
                mandatory=True,
            )
        finally:
            connection.close()
    else:
        run(
            languages,
            languages.node(INTEROP / "amqplib_send.js", amqp_url, queue),
            cwd=tmp_path,
            stdin=format_specs([PLAIN]),
        )
    received = receive(languages, receiver, amqp_url, queue, 1, tmp_path, admin)
    # No key (the default exchange's routing key is only the queue name) and no headers.
    assert differences([replace(PLAIN, delivery_count=1)], received) == []
