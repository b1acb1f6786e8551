"""A failed send that nobody looks at is not silent: when its handle (sync) or future
(asyncio) is dropped with the failure never retrieved, postwire logs a WARNING on its logger
and hands an UnobservedFailureEvent to on_event. A failure that is retrieved (result(),
report(), await) raises or returns where it is retrieved and is not reported again."""

from __future__ import annotations

import asyncio
import gc
import logging
import queue as queues
from collections.abc import Awaitable, Callable

import postwire
import postwire.aio
import pytest
from conftest import is_kafka, unique

WAIT = 10.0


def lost(url: str) -> type[postwire.PostwireError]:
    """How a send to a destination that does not exist fails: RabbitMQ returns it unroutable
    (no queue is bound to its name), Kafka refuses it for its unknown topic."""
    return postwire.NotFoundError if is_kafka(url) else postwire.UnroutableError


Found = queues.Queue[postwire.UnobservedFailureEvent]


def unobserved_events() -> tuple[Found, Callable[[postwire.Event], None]]:
    found: Found = queues.Queue()

    def on_event(event: postwire.Event) -> None:
        if isinstance(event, postwire.UnobservedFailureEvent):
            found.put(event)

    return found, on_event


def warnings_about(caplog: pytest.LogCaptureFixture, destination: str) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "postwire"
        and record.levelno == logging.WARNING
        and destination in record.getMessage()
    ]


def test_a_dropped_handle_of_a_failed_send_is_reported(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="postwire")
    found, on_event = unobserved_events()
    nowhere = unique("nowhere")
    with postwire.connect(url, on_event=on_event) as client:
        client.producer().send(nowhere, b"lost", id="dropped-1")  # the handle is dropped here
        event = found.get(timeout=WAIT)
    assert isinstance(event.error, lost(url))
    assert isinstance(event, postwire.ErrorEvent)  # an error event among the others
    assert event.report is not None
    assert (event.report.destination, event.report.id) == (nowhere, "dropped-1")
    (warning,) = warnings_about(caplog, nowhere)
    assert "dropped-1" in warning
    assert ("not_found" if is_kafka(url) else "unroutable") in warning
    assert found.empty()


def test_a_failed_handle_dropped_unread_is_reported_when_dropped(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="postwire")
    found, on_event = unobserved_events()
    nowhere = unique("nowhere")
    with postwire.connect(url, on_event=on_event) as client:
        producer = client.producer()
        handle = producer.send(nowhere, b"lost")
        producer.flush(WAIT)  # waiting for the report is not looking at it
        assert handle.done() and found.empty()
        del handle
        event = found.get_nowait()  # reported by the thread that dropped it, at once
        assert isinstance(event.error, lost(url))
    assert len(warnings_about(caplog, nowhere)) == 1


def test_retrieved_failures_and_successes_are_not_reported(
    url: str, queue: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="postwire")
    found, on_event = unobserved_events()
    nowhere = unique("nowhere")
    seen: list[BaseException | None] = []
    with postwire.connect(url, on_event=on_event) as client:
        producer = client.producer()
        with pytest.raises(lost(url)):
            producer.send(nowhere, b"awaited").result(WAIT)
        assert producer.send(nowhere, b"looked at").report(WAIT).error is not None

        def look(handle: postwire.DeliveryHandle) -> None:
            seen.append(handle.report().error)

        producer.send(nowhere, b"called back").add_done_callback(look)
        for i in range(20):
            producer.send(queue, f"fire and forget {i}")  # succeed: nothing to say
        # Reports are settled in order: once this one is, every earlier one is too.
        producer.send(queue, b"last").result(WAIT)
        gc.collect()
        assert found.empty()
    assert len(seen) == 1 and isinstance(seen[0], lost(url))
    assert warnings_about(caplog, nowhere) == []


def test_a_done_callback_that_ignores_the_failure_leaves_it_unobserved(url: str) -> None:
    found, on_event = unobserved_events()
    called: queues.Queue[postwire.DeliveryHandle] = queues.Queue()
    with postwire.connect(url, on_event=on_event) as client:
        # The handle is dropped here, yet its callback runs: the client holds it for that.
        client.producer().send(unique("nowhere"), b"x").add_done_callback(called.put)
        handle = called.get(timeout=WAIT)
        assert handle.done() and found.empty()
        del handle  # nobody asked for its result
        event = found.get(timeout=WAIT)
    assert isinstance(event.error, lost(url))


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 120))  # the limit guards against a hang only


def test_an_unawaited_failed_send_is_reported_and_an_awaited_one_raises(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    found, on_event = unobserved_events()
    nowhere = unique("nowhere")

    async def test() -> None:
        async with await postwire.aio.connect(url, on_event=on_event) as client:
            producer = client.producer()
            producer.send(nowhere, b"never awaited", id="unawaited-1")
            with pytest.raises(lost(url)):
                await producer.send(nowhere, b"awaited", id="awaited-1")
            results = await asyncio.gather(
                producer.send(nowhere, b"gathered", id="gathered-1"), return_exceptions=True
            )
            assert isinstance(results[0], lost(url))
            cancelled = producer.send(nowhere, b"cancelled", id="cancelled-1")
            cancelled.cancel()  # gives up on the outcome; the message is still sent
            await producer.flush(WAIT)

    run(test)
    events: list[postwire.UnobservedFailureEvent] = []
    while not found.empty():
        events.append(found.get_nowait())
    assert sorted(e.report.id for e in events if e.report) == ["cancelled-1", "unawaited-1"]
    assert all(isinstance(e.error, lost(url)) for e in events)
    warnings = warnings_about(caplog, nowhere)
    assert sorted(w.split("(id ")[1].split(")")[0] for w in warnings) == [
        "cancelled-1",
        "unawaited-1",
    ]
    # postwire's warning replaces asyncio's "exception was never retrieved".
    assert not [
        r for r in caplog.records if r.name == "asyncio" and "never retrieved" in r.getMessage()
    ]
