"""Kafka interop with the clients people run beside postwire (ci/test interop, when kafka is in
POSTWIRE_BROKERS): Apache Kafka's Java client (tests/languages/interop/KafkaPeer.java) and
librdkafka (confluent-kafka from PyPI, which bundles it), both ways, with every record batch
codec.

- postwire sends with compression.codec=CODEC; the other client reads every record back with
  exactly the key, value and headers sent, plus postwire's pw-id header with the message id
  (docs/envelope.md), at the partition and offset postwire's delivery report named. The
  batches as the broker stored them carry CODEC (read from the node's log segments).
- The other client sends with CODEC; postwire's partition read receives each record byte for
  byte at the partition and offset that client was told.
- Keyed records land where the Java client puts the same keys (10,000 keys, 7 partitions).

The messages: binary keys (every byte value), headers with binary, empty and repeated names
in order, bodies of 0 bytes to 300 KB (a compressible one, so that a codec that was not applied
shows in the stored size), and a run of small keyed records that share batches.
"""

from __future__ import annotations

import base64
import json
import os
import random
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import confluent_kafka
import postwire
import pytest
from conftest import ROOT, Languages, run, unique

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
# The codec numbers of a record batch's attributes (Kafka's protocol guide, "Record Batch":
# bits 0-2 of attributes).
CODEC_IDS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
KAFKA_PEER = ROOT / "tests/languages/interop/KafkaPeer.java"
# A guard against a peer that hangs, not a measurement.
PEER_TIMEOUT_S = 180


@dataclass(frozen=True)
class Record:
    """A Kafka record as the tests send and compare it. Header values are bytes; postwire has
    no null header value, so a null sent by another client arrives as b""."""

    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()


def _records() -> list[Record]:
    rng = random.Random(20_240_917)

    def noise(n: int) -> bytes:
        return bytes(rng.getrandbits(8) for _ in range(n))

    records = [
        Record(
            key=b"\x00key\xff" + bytes(range(256)),
            value=bytes(range(256)) + noise(4096),
            headers=(
                ("every-byte", bytes(range(256))),
                ("empty", b""),
                ("text", "grüße".encode()),
                ("twice", b"first"),
                ("twice", b"second"),
            ),
        ),
        Record(key=None, value=b""),
        Record(
            key=b"large",
            # About 300 KB of text with little variety: every codec shrinks it many times over.
            value=b"".join(f"line {n:06d}: the same words again\n".encode() for n in range(9000)),
            headers=(("part", b"2"),),
        ),
        Record(key=None, value=noise(100_000), headers=(("random", noise(32)),)),
    ]
    # Small keyed records that share batches (several records per batch, several batches).
    records += [
        Record(key=f"k-{i % 5}".encode(), value=noise(i * 37), headers=(("n", str(i).encode()),))
        for i in range(60)
    ]
    return records


RECORDS = _records()
LARGE_BODY = len(RECORDS[2].value)
OTHER_BYTES = sum(len(r.value) + len(r.key or b"") for r in RECORDS) - LARGE_BODY


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f'{name} is not set: load it with eval "$(ci/brokers env kafka)"')
    return value


@pytest.fixture(scope="module")
def kafka_url() -> str:
    return required_env("POSTWIRE_TEST_KAFKA_URL")


@pytest.fixture(scope="module")
def bootstrap(kafka_url: str) -> str:
    """host:port,... for the other clients."""
    return kafka_url.removeprefix("kafka://").rstrip("/")


@pytest.fixture(scope="module")
def admin(kafka_url: str) -> Iterator[postwire.Client]:
    with postwire.connect(kafka_url) as client:
        yield client


