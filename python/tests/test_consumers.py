"""Consumers against a real broker, sync and asyncio: positions, consumer ids (and routing by
them), subscribe options by name, and the batches a consumer takes from the C ABI (what it
holds and never handed out goes back to the broker when it closes)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
import time
from collections.abc import Awaitable, Callable

import postwire
import postwire.aio
import pytest
from conftest import is_kafka, only_on, queue_options, unique

WAIT = 10.0
# Kafka reads a topic without a consumer group yet (capabilities().consumer_groups is off):
# every consumer of a topic reads all of it from its start position and commits nothing.
SHARED_QUEUES = "Kafka has no consumer groups yet: consumers of a topic do not share it"
NO_COMMIT = (
    "a Kafka read without a group commits nothing: a new consumer starts again from its start "
    "position, and what it reads again is not a redelivery"
)
NO_POSITION = postwire.Position(None, None, None, None, None)

# How the consumers of one queue take their messages: each from its own wait, each as client
# events, or one of each.
MODES = {"plain": (False, False), "events": (True, True), "mixed": (False, True)}


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 120))  # the limit guards against a hang only


def settle_in(seconds: float = 0.3) -> None:
    """Gives the broker time to push what it will push (deliveries into the core's buffer)."""
    time.sleep(seconds)


@only_on("amqp", why="Kafka's positions are test_kafka.py's")
def test_positions_are_absent_on_rabbitmq(client: postwire.Client, queue: str) -> None:
    report = client.producer().send(queue, b"where?").result(WAIT)
    assert report.position == NO_POSITION
    with client.subscribe(queue) as consumer:
        message = consumer.poll(WAIT)
        assert message is not None
        position = message.position
        assert position == NO_POSITION
        assert position.partition is None and position.offset is None
        assert position.broker_timestamp_ms is None
        assert position.broker_message_id is None and position.sequence_number is None
        with pytest.raises(dataclasses.FrozenInstanceError):
            position.offset = 3  # type: ignore[misc]
        assert message.consumer_id == consumer.id
        message.ack()


@only_on("amqp", why=SHARED_QUEUES)
@pytest.mark.parametrize("mode", list(MODES))
def test_each_consumer_gets_only_its_own_messages(url: str, mode: str) -> None:
    total = 300
    with postwire.connect(url) as client:
        queue = unique("ids")
        client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
        first, second = (
            client.subscribe(queue, prefetch=40, deliver_as_events=as_events)
            for as_events in MODES[mode]
        )
        assert first.id != second.id
        producer = client.producer()
        for i in range(total):
            producer.send(queue, f"{i}")
        producer.flush(WAIT)
        got: dict[int, list[bytes]] = {first.id: [], second.id: []}
        deadline = time.monotonic() + 3 * WAIT
        while sum(map(len, got.values())) < total and time.monotonic() < deadline:
            for consumer in (first, second):
                message = consumer.poll(0.02)
                if message is not None:
                    assert message.consumer_id == consumer.id
                    got[consumer.id].append(message.body)
                    message.ack()
        first.close()
        second.close()
    assert all(got.values()), "RabbitMQ shares a queue's messages among its consumers"
    together = got[first.id] + got[second.id]
    assert sorted(together) == sorted(f"{i}".encode() for i in range(total))  # all, once each
    assert not set(got[first.id]) & set(got[second.id])


@only_on("amqp", why=SHARED_QUEUES)
@pytest.mark.parametrize("mode", list(MODES))
def test_async_consumers_get_only_their_own_messages(url: str, mode: str) -> None:
    total = 300

    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-ids")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            consumers = [
                await client.subscribe(queue, prefetch=40, deliver_as_events=as_events)
                for as_events in MODES[mode]
            ]
            assert consumers[0].id != consumers[1].id
            producer = client.producer()
            await asyncio.gather(*(producer.send(queue, f"{i}") for i in range(total)))
            got: dict[int, list[bytes]] = {consumer.id: [] for consumer in consumers}
            done = asyncio.Event()

            async def drain(consumer: postwire.aio.AsyncConsumer) -> None:
                async for message in consumer:
                    assert message.consumer_id == consumer.id
                    assert message.position == NO_POSITION
                    got[consumer.id].append(message.body)
                    await message.ack()
                    if sum(map(len, got.values())) == total:
                        done.set()

            tasks = [asyncio.create_task(drain(consumer)) for consumer in consumers]
            await asyncio.wait_for(done.wait(), 3 * WAIT)
            for consumer in consumers:
                await consumer.close()
            await asyncio.gather(*tasks)  # iteration ends with the close
            assert all(got.values())
            together = [body for bodies in got.values() for body in bodies]
            assert sorted(together) == sorted(f"{i}".encode() for i in range(total))

    run(test)


