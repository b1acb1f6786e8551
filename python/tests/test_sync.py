"""The synchronous API against a real broker: round trip, reports, settlement, dedup,
topology, stats, threads."""

from __future__ import annotations

import threading
import time

import postwire
import pytest
from conftest import is_kafka, only_on, queue_options, unique

# What Kafka's transport lacks for now: dead_letter() sends nothing to the topic's .dlq.
DEAD_LETTERS = "dead_letter() on Kafka does not reach TOPIC.dlq yet"
WAIT = 10.0  # seconds: how long a test waits for something the broker should do at once


def receive(consumer: postwire.Consumer, count: int, ack: bool = False) -> list[postwire.Message]:
    """``count`` messages; with ``ack``, each is acked as it comes (so prefetch never stalls)."""
    messages: list[postwire.Message] = []
    while len(messages) < count:
        message = consumer.poll(WAIT)
        assert message is not None, f"received {len(messages)} of {count} messages"
        if ack:
            message.ack()
        messages.append(message)
    return messages


def test_round_trip_keeps_every_field(client: postwire.Client, url: str, queue: str) -> None:
    body = bytes(range(256)) * 3
    headers: dict[str, str | bytes] = {"text": "plain", "binary": b"\x00\x01\xfe\xff"}
    report = (
        client.producer()
        .send(
            queue,
            body,
            key=b"customer-\x00\xff",
            headers=headers,
            id="order-42",
            content_type="application/octet-stream",
            timestamp_ms=1_700_000_000_123,
        )
        .result(WAIT)
    )
    assert report.error is None
    assert report.id == "order-42"
    assert report.destination == queue
    assert report.attempts >= 1
    assert report.latency_us > 0

    with client.subscribe(queue) as consumer:
        (message,) = receive(consumer, 1)
        assert message.body == body
        assert message.key == b"customer-\x00\xff"
        assert message.id == "order-42"
        assert message.content_type == "application/octet-stream"
        assert message.header("text") == b"plain"
        assert message.header("binary") == b"\x00\x01\xfe\xff"
        assert message.header("absent") is None
        assert ("binary", b"\x00\x01\xfe\xff") in message.headers
        # AMQP timestamps are whole seconds; Kafka's records keep milliseconds.
        assert message.timestamp_ms == (1_700_000_000_123 if is_kafka(url) else 1_700_000_000_000)
        assert message.source == queue
        assert message.delivery_count == 1
        assert not message.redelivered
        assert message.priority is None
        message.ack()
        assert consumer.poll(0.3) is None


def test_str_bodies_and_keys_are_sent_as_utf8(client: postwire.Client, queue: str) -> None:
    client.producer().send(queue, "grüße", key="ключ").result(WAIT)
    with client.subscribe(queue) as consumer:
        (message,) = receive(consumer, 1)
        assert message.body == "grüße".encode()
        assert message.key == "ключ".encode()
        message.ack()


def test_messages_without_a_key_have_none(client: postwire.Client, queue: str) -> None:
    client.producer().send(queue, b"no key").result(WAIT)
    with client.subscribe(queue) as consumer:
        (message,) = receive(consumer, 1)
        assert message.key is None
        assert message.id  # a UUIDv7 was assigned
        message.ack()


