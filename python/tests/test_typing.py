"""Headers as applications write them, checked by mypy --strict (ci/lint) and sent for real.

A header value is str (sent as UTF-8) or bytes-like; one headers= argument may mix them, as a
dict or as a list of (name, value) pairs, written inline or held in an annotated variable.
"""

from __future__ import annotations

import asyncio

import postwire
import postwire.aio
from conftest import only_on

WAIT = 10.0


def expected(message: postwire.Message | postwire.aio.AsyncMessage) -> None:
    assert message.header("text") == b"plain"
    assert message.header("binary") == b"\x00\xff"


def test_mixed_str_and_bytes_headers(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    # Inline: a dict, and a list of pairs, each mixing str and bytes values.
    producer.send(queue, b"1", headers={"text": "plain", "binary": b"\x00\xff"})
    producer.send(queue, b"2", headers=[("text", "plain"), ("binary", b"\x00\xff")])
    # Held in variables: the package's own alias, or a plain annotation of either shape.
    as_alias: postwire.Headers = {"text": "plain", "binary": bytearray(b"\x00\xff")}
    as_dict: dict[str, str | bytes] = {"text": "plain", "binary": b"\x00\xff"}
    as_pairs: list[tuple[str, postwire.HeaderValue]] = [("text", "plain")]
    as_pairs.append(("binary", memoryview(b"\x00\xff")))
    for headers in (as_alias, as_dict, as_pairs):
        producer.send(queue, b"3", headers=headers)
    producer.flush(WAIT)
    with client.subscribe(queue) as consumer:
        first = None
        for _ in range(5):
            message = consumer.poll(WAIT)
            assert message is not None
            expected(message)
            message.ack()
            first = first or message
        assert first is not None
        # A received message's headers are accepted as they are.
        producer.send(queue, b"forwarded", headers=first.headers).result(WAIT)
        forwarded = consumer.poll(WAIT)
        assert forwarded is not None
        expected(forwarded)
        forwarded.ack()


def test_values_other_than_str_and_bytes_are_refused(client: postwire.Client) -> None:
    producer = client.producer()
    try:
        producer.send("anywhere", b"x", headers={"count": 1})  # type: ignore[dict-item]
    except TypeError:
        pass
    else:
        raise AssertionError("an int header value was accepted")


@only_on("amqp", why="a queue the broker names, exclusive to its client, is RabbitMQ's")
def test_mixed_headers_with_asyncio(url: str) -> None:
    async def test() -> None:
        async with await postwire.aio.connect(url) as client:
            queue = (await client.declare_queue("", exclusive=True)).name
            producer = client.producer()
            await producer.send(queue, b"1", headers={"text": "plain", "binary": b"\x00\xff"})
            await producer.send(queue, b"2", headers=[("text", "plain"), ("binary", b"\x00\xff")])
            async with await client.subscribe(queue) as consumer:
                for _ in range(2):
                    message = await consumer.get(WAIT)
                    assert message is not None
                    expected(message)
                    await message.ack()

    asyncio.run(asyncio.wait_for(test(), 120))  # the limit guards against a hang only


@only_on("amqp", why="consumer priorities are RabbitMQ's own subscribe option")
def test_subscribe_options_as_applications_write_them(client: postwire.Client, queue: str) -> None:
    # Inline, values of mixed kinds; and held in a variable with the package's alias.
    with client.subscribe(queue, options={"priority": 5, "exclusive": False}):
        pass
    options: dict[str, postwire.OptionValue] = {"priority": "5", "deliver_as_events": True}
    with client.subscribe(queue, prefetch=10, options=options) as consumer:
        assert consumer.id > 0
