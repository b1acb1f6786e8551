"""Kafka through the Python API: a topic declared with partitions, delivery reports with the
partition and offset the broker gave, partition reads with their start position, what Kafka
refuses, and the topic deleted again. Runs when kafka is in POSTWIRE_BROKERS."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import postwire
import postwire.aio
import pytest
from conftest import broker_url, listed_brokers, unique

WAIT = 10.0
PARTITIONS = 3
KEYS = ("customer-1", "customer-2", "customer-3", "customer-4")


@pytest.fixture
def kafka_url() -> str:
    if "kafka" not in listed_brokers():
        pytest.fail("the Kafka tests need kafka in POSTWIRE_BROKERS")
    return broker_url("kafka")


@pytest.fixture
def kafka(kafka_url: str) -> Iterator[postwire.Client]:
    with postwire.connect(kafka_url, linger_ms=2) as client:
        yield client


@pytest.fixture
def topic(kafka: postwire.Client) -> Iterator[str]:
    """A topic of PARTITIONS partitions, deleted afterwards."""
    name = unique("topic")
    info = kafka.declare_queue(name, partitions=PARTITIONS)
    assert info == postwire.QueueInfo(name, 0, 0)
    yield name
    kafka.delete_queue(name)


def send_keyed(client: postwire.Client, topic: str, rounds: int) -> list[postwire.DeliveryReport]:
    """Each of KEYS ``rounds`` times, in order, with headers naming the key and the round."""
    producer = client.producer()
    handles = [
        producer.send(
            topic,
            f"{key} #{n}",
            key=key,
            headers={"round": str(n), "bin": b"\x00\xff"},
            id=f"{topic}-{key}-{n}",
        )
        for n in range(rounds)
        for key in KEYS
    ]
    return [handle.result(WAIT) for handle in handles]


def test_a_declared_topic_says_what_kafka_can_do(kafka: postwire.Client, topic: str) -> None:
    capabilities = kafka.capabilities
    assert postwire.Capability.PARTITIONS in capabilities
    assert postwire.Capability.SEEK in capabilities
    assert postwire.Capability.EXCHANGES not in capabilities
    assert postwire.Capability.PRIORITIES not in capabilities
    # Declaring it again with the same partitions is fine; with others it is refused.
    assert kafka.declare_queue(topic, partitions=PARTITIONS).name == topic
    with pytest.raises(postwire.PreconditionFailedError, match=f"{PARTITIONS} partitions"):
        kafka.declare_queue(topic, partitions=PARTITIONS + 2)


def test_reports_carry_the_partition_and_ascending_offsets(
    kafka: postwire.Client, topic: str
) -> None:
    reports = send_keyed(kafka, topic, 3)
    partition_of: dict[str, int] = {}
    offsets: dict[int, list[int]] = {}
    for report in reports:
        assert report.error is None
        position = report.position
        assert position.partition is not None and 0 <= position.partition < PARTITIONS
        assert position.offset is not None
        key = report.id.removeprefix(f"{topic}-").rsplit("-", 1)[0]  # TOPIC-KEY-ROUND
        # A key always lands on the same partition.
        assert partition_of.setdefault(key, position.partition) == position.partition
        offsets.setdefault(position.partition, []).append(position.offset)
    assert len(partition_of) == len(KEYS)
    for partition, seen in offsets.items():
        # A fresh topic, sent to in order: each partition's offsets are 0, 1, 2, ...
        assert seen == list(range(len(seen))), f"partition {partition}: {seen}"
    assert kafka.declare_queue(topic).message_count == len(reports)


def test_a_partition_read_delivers_each_message_with_its_position(
    kafka: postwire.Client, topic: str
) -> None:
    reports = {report.id: report for report in send_keyed(kafka, topic, 2)}
    with kafka.subscribe(topic, options={"start": "earliest"}) as consumer:
        last_offset: dict[int, int] = {}
        for _ in range(len(reports)):
            message = consumer.poll(WAIT)
            assert message is not None, "fewer messages than were sent"
            report = reports.pop(message.id)
            key = message.key.decode() if message.key is not None else ""
            assert key in KEYS
            round_ = message.header("round")
            assert round_ is not None
            assert message.body == f"{key} #{round_.decode()}".encode()
            assert message.header("bin") == b"\x00\xff"
            assert [name for name, _ in message.headers if not name.startswith("pw-")] == [
                "round",
                "bin",
            ]
            assert message.source == topic
            position = message.position
            assert position.partition == report.position.partition
            assert position.offset == report.position.offset
            assert position.broker_timestamp_ms is not None and position.broker_timestamp_ms > 0
            assert position.partition is not None and position.offset is not None
            assert position.offset > last_offset.get(position.partition, -1)
            last_offset[position.partition] = position.offset
            message.ack()
        assert not reports, f"not received: {sorted(reports)}"
        assert consumer.poll(0.3) is None


def test_a_read_of_one_partition_from_an_offset(kafka: postwire.Client, topic: str) -> None:
    reports = send_keyed(kafka, topic, 3)
    partition = reports[0].position.partition
    assert partition is not None
    on_it = [r for r in reports if r.position.partition == partition]
    options: dict[str, postwire.OptionValue] = {"partitions": str(partition), "start.offset": 1}
    with kafka.subscribe(topic, options=options) as consumer:
        for report in on_it[1:]:
            message = consumer.poll(WAIT)
            assert message is not None
            assert message.id == report.id and message.position.offset == report.position.offset
            message.ack()
        assert consumer.poll(0.3) is None


def test_what_kafka_refuses(kafka: postwire.Client, topic: str) -> None:
    producer = kafka.producer()
    with pytest.raises(postwire.NotSupportedError, match="priority"):
        producer.send(topic, b"urgent", priority=5)
    with pytest.raises(postwire.NotSupportedError, match="TTL"):
        producer.send(topic, b"fleeting", ttl=1.0)
    missing = unique("missing")
    report = producer.send(missing, b"nowhere").report(WAIT)
    assert isinstance(report.error, postwire.NotFoundError) and missing in str(report.error)
    with pytest.raises(postwire.InvalidArgumentError, match="start.ofset"):
        kafka.subscribe(topic, options={"start.ofset": 3})
    with pytest.raises(postwire.InvalidArgumentError, match="start"):
        kafka.subscribe(topic, options={"start": "yesterday"})
    with pytest.raises(postwire.InvalidArgumentError, match="partitons"):
        kafka.declare_queue(unique("topic"), partitons=3)


def test_a_deleted_topic_is_gone(kafka: postwire.Client) -> None:
    name = unique("topic")
    kafka.declare_queue(name, partitions=2)
    kafka.producer().send(name, b"one", key="k").result(WAIT)
    assert kafka.delete_queue(name) == 1
    with pytest.raises(postwire.NotFoundError):
        kafka.subscribe(name)


def test_asyncio_reports_and_positions(kafka_url: str, topic: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(kafka_url) as client:
            producer = client.producer()
            reports = await asyncio.gather(
                *(producer.send(topic, f"{i}", key="one-key") for i in range(5))
            )
            assert len({r.position.partition for r in reports}) == 1
            assert [r.position.offset for r in reports] == list(range(5))
            async with await client.subscribe(topic, options={"start": "earliest"}) as consumer:
                for report in reports:
                    message = await consumer.get(WAIT)
                    assert message is not None and message.id == report.id
                    assert message.position.offset == report.position.offset
                    await message.ack()

    asyncio.run(asyncio.wait_for(test(), 120))  # the limit guards against a hang only