@only_on(
    "amqp",
    why="RabbitMQ cancels the consumers of a deleted queue and resumes them when it is back; "
    "Kafka's partition reads raise no consumer events",
)
def test_consumer_events_carry_their_consumer_s_id(url: str) -> None:
    events: list[postwire.Event] = []
    arrived = threading.Condition()

    def on_event(event: postwire.Event) -> None:
        with arrived:
            events.append(event)
            arrived.notify_all()

    def consumer_events(state: postwire.ConsumerState) -> set[int]:
        with arrived:
            arrived.wait_for(
                lambda: (
                    len(
                        [
                            e
                            for e in events
                            if isinstance(e, postwire.ConsumerEvent) and e.state == state
                        ]
                    )
                    >= 2
                ),
                WAIT,
            )
            return {
                e.consumer_id
                for e in events
                if isinstance(e, postwire.ConsumerEvent) and e.state == state
            }

    with postwire.connect(url, on_event=on_event) as client:
        queue = unique("gone")
        client.declare_queue(queue, **queue_options(url, durable=False))
        with client.subscribe(queue) as first, client.subscribe(queue) as second:
            client.delete_queue(queue)  # the broker cancels both consumers
            assert consumer_events(postwire.ConsumerState.CANCELLED) == {first.id, second.id}
            client.declare_queue(queue, **queue_options(url, durable=False))  # and they resume
            assert consumer_events(postwire.ConsumerState.ACTIVE) == {first.id, second.id}
        client.delete_queue(queue)


@only_on("amqp", why="consumer priorities are RabbitMQ's own subscribe option")
def test_priority_sends_to_the_higher_consumer_while_it_has_room(
    client: postwire.Client, queue: str
) -> None:
    with (
        client.subscribe(queue, prefetch=50, options={"priority": 10}) as high,
        client.subscribe(queue, options={"priority": 0}) as low,
    ):
        producer = client.producer()
        for i in range(20):
            producer.send(queue, f"{i}")
        producer.flush(WAIT)
        # Nothing is acked until all are counted, so the high consumer's room is its prefetch.
        received: list[postwire.Message] = []
        while len(received) < 20:
            message = high.poll(WAIT)
            assert message is not None, f"the high-priority consumer got {len(received)} of 20"
            received.append(message)
        assert low.poll(0.5) is None
        assert [m.body for m in received] == [f"{i}".encode() for i in range(20)]
        for message in received:
            message.ack()


