"""The asyncio API against a real broker: round trip, settlement, concurrency, backpressure,
cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import postwire
import postwire.aio
import pytest
from conftest import is_kafka, only_on, queue_options, unique

WAIT = 10.0
# What Kafka's transport lacks for now: dead_letter() sends nothing to the topic's .dlq.
DEAD_LETTERS = "dead_letter() on Kafka does not reach TOPIC.dlq yet"


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 120))  # the limit guards against a hang only


async def receive(
    consumer: postwire.aio.AsyncConsumer, count: int, ack: bool = False
) -> list[postwire.aio.AsyncMessage]:
    """``count`` messages; with ``ack``, each is acked as it comes (so prefetch never stalls)."""
    messages: list[postwire.aio.AsyncMessage] = []
    for _ in range(count):
        message = await consumer.get(WAIT)
        assert message is not None, f"received {len(messages)} of {count} messages"
        if ack:
            await message.ack()
        messages.append(message)
    return messages


def test_round_trip(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            producer = client.producer()
            report = await producer.send(
                queue, b"\x00async\xff", key="k1", headers={"h": b"\x01"}, id="aio-1"
            )
            assert report.error is None and report.id == "aio-1"
            async with await client.subscribe(queue) as consumer:
                async for message in consumer:
                    assert message.body == b"\x00async\xff"
                    assert message.key == b"k1"
                    assert message.id == "aio-1"
                    assert message.header("h") == b"\x01"
                    assert message.delivery_count == 1
                    assert repr(message).startswith("<AsyncMessage id='aio-1' source=")
                    assert "key=b'k1'" in repr(message) and "body=7 bytes" in repr(message)
                    await message.ack()
                    break
                assert await consumer.get(0.3) is None

    run(test)


def test_many_concurrent_sends_keep_their_order(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-many")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            producer = client.producer()
            reports = await asyncio.gather(
                *(producer.send(queue, f"{i}", key="one-key") for i in range(5000))
            )
            assert all(report.error is None for report in reports)
            assert len({report.id for report in reports}) == 5000
            async with await client.subscribe(queue, prefetch=1000) as consumer:
                messages = await receive(consumer, 5000, ack=True)
                assert [m.body for m in messages] == [f"{i}".encode() for i in range(5000)]

    run(test)


def test_a_full_send_buffer_waits_without_blocking_the_loop(url: str) -> None:
    async def test() -> None:
        # A buffer of 8 messages: most sends wait for room, in order, while the loop runs.
        async with await postwire.aio.connect(url, queue_buffering_max_messages=8) as client:
            queue = unique("aio-full")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            producer = client.producer()
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0)

            ticking = asyncio.create_task(ticker())
            sends = [producer.send(queue, f"{i}") for i in range(500)]
            await producer.flush(60)  # includes the sends waiting in the line for room
            assert all(send.done() for send in sends)
            reports = await asyncio.gather(*sends)
            ticking.cancel()
            assert all(report.error is None for report in reports)
            assert ticks > 0
            async with await client.subscribe(queue, prefetch=500) as consumer:
                messages = await receive(consumer, 500, ack=True)
                assert [m.body for m in messages] == [f"{i}".encode() for i in range(500)]

    run(test)


def test_full_buffer_fails_after_max_block_ms(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(
            url, queue_buffering_max_messages=1, max_block_ms=0
        ) as client:
            producer = client.producer()
            queue = unique("aio-block")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            sends = [asyncio.ensure_future(producer.send(queue, b"x")) for _ in range(50)]
            results = await asyncio.gather(*sends, return_exceptions=True)
            refused = [r for r in results if isinstance(r, postwire.QueueFullError)]
            assert refused, "with room for one message and no wait, some sends are refused"
            assert all(
                isinstance(r, postwire.DeliveryReport | postwire.QueueFullError) for r in results
            )

    run(test)


@only_on("amqp", why=DEAD_LETTERS)
def test_nack_and_dead_letter(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-settle")
            await client.declare_queue(queue, **queue_options(url, durable=False))
            producer = client.producer()
            await producer.send(queue, b"retry")
            await producer.send(queue, b"poison")
            async with await client.subscribe(queue) as consumer:
                first, second = await receive(consumer, 2)
                await first.nack(delay=0.2)
                await second.dead_letter("cannot parse")
                (again,) = await receive(consumer, 1)
                assert again.body == b"retry" and again.delivery_count == 2
                await again.ack()
            dead = None
            for _ in range(100):
                try:
                    dead = await client.subscribe(f"{queue}.dlq")
                    break
                except postwire.NotFoundError:
                    await asyncio.sleep(0.05)
            assert dead is not None
            async with dead:
                (message,) = await receive(dead, 1)
                assert message.body == b"poison"
                assert message.header("pw-dead-letter-reason") == b"cannot parse"
                await message.ack()
            await client.delete_queue(queue)
            await client.delete_queue(f"{queue}.dlq")

    run(test)


def test_cancelling_a_waiting_consumer_loses_nothing(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-cancel")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            async with await client.subscribe(queue) as consumer:
                waiting = asyncio.ensure_future(consumer.__anext__())
                await asyncio.sleep(0.1)
                waiting.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await waiting
                await client.producer().send(queue, b"after the cancel")
                (message,) = await receive(consumer, 1)
                assert message.body == b"after the cancel"
                await message.ack()

    run(test)


def test_cancelling_a_send_leaves_the_message_sent(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-cancel-send")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            producer = client.producer()
            sending = asyncio.ensure_future(producer.send(queue, b"queued before the cancel"))
            await asyncio.sleep(0)  # the send is queued at its first step
            sending.cancel()
            with pytest.raises(asyncio.CancelledError):
                await sending
            await producer.flush(WAIT)
            assert producer.in_flight() == 0
            async with await client.subscribe(queue) as consumer:
                (message,) = await receive(consumer, 1)
                assert message.body == b"queued before the cancel"
                await message.ack()

    run(test)


def test_errors(url: str) -> None:
    async def test() -> None:
        with pytest.raises(postwire.ConfigUnknownKeyError):
            await postwire.aio.connect(url, no_such_key=1)
        async with await postwire.aio.connect(url) as client:
            # A missing exchange on RabbitMQ; on Kafka, which has none, any exchange.
            refused = postwire.NotSupportedError if is_kafka(url) else postwire.NotFoundError
            with pytest.raises(refused):
                await client.producer().send(f"exchange/{unique('none')}", b"x", key="k")
            with pytest.raises(postwire.NotFoundError):
                await client.subscribe(unique("none"))
        with pytest.raises(postwire.ClosedError):
            await client.producer().send("q", b"after close")

    run(test)


def test_close_settles_every_pending_send(url: str) -> None:
    async def test() -> None:
        client = await postwire.aio.connect(url)
        queue = unique("aio-close")
        await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
        producer = client.producer()
        sends = [asyncio.ensure_future(producer.send(queue, b"x" * 1000)) for _ in range(3000)]
        await asyncio.sleep(0)
        await client.close(timeout=0)
        results = await asyncio.wait_for(asyncio.gather(*sends, return_exceptions=True), WAIT)
        assert all(
            isinstance(r, postwire.DeliveryReport | postwire.ClosedError) for r in results
        ), {type(r) for r in results}
        await client.close()

    run(test)


def test_stats_and_capabilities(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            if is_kafka(url):
                assert postwire.Capability.PARTITIONS in client.capabilities
                assert postwire.Capability.EXCHANGES not in client.capabilities
            else:
                assert postwire.Capability.EXCHANGES in client.capabilities
            assert "sent" in client.stats()

    run(test)


def test_a_closed_client(url: str) -> None:
    async def test() -> None:
        client = await postwire.aio.connect(url)
        queue = unique("aio-closed")
        await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
        producer = client.producer()
        await producer.send(queue, b"before close")
        consumer = await client.subscribe(queue)
        await client.close()
        await client.close()  # a second close does nothing and raises nothing
        await consumer.close()
        await consumer.close()
        stats = client.stats()
        assert stats["sent"] == 1 and stats["confirmed"] == 1 and stats["in_flight"] == 0
        with pytest.raises(postwire.ClosedError) as error:
            await client.subscribe(queue)
        assert error.value.code_name == "closed" and error.value.fatal
        with pytest.raises(postwire.ClosedError) as error:
            await producer.send(queue, b"after close")
        assert error.value.code_name == "closed" and error.value.fatal

    run(test)


def test_leaving_an_async_for_loop_keeps_the_consumer(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = unique("aio-loop")
            await client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
            producer = client.producer()
            await asyncio.gather(*(producer.send(queue, f"{i}") for i in range(3)))
            async with await client.subscribe(queue) as consumer:
                async for message in consumer:
                    await message.ack()
                    break
                # Not closed by the break: it still receives, and it can be iterated again.
                second = await consumer.get(WAIT)
                assert second is not None and second.body == b"1"
                await second.ack()
                async for message in consumer:
                    assert message.body == b"2"
                    await message.ack()
                    break

    run(test)