def test_delivery_reports_settle_every_handle(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    handles = [producer.send(queue, f"message {i}") for i in range(2000)]
    producer.flush(60)
    assert all(handle.done() for handle in handles)
    reports = [handle.result(0) for handle in handles]
    assert len({report.id for report in reports}) == 2000
    assert producer.in_flight() == 0
    called = threading.Event()
    handles[0].add_done_callback(lambda handle: called.set())  # already done: called at once
    assert called.is_set()
    stats = client.stats()
    assert stats["confirmed"] >= 2000


def test_done_callbacks_run_when_the_report_arrives(client: postwire.Client, queue: str) -> None:
    seen: list[postwire.DeliveryReport] = []
    arrived = threading.Event()

    def on_done(handle: postwire.DeliveryHandle) -> None:
        seen.append(handle.report())
        arrived.set()

    client.producer().send(queue, b"x").add_done_callback(on_done)
    assert arrived.wait(WAIT)
    assert seen[0].error is None and seen[0].destination == queue


def test_a_failed_delivery_raises_its_error(client: postwire.Client, url: str) -> None:
    # A missing exchange on RabbitMQ; Kafka has no exchanges, so a missing topic there.
    missing = unique("missing") if is_kafka(url) else f"exchange/{unique('missing')}"
    handle = client.producer().send(missing, b"lost?", key="k")
    with pytest.raises(postwire.NotFoundError) as failed:
        handle.result(WAIT)
    assert failed.value.code_name == "not_found"
    report = handle.report(0)
    assert isinstance(report.error, postwire.NotFoundError)


def test_nack_redelivers_after_the_delay(client: postwire.Client, queue: str) -> None:
    client.producer().send(queue, b"retry me").result(WAIT)
    with client.subscribe(queue) as consumer:
        (first,) = receive(consumer, 1)
        first.nack(delay=0.3)
        with pytest.raises(postwire.InvalidArgumentError):
            first.ack()  # settled already
        (again,) = receive(consumer, 1)
        assert again.body == b"retry me"
        assert again.id == first.id
        assert again.delivery_count == 2
        again.ack()
    with pytest.raises(ValueError):
        first.nack(delay=-1)


@only_on("amqp", why=DEAD_LETTERS)
def test_dead_letter_moves_the_message_with_its_reason(client: postwire.Client, queue: str) -> None:
    client.producer().send(queue, b"poison", id="bad-1").result(WAIT)
    with client.subscribe(queue) as consumer:
        (message,) = receive(consumer, 1)
        message.dead_letter("payment declined")
        assert consumer.poll(0.3) is None
    dead = subscribe_when_declared(client, f"{queue}.dlq")
    with dead:
        (message,) = receive(dead, 1)
        assert message.body == b"poison"
        assert message.id == "bad-1"
        assert message.header("pw-dead-letter-reason") == b"payment declined"
        assert message.header("pw-original-destination") == queue.encode()
        message.ack()


def subscribe_when_declared(client: postwire.Client, queue: str) -> postwire.Consumer:
    """The dead-letter queue is declared by the client as it moves the first message."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            return client.subscribe(queue)
        except postwire.NotFoundError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@only_on("amqp", why=DEAD_LETTERS)
def test_messages_past_max_deliveries_are_dead_lettered(url: str) -> None:
    with postwire.connect(url, max_deliveries=2) as client:
        queue = unique("max")
        client.declare_queue(queue, **queue_options(url, durable=False, auto_delete=True))
        client.producer().send(queue, b"always fails").result(WAIT)
        with client.subscribe(queue) as consumer:
            for _ in range(2):
                (message,) = receive(consumer, 1)
                message.nack()
            assert consumer.poll(0.5) is None
        with subscribe_when_declared(client, f"{queue}.dlq") as dead:
            (message,) = receive(dead, 1)
            assert message.body == b"always fails"
            message.ack()
        client.delete_queue(f"{queue}.dlq")


def test_repeated_ids_are_delivered_once(url: str, queue: str) -> None:
    with postwire.connect(url, dedup_window_size=100) as client:
        producer = client.producer()
        for _ in range(3):
            producer.send(queue, b"charge card", id="payment-7")
        producer.send(queue, b"other", id="payment-8")
        producer.flush(WAIT)
        with client.subscribe(queue) as consumer:
            first = receive(consumer, 1)[0]
            first.ack()
            second = receive(consumer, 1)[0]
            second.ack()
            assert {first.id, second.id} == {"payment-7", "payment-8"}
            assert consumer.poll(0.5) is None
        assert client.stats()["deduplicated"] == 2


def test_threads_share_one_producer(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    per_thread = 2500
    handles: list[list[postwire.DeliveryHandle]] = [[] for _ in range(4)]

    def send(index: int) -> None:
        for i in range(per_thread):
            handles[index].append(producer.send(queue, f"{index}:{i}", key=str(index)))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    producer.flush(60)
    assert all(handle.result(0).error is None for batch in handles for handle in batch)
    with client.subscribe(queue, prefetch=500) as consumer:
        messages = receive(consumer, 4 * per_thread, ack=True)
    # Each thread's messages arrive in the order it sent them.
    for index in range(4):
        mine = [m.body for m in messages if m.key == str(index).encode()]
        assert mine == [f"{index}:{i}".encode() for i in range(per_thread)]


def test_iteration_ends_when_the_consumer_closes(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    for i in range(3):
        producer.send(queue, f"{i}")
    producer.flush(WAIT)
    consumer = client.subscribe(queue)
    received = []
    for message in consumer:
        received.append(message.body)
        message.ack()
        if len(received) == 3:
            threading.Timer(0.2, consumer.close).start()
    assert received == [b"0", b"1", b"2"]
    consumer.close()  # a second close is harmless


@only_on("amqp", why="Kafka has no exchanges (capabilities().exchanges is off)")
def test_topology_calls(client: postwire.Client) -> None:
    exchange = unique("events")
    audit, billing = unique("audit"), unique("billing")
    client.declare_exchange(exchange, type="topic", durable=False)
    for queue in (audit, billing):
        client.declare_queue(queue, durable=False)
    client.bind(exchange, audit, routing_key="order.#")
    client.bind(exchange, billing, routing_key="order.paid")
    producer = client.producer()
    producer.send(f"exchange/{exchange}", b"created", key="order.created")
    producer.send(f"exchange/{exchange}", b"paid", key="order.paid")
    producer.flush(WAIT)
    info = client.declare_queue(audit, durable=False)
    assert info == postwire.QueueInfo(audit, 2, 0)
    assert client.declare_queue(billing, durable=False).message_count == 1
    client.unbind(exchange, billing, routing_key="order.paid")
    producer.send(f"exchange/{exchange}", b"paid again", key="order.paid").result(WAIT)
    assert client.declare_queue(billing, durable=False).message_count == 1
    assert client.purge_queue(audit) == 3
    assert client.delete_queue(billing) == 1
    assert client.delete_queue(audit) == 0
    client.delete_exchange(exchange)
    with pytest.raises(postwire.NotFoundError):
        client.producer().send(f"exchange/{exchange}", b"gone", key="k").result(WAIT)


@only_on("amqp", why="Kafka records have no priority (capabilities().priorities is off)")
def test_priority_queues(client: postwire.Client) -> None:
    assert postwire.Capability.PRIORITIES in client.capabilities
    queue = unique("prio")
    client.declare_queue(queue, durable=False, max_priority=9)
    producer = client.producer()
    for priority in (1, 9, 5):
        producer.send(queue, f"p{priority}", priority=priority)
    producer.flush(WAIT)
    with client.subscribe(queue) as consumer:
        messages = receive(consumer, 3)
        assert [m.priority for m in messages] == [9, 5, 1]
        for message in messages:
            message.ack()
    client.delete_queue(queue)


def test_stats_hold_counters_and_no_secrets(url: str) -> None:
    with postwire.connect(url) as client:
        stats = client.stats()
        assert {"sent", "confirmed", "acked", "in_flight"} <= stats.keys()
        assert "guest" not in repr(stats)


def test_events_reach_the_callback(url: str) -> None:
    events: list[postwire.Event] = []
    client = postwire.connect(url, on_event=events.append, log_level="debug")
    client.close()
    connection = [e for e in events if isinstance(e, postwire.ConnectionEvent)]
    assert connection and connection[-1].state == postwire.ConnectionState.CLOSED
    if not is_kafka(url):
        # RabbitMQ's transport logs its connection at debug; Kafka's logs only logins and
        # lost connections, so a plain connect and close log nothing there.
        assert any(isinstance(e, postwire.LogEvent) for e in events)


def test_close_reports_what_is_still_unconfirmed(url: str, queue: str) -> None:
    client = postwire.connect(url)
    producer = client.producer()
    handles = [producer.send(queue, b"x" * 1000) for _ in range(5000)]
    client.close(timeout=0)
    # Every send has an outcome: confirmed, or failed with ClosedError; none is left hanging.
    reports = [handle.report(0) for handle in handles]
    failed = [r for r in reports if r.error is not None]
    assert all(isinstance(r.error, postwire.ClosedError) for r in failed)
    assert all(r.error.fatal and not r.error.retriable for r in failed if r.error)
    with pytest.raises(postwire.ClosedError):
        producer.send(queue, b"after close")
    client.close()  # closing twice is harmless


def test_a_closed_client(url: str, queue: str) -> None:
    client = postwire.connect(url)
    producer = client.producer()
    producer.send(queue, b"before close").result(WAIT)
    consumer = client.subscribe(queue)
    client.close()
    client.close()  # a second close does nothing and raises nothing
    consumer.close()
    consumer.close()
    # stats() still answers, with the final figures.
    stats = client.stats()
    assert isinstance(stats, dict)
    assert stats["sent"] == 1 and stats["confirmed"] == 1 and stats["in_flight"] == 0
    # Every use raises ClosedError, code "closed", fatal as the core says.
    for use in (
        lambda: client.subscribe(queue),
        lambda: client.producer(),
        lambda: producer.send(queue, b"after close"),
        lambda: client.declare_queue(queue),
    ):
        with pytest.raises(postwire.ClosedError) as error:
            use()
        assert error.value.code_name == "closed" and error.value.code == 402
        assert error.value.fatal and not error.value.retriable


def test_leaving_a_for_loop_keeps_the_consumer(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    for i in range(3):
        producer.send(queue, f"{i}")
    producer.flush(WAIT)
    with client.subscribe(queue) as consumer:
        for message in consumer:
            message.ack()
            break
        # Not closed by the break: it polls, and it can be iterated again.
        second = consumer.poll(WAIT)
        assert second is not None and second.body == b"1"
        second.ack()
        for message in consumer:
            assert message.body == b"2"
            message.ack()
            break


def test_message_repr_shows_what_it_is_and_no_header_values(
    client: postwire.Client, queue: str
) -> None:
    producer = client.producer()
    producer.send(
        queue,
        b'{"order": 42, "lines": ["' + b"x" * 100 + b'"]}',
        key="customer-7",
        id="order-42",
        content_type="application/json",
        headers={"authorization": "Bearer s3cr3t"},
    )
    producer.send(queue, b"", id="empty-1").result(WAIT)
    with client.subscribe(queue) as consumer:
        message, empty = receive(consumer, 2)
        text = repr(message)
        assert text.startswith("<Message id='order-42' source=")
        assert f"source={queue!r}" in text and "key=b'customer-7'" in text
        assert "delivery_count=1" in text and "content_type='application/json'" in text
        assert "headers=1" in text and "s3cr3t" not in text
        assert f'body={len(message.body)} bytes b\'{{"order": 42, ' in text
        assert text.endswith("...>") and "x" * 40 not in text  # a preview, not the body
        assert (
            repr(empty) == f"<Message id='empty-1' source={queue!r} delivery_count=1 body=0 bytes>"
        )
        message.ack()
        empty.ack()