@only_on("amqp", why="consumer priorities are RabbitMQ's own subscribe option")
def test_async_priority(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-prio")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            high = await client.subscribe(queue, prefetch=50, options={"priority": 10})
            low = await client.subscribe(queue, options={"priority": 0})
            producer = client.producer()
            await asyncio.gather(*(producer.send(queue, f"{i}") for i in range(20)))
            received: list[postwire.aio.AsyncMessage] = []
            for _ in range(20):
                message = await high.get(WAIT)
                assert message is not None, f"the high-priority consumer got {len(received)}"
                received.append(message)
            assert await low.get(0.5) is None
            for message in received:
                await message.ack()
            await high.close()
            await low.close()

    run(test)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"no_such_option": 1}, "no_such_option"),
        ({"prefetch": "abc"}, "prefetch"),
        ({"priority": "high"}, "priority"),
        ({"exclusive": "perhaps"}, "exclusive"),
    ],
)
def test_a_bad_subscribe_option_is_refused_by_name(
    client: postwire.Client, queue: str, options: dict[str, postwire.OptionValue], named: str
) -> None:
    with pytest.raises(postwire.InvalidArgumentError) as refused:
        client.subscribe(queue, options=options)
    assert named in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_async_bad_subscribe_options(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-bad")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            with pytest.raises(postwire.InvalidArgumentError, match="no_such_option"):
                await client.subscribe(queue, options={"no_such_option": True})
            with pytest.raises(postwire.InvalidArgumentError, match="prefetch"):
                await client.subscribe(queue, options={"prefetch": "abc"})

    run(test)


def test_typed_and_named_options(client: postwire.Client, queue: str) -> None:
    with pytest.raises(TypeError, match="prefetch"):
        client.subscribe(queue, prefetch=5, options={"prefetch": 6})
    # Named, the generic options do what the keywords do.
    if postwire.Capability.EXCLUSIVE_CONSUMERS in client.capabilities:
        with (
            client.subscribe(queue, options={"exclusive": True, "prefetch": 5}),
            pytest.raises(postwire.AccessDeniedError),
        ):
            client.subscribe(queue)  # the queue has an exclusive consumer
    else:
        with pytest.raises(postwire.NotSupportedError, match="exclusive"):
            client.subscribe(queue, options={"exclusive": True, "prefetch": 5})
    with client.subscribe(queue, options={"deliver_as_events": "true"}) as consumer:
        client.producer().send(queue, b"as an event").result(WAIT)
        message = consumer.poll(WAIT)
        assert message is not None and message.body == b"as an event"
        message.ack()


@only_on("amqp", why="Kafka's capabilities are test_kafka.py's")
def test_new_capabilities_are_off_on_rabbitmq(client: postwire.Client) -> None:
    capabilities = client.capabilities
    for bit in (
        postwire.Capability.PARTITIONS,
        postwire.Capability.SEEK,
        postwire.Capability.CONSUMER_GROUPS,
        postwire.Capability.FIFO,
        postwire.Capability.NATIVE_DELAY,
        postwire.Capability.VISIBILITY_EXTENSION,
    ):
        assert bit not in capabilities
    assert postwire.Capability.EXCHANGES in capabilities


# --- batches: what a consumer holds and never handed out ----------------------------------


def publish(client: postwire.Client, queue: str, count: int) -> None:
    producer = client.producer()
    for i in range(count):
        producer.send(queue, f"{i}")
    producer.flush(WAIT)


def receive_all(client: postwire.Client, queue: str, count: int) -> list[postwire.Message]:
    with client.subscribe(queue) as consumer:
        messages: list[postwire.Message] = []
        while len(messages) < count:
            message = consumer.poll(WAIT)
            assert message is not None, f"received {len(messages)} of {count} again"
            messages.append(message)
            message.ack()
        assert consumer.poll(0.3) is None
    return messages


@only_on("amqp", why=NO_COMMIT)
@pytest.mark.parametrize("as_events", [False, True])
def test_what_a_closed_consumer_held_is_redelivered(
    client: postwire.Client, queue: str, as_events: bool
) -> None:
    publish(client, queue, 10)
    consumer = client.subscribe(queue, deliver_as_events=as_events)
    settle_in()
    first = consumer.poll(WAIT)
    assert first is not None and first.body == b"0"
    first.ack()
    assert len(consumer._buffer) == 9  # taken from the C ABI with the first, not handed out
    consumer.close()
    with pytest.raises(postwire.ClosedError):
        consumer.poll(0)  # the rest is not handed out after the close
    again = receive_all(client, queue, 9)
    assert [m.body for m in again] == [f"{i}".encode() for i in range(1, 10)]
    assert all(m.redelivered for m in again)


@only_on("amqp", why=NO_COMMIT)
@pytest.mark.parametrize("as_events", [False, True])
def test_what_consumers_held_is_redelivered_when_the_client_closes(
    url: str, queue: str, as_events: bool
) -> None:
    client = postwire.connect(url)
    publish(client, queue, 10)
    consumer = client.subscribe(queue, deliver_as_events=as_events)
    settle_in()
    first = consumer.poll(WAIT)
    assert first is not None
    first.ack()
    assert consumer._buffer
    client.close()
    with pytest.raises(postwire.ClosedError):
        consumer.poll(0)
    with postwire.connect(url) as other:
        again = receive_all(other, queue, 9)
        assert sorted(m.body for m in again) == sorted(f"{i}".encode() for i in range(1, 10))


@only_on("amqp", why=NO_COMMIT)
@pytest.mark.parametrize("as_events", [False, True])
def test_an_async_consumer_s_unhanded_messages_are_redelivered(
    url: str, queue: str, as_events: bool
) -> None:
    with postwire.connect(url) as sync_client:
        publish(sync_client, queue, 10)

    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            consumer = await client.subscribe(queue, deliver_as_events=as_events)
            await asyncio.sleep(0.3)
            first = await consumer.get(WAIT)
            assert first is not None and first.body == b"0"
            await first.ack()
            assert len(consumer._buffer) == 9
            await consumer.close()
            with pytest.raises(postwire.ClosedError):
                await consumer.get(0)
            async for _ in consumer:
                pytest.fail("a closed consumer hands out nothing")
            # And through the client's close, with a second consumer.
            second = await client.subscribe(queue, deliver_as_events=as_events)
            await asyncio.sleep(0.3)
            message = await second.get(WAIT)
            assert message is not None and message.redelivered
            await message.ack()
            assert len(second._buffer) == 8
        with pytest.raises(postwire.ClosedError):
            await second.get(0)

    run(test)
    with postwire.connect(url) as sync_client:
        again = receive_all(sync_client, queue, 8)
        assert all(m.redelivered for m in again)


def test_a_batch_keeps_the_order_and_settles_each(
    client: postwire.Client, url: str, queue: str
) -> None:
    publish(client, queue, 2000)
    with client.subscribe(queue, prefetch=1000) as consumer:
        bodies: list[bytes] = []
        while len(bodies) < 2000:
            message = consumer.poll(WAIT)
            assert message is not None
            bodies.append(message.body)
            message.ack()
        assert bodies == [f"{i}".encode() for i in range(2000)]
        assert consumer.poll(0.3) is None
    # An ack removes a RabbitMQ message; Kafka keeps every record until its retention ends.
    left = client.declare_queue(queue, **queue_options(url, durable=False)).message_count
    assert left == (2000 if is_kafka(url) else 0)


def test_a_forked_child_hands_out_none_of_its_parent_s_messages(
    client: postwire.Client, queue: str
) -> None:
    publish(client, queue, 3)
    consumer = client.subscribe(queue)
    settle_in()
    first = consumer.poll(WAIT)
    assert first is not None and consumer._buffer
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            consumer.poll(0)
            outcome = "handed out"
        except postwire.ForkedProcessError:
            outcome = "forked"
        except BaseException as error:  # noqa: BLE001 - anything else is the failure
            outcome = f"other:{type(error).__name__}"
        os.write(write_end, outcome.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        outcome = pipe.read()
    os.waitpid(pid, 0)
    assert outcome == "forked"
    # The parent's consumer goes on with what it holds.
    first.ack()
    for expected in (b"1", b"2"):
        message = consumer.poll(WAIT)
        assert message is not None and message.body == expected
        message.ack()
    consumer.close()