@pytest.fixture(scope="module")
def kafka_jars() -> str:
    """The class path of Kafka's Java client: the jars the broker runs from."""
    folder = subprocess.run(
        [str(ROOT / "ci/lib/fetch-jars"), "kafka"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return f"{folder}/*"


class Topics:
    """Topics of one test, deleted when it ends."""

    def __init__(self, admin: postwire.Client) -> None:
        self._admin = admin
        self.names: list[str] = []

    def make(self, prefix: str, partitions: int) -> str:
        name = unique(prefix)
        self._admin.declare_queue(name, partitions=partitions)
        self.names.append(name)
        return name


@pytest.fixture
def topics(admin: postwire.Client) -> Iterator[Topics]:
    made = Topics(admin)
    yield made
    for name in made.names:
        admin.delete_queue(name)


def b64(value: bytes | None) -> str | None:
    return None if value is None else base64.b64encode(value).decode()


def unb64(value: str | None) -> bytes | None:
    return None if value is None else base64.b64decode(value)


def kafka_peer(
    languages: Languages, jars: str, cwd: Path, *args: str, stdin: str | None = None
) -> list[dict[str, object]]:
    """Runs KafkaPeer COMMAND ... and returns the JSON lines it printed."""
    output = run(
        languages,
        ["java", "-cp", jars, str(KAFKA_PEER), *args],
        cwd=cwd,
        stdin=stdin,
        timeout=PEER_TIMEOUT_S,
    )
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def postwire_send(
    url: str, topic: str, codec: str, records: list[Record]
) -> list[tuple[str, int, int]]:
    """Sends `records` with postwire and returns (id, partition, offset) of each, in order."""
    sent: list[tuple[str, int, int]] = []
    config: dict[str, str | int] = {"compression.codec": codec, "linger.ms": 20}
    with postwire.connect(url, config) as client:
        producer = client.producer()
        handles = [
            producer.send(
                topic,
                record.value,
                key=record.key,
                headers=list(record.headers),
                id=f"interop-{codec}-{n}",
            )
            for n, record in enumerate(records)
        ]
        producer.flush(timeout=60)
        for handle in handles:
            report = handle.result(timeout=0)
            assert report.position.partition is not None and report.position.offset is not None
            sent.append((report.id, report.position.partition, report.position.offset))
    return sent


def postwire_read(url: str, topic: str, count: int) -> dict[tuple[int, int], postwire.Message]:
    """The first `count` records of `topic` read by postwire from the earliest offset, by
    (partition, offset)."""
    got: dict[tuple[int, int], postwire.Message] = {}
    with postwire.connect(url) as client:
        consumer = client.subscribe(topic, options={"start": "earliest"})
        while len(got) < count:
            message = consumer.poll(timeout=30)
            assert message is not None, f"postwire read {len(got)} of {count} records in 30 s"
            position = message.position
            assert position.partition is not None and position.offset is not None
            assert (position.partition, position.offset) not in got, "a record came twice"
            got[(position.partition, position.offset)] = message
            message.ack()
    return got


def application_headers(headers: list[tuple[str, bytes]]) -> tuple[tuple[str, bytes], ...]:
    return tuple(header for header in headers if not header[0].startswith("pw-"))


def stored_codecs(data_dir: Path, topic: str) -> set[int]:
    """The codec of every record batch of `topic` as the broker stored it: the attributes of
    each batch in the partitions' log segments (the on-disk format is the wire format:
    baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32,
    attributes int16, ...)."""
    codecs: set[int] = set()
    folders = sorted(data_dir.glob(f"{topic}-*"))
    assert folders, f"no log folders of {topic} in {data_dir}"
    for folder in folders:
        for segment in sorted(folder.glob("*.log")):
            data = segment.read_bytes()
            at = 0
            while at + 23 <= len(data):
                (length,) = struct.unpack_from(">i", data, at + 8)
                (attributes,) = struct.unpack_from(">h", data, at + 21)
                codecs.add(attributes & 0x7)
                at += 12 + length
    return codecs


def stored_bytes(data_dir: Path, topic: str) -> int:
    return sum(segment.stat().st_size for segment in data_dir.glob(f"{topic}-*/*.log"))


def check_received(
    expected: list[Record],
    where: list[tuple[int, int]],
    received: dict[tuple[int, int], Record],
) -> list[str]:
    """What differs between the records sent (each at its partition and offset) and those
    received there: a short account rather than a diff of megabytes."""
    found: list[str] = []
    if len(received) != len(expected):
        found.append(f"received {len(received)} records, sent {len(expected)}")
    for n, (want, at) in enumerate(zip(expected, where, strict=True)):
        got = received.get(at)
        if got is None:
            found.append(f"record {n}: nothing at partition/offset {at}")
            continue
        if got.key != want.key:
            found.append(f"record {n}: key {got.key!r:.80}, sent {want.key!r:.80}")
        if got.headers != want.headers:
            found.append(f"record {n}: headers {got.headers!r:.200}, sent {want.headers!r:.200}")
        if got.value != want.value:
            found.append(f"record {n}: value of {len(got.value)} bytes, sent {len(want.value)}")
    return found


# --- postwire sends, the other client reads ---------------------------------------------------


def check_stored_with(codec: str, topic: str) -> None:
    data_dir = Path(required_env("POSTWIRE_TEST_KAFKA_DATA_DIR"))
    assert stored_codecs(data_dir, topic) == {CODEC_IDS[codec]}
    if codec != "none":
        # The compressible body alone is 300 KB: compressed, it takes a small part of that
        # beside the random bytes of the others (which do not shrink) and the framing.
        assert stored_bytes(data_dir, topic) < OTHER_BYTES + 20_000 + LARGE_BODY // 10


@pytest.mark.parametrize("codec", CODECS)
def test_java_client_reads_what_postwire_sends(
    codec: str,
    kafka_url: str,
    bootstrap: str,
    kafka_jars: str,
    topics: Topics,
    languages: Languages,
    tmp_path: Path,
) -> None:
    topic = topics.make(f"to-java-{codec}", 3)
    sent = postwire_send(kafka_url, topic, codec, RECORDS)
    lines = kafka_peer(
        languages,
        kafka_jars,
        tmp_path,
        "consume",
        bootstrap,
        topic,
        "--count",
        str(len(RECORDS)),
        "--from-beginning",
    )
    received = {
        (int(line["partition"]), int(line["offset"])): Record(  # type: ignore[call-overload]
            key=unb64(line["key"]),  # type: ignore[arg-type]
            value=unb64(line["value"]) or b"",  # type: ignore[arg-type]
            headers=tuple((name, unb64(value) or b"") for name, value in line["headers"]),  # type: ignore[attr-defined]
        )
        for line in lines
    }
    # postwire's id travels as the first header, pw-id.
    expected = [
        Record(r.key, r.value, (("pw-id", message_id.encode()), *r.headers))
        for r, (message_id, _, _) in zip(RECORDS, sent, strict=True)
    ]
    assert check_received(expected, [(p, o) for _, p, o in sent], received) == []
    check_stored_with(codec, topic)


@pytest.mark.parametrize("codec", CODECS)
def test_librdkafka_reads_what_postwire_sends(
    codec: str, kafka_url: str, bootstrap: str, topics: Topics
) -> None:
    topic = topics.make(f"to-rdkafka-{codec}", 3)
    sent = postwire_send(kafka_url, topic, codec, RECORDS)
    consumer = confluent_kafka.Consumer(
        {"bootstrap.servers": bootstrap, "group.id": unique("rdkafka"), "enable.auto.commit": False}
    )
    received: dict[tuple[int, int], Record] = {}
    try:
        consumer.assign(
            [
                confluent_kafka.TopicPartition(topic, p, confluent_kafka.OFFSET_BEGINNING)
                for p in range(3)
            ]
        )
        while len(received) < len(RECORDS):
            message = consumer.poll(30)
            assert message is not None, f"librdkafka read {len(received)} of {len(RECORDS)} in 30 s"
            assert message.error() is None, str(message.error())
            received[(message.partition(), message.offset())] = Record(
                key=message.key(),
                value=message.value() or b"",
                headers=tuple((name, value or b"") for name, value in message.headers() or []),
            )
    finally:
        consumer.close()
    expected = [
        Record(r.key, r.value, (("pw-id", message_id.encode()), *r.headers))
        for r, (message_id, _, _) in zip(RECORDS, sent, strict=True)
    ]
    assert check_received(expected, [(p, o) for _, p, o in sent], received) == []
    check_stored_with(codec, topic)


# --- the other client sends, postwire reads -----------------------------------------------------

# What the other clients send: the records above, and one header with a null value (which
# postwire hands out as b"").
FOREIGN = [*RECORDS, Record(key=b"null-header", value=b"v", headers=(("absent", b""),))]


def as_postwire(message: postwire.Message) -> Record:
    return Record(message.key, message.body, application_headers(message.headers))


@pytest.mark.parametrize("codec", CODECS)
def test_postwire_reads_what_the_java_client_sends(
    codec: str,
    kafka_url: str,
    bootstrap: str,
    kafka_jars: str,
    topics: Topics,
    languages: Languages,
    tmp_path: Path,
) -> None:
    topic = topics.make(f"from-java-{codec}", 3)
    lines = [
        json.dumps(
            {
                "key": b64(r.key),
                "value": b64(r.value),
                "headers": [[name, b64(value)] for name, value in r.headers],
            }
        )
        for r in RECORDS
    ]
    lines.append(
        json.dumps({"key": b64(b"null-header"), "value": b64(b"v"), "headers": [["absent", None]]})
    )
    answers = kafka_peer(
        languages,
        kafka_jars,
        tmp_path,
        "produce",
        bootstrap,
        topic,
        "--codec",
        codec,
        stdin="\n".join(lines) + "\n",
    )
    where = [(int(a["partition"]), int(a["offset"])) for a in answers]  # type: ignore[call-overload]
    got = postwire_read(kafka_url, topic, len(FOREIGN))
    received = {at: as_postwire(message) for at, message in got.items()}
    assert check_received(FOREIGN, where, received) == []


@pytest.mark.parametrize("codec", CODECS)
def test_postwire_reads_what_librdkafka_sends(
    codec: str, kafka_url: str, bootstrap: str, topics: Topics
) -> None:
    topic = topics.make(f"from-rdkafka-{codec}", 3)
    producer = confluent_kafka.Producer(
        {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "compression.codec": codec,
            "linger.ms": 5,
        }
    )
    where: list[tuple[int, int] | None] = [None] * len(FOREIGN)

    def reported(n: int):  # type: ignore[no-untyped-def]
        def on_delivery(error, message) -> None:  # type: ignore[no-untyped-def]
            assert error is None, str(error)
            where[n] = (message.partition(), message.offset())

        return on_delivery

    for n, r in enumerate(FOREIGN):
        headers = [(name, None if name == "absent" else value) for name, value in r.headers]
        producer.produce(topic, r.value, r.key, headers=headers, on_delivery=reported(n))
        producer.poll(0)
    assert producer.flush(60) == 0, "librdkafka did not deliver every record"
    assert all(at is not None for at in where)
    got = postwire_read(kafka_url, topic, len(FOREIGN))
    received = {at: as_postwire(message) for at, message in got.items()}
    assert check_received(FOREIGN, [at for at in where if at is not None], received) == []


# --- keys and partitions -----------------------------------------------------------------------

KEY_COUNT = 10_000
KEY_PARTITIONS = 7


def test_keys_land_on_the_partition_the_java_client_picks(
    kafka_url: str,
    bootstrap: str,
    kafka_jars: str,
    topics: Topics,
    languages: Languages,
    tmp_path: Path,
) -> None:
    rng = random.Random(7)
    # Text keys like real ones, and distinct binary keys of every length from 1 to 64 bytes.
    unique_keys = {f"customer-{n}".encode(): None for n in range(KEY_COUNT // 2)}
    n = 0
    while len(unique_keys) < KEY_COUNT:
        unique_keys[bytes(rng.getrandbits(8) for _ in range(1 + n % 64))] = None
        n += 1
    keys = list(unique_keys)
    key_file = tmp_path / "keys.txt"
    key_file.write_text("".join(base64.b64encode(k).decode() + "\n" for k in keys))
    java_topic = topics.make("keys-java", KEY_PARTITIONS)
    output = run(
        languages,
        [
            "java",
            "-cp",
            kafka_jars,
            str(KAFKA_PEER),
            "partitions-for-keys",
            bootstrap,
            java_topic,
            "--keys",
            str(key_file),
            "--base64",
        ],
        cwd=tmp_path,
        timeout=PEER_TIMEOUT_S,
    )
    java = {}
    for line in output.splitlines():
        key, _, partition = line.partition("\t")
        java[base64.b64decode(key)] = int(partition)
    assert len(java) == KEY_COUNT
    assert set(java.values()) == set(range(KEY_PARTITIONS))

    postwire_topic = topics.make("keys-postwire", KEY_PARTITIONS)
    with postwire.connect(kafka_url, {"linger.ms": 20}) as client:
        producer = client.producer()
        handles = [(key, producer.send(postwire_topic, b"", key=key)) for key in keys]
        producer.flush(timeout=120)
        wrong = [
            (key, report.position.partition, java[key])
            for key, report in ((key, handle.result(timeout=0)) for key, handle in handles)
            if report.position.partition != java[key]
        ]
    assert wrong[:10] == [], f"{len(wrong)} of {KEY_COUNT} keys on another partition than Java's"
