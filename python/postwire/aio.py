"""The asyncio API: ``await postwire.aio.connect(url)``.

Driven by the wakeup fds of the C ABI through ``loop.add_reader``: the client's fd for
delivery reports and events (and the messages of consumers subscribed with
``deliver_as_events``), each other consumer's fd for its messages. Nothing here polls on a
timer, and no thread is used per send or per message; the calls that wait for a broker round
trip (connect, subscribe, topology, close) run in the loop's default executor.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import weakref
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, NoReturn, TypeVar

from . import _exit, _native
from ._client import (
    DEFAULT_CLOSE_TIMEOUT,
    EVENT_BATCH,
    MESSAGE_BATCH,
    Capability,
    QueueInfo,
    _binding_options,
)
from ._events import DeliveryReport, EventCallback, Position, dispatch, report_unobserved
from ._options import (
    HeaderValue,
    OptionValue,
    config_pairs,
    milliseconds,
    subscribe_options,
    topology_options,
)
from ._send import Headers, native_send
from .errors import (
    ClosedError,
    ForkedProcessError,
    PostwireError,
    QueueFullError,
    _own_error,
)

__all__ = ["AsyncClient", "AsyncConsumer", "AsyncMessage", "AsyncProducer", "connect"]

T = TypeVar("T")


class _DeliveryFuture(asyncio.Future[DeliveryReport]):
    """The future of one send. Dropped failed with its exception never retrieved (never
    awaited, nor asked for its result or exception), it reports the failure as unobserved on
    the ``postwire`` logger and to ``on_event``, instead of asyncio's "exception was never
    retrieved"."""

    __slots__ = ("_on_event", "_report")

    _on_event: EventCallback | None
    _report: DeliveryReport | None

    def __del__(self) -> None:
        if self._log_traceback:  # failed, and nobody retrieved the exception
            self._log_traceback = False  # asyncio's own complaint would repeat this one
            error = self._exception
            if isinstance(error, PostwireError):
                report_unobserved(error, self._report, self._on_event)


class AsyncMessage:
    """A received message; settle it once with ack, nack or dead_letter."""

    __slots__ = ("_message",)

    def __init__(self, message: _native.Message) -> None:
        self._message = message

    @property
    def body(self) -> bytes:
        return self._message.body

    @property
    def key(self) -> bytes | None:
        return self._message.key

    @property
    def id(self) -> str:
        return self._message.id

    @property
    def content_type(self) -> str | None:
        return self._message.content_type

    @property
    def headers(self) -> list[tuple[str, bytes]]:
        return self._message.headers

    def header(self, name: str) -> bytes | None:
        return self._message.header(name)

    @property
    def source(self) -> str:
        return self._message.source

    @property
    def delivery_count(self) -> int:
        return self._message.delivery_count

    @property
    def redelivered(self) -> bool:
        return self._message.redelivered

    @property
    def priority(self) -> int | None:
        return self._message.priority

    @property
    def timestamp_ms(self) -> int | None:
        return self._message.timestamp_ms

    @property
    def position(self) -> Position:
        return self._message.position

    @property
    def consumer_id(self) -> int:
        return self._message.consumer_id

    async def ack(self) -> None:
        """Done with it: the broker forgets it."""
        self._message.ack()

    async def nack(self, delay: float = 0.0) -> None:
        """Deliver it again after ``delay`` seconds (dead-lettered past max.deliveries)."""
        self._message.nack(delay)

    async def dead_letter(self, reason: str) -> None:
        """Moves it to the dead-letter destination with ``reason``."""
        self._message.dead_letter(reason)

    def __repr__(self) -> str:
        # The sync Message's repr: id, source, key, delivery count, body length and preview.
        return "<Async" + repr(self._message)[1:]


class AsyncProducer:
    """Sends messages through its client; ``await send(...)`` returns the delivery report."""

    def __init__(self, native: _native.Producer, client: AsyncClient) -> None:
        self._native = native
        self._client = client

    def send(
        self,
        destination: str,
        body: HeaderValue,
        *,
        key: HeaderValue | None = None,
        headers: Headers | None = None,
        id: str | None = None,
        content_type: str | None = None,
        priority: int | None = None,
        ttl: float | None = None,
        timestamp_ms: int | None = None,
        persistent: bool = True,
    ) -> asyncio.Future[DeliveryReport]:
        """Queues a message and returns a future of its delivery report: ``await`` it for the
        report, which raises the report's error if the message could not be delivered. The
        message is queued (or, while the send buffer is full, waits in the client's line for
        room, up to max.block.ms) when this returns, so sends made in order go out in order;
        bad arguments and a closed client raise here, and a line that is full too fails the
        future with QueueFullError. Cancelling the future does not withdraw a queued message."""
        send = native_send(
            self._native,
            destination,
            body,
            key,
            headers,
            id,
            content_type,
            priority,
            ttl,
            timestamp_ms,
            persistent,
            nowait=True,
        )
        return self._client._send(send)

    async def flush(self, timeout: float | None = None) -> None:
        """Waits until every message sent so far through the client has its delivery report
        (and every future of a send is done); raises TimedOutError after ``timeout`` s."""
        timeout_ms = milliseconds("timeout", timeout)
        await _in_executor(self._native.flush, -1 if timeout_ms is None else timeout_ms)
        self._client._drain_queued()

    def in_flight(self) -> int:
        """Messages sent through the client and not yet reported."""
        return self._native.in_flight()


class AsyncConsumer:
    """Receives messages from one queue: ``async for message in consumer``."""

    def __init__(self, native: _native.Consumer, as_events: bool) -> None:
        self._native = native
        self._id = native.id
        self._fd = native.wakeup_fd()
        # Messages taken from the C ABI in a batch (or, for a consumer that takes them as
        # client events, routed here by the client) and not handed out yet, as in the sync
        # Consumer.
        self._buffer: collections.deque[_native.Message] = collections.deque()
        self._closed = False  # closed, or its client: the buffer is no longer handed out
        self._arrived = asyncio.Event() if as_events else None

    @property
    def id(self) -> int:
        """Unique among the client's consumers (see Consumer.id)."""
        return self._id

    def _take(self) -> AsyncMessage | None:
        """The next message without waiting, or None."""
        if not self._closed and self._buffer:
            return AsyncMessage(self._buffer.popleft())
        if self._arrived is not None:
            if self._closed:
                self._raise_closed()
            return None
        batch = self._native.poll_batch(MESSAGE_BATCH, 0)
        if not batch:
            return None
        self._buffer.extend(batch[1:])
        return AsyncMessage(batch[0])

    def _raise_closed(self) -> NoReturn:
        # The C ABI says why: closed (by close() or the client's), or used after fork().
        self._native.poll_batch(1, 0)
        raise _own_error("closed", "the consumer is closed (by close() or its client's close)")

    def _deliver(self, message: _native.Message) -> None:
        """From the client's reader: a message delivered to this consumer as an event."""
        assert self._arrived is not None
        if not self._closed:  # else dropped unsettled: the broker redelivers it
            self._buffer.append(message)
            self._arrived.set()

    def _discard(self) -> None:
        """Closed, or its client: what it holds and never handed out goes back to the broker
        (unsettled), and waiting tasks learn of the close."""
        self._closed = True
        self._buffer.clear()
        if self._arrived is not None:
            self._arrived.set()

    async def get(self, timeout: float | None = None) -> AsyncMessage | None:
        """The next message, or None if none arrived within ``timeout`` seconds (None: wait
        until one does). Raises ClosedError once the consumer or its client is closed."""
        message = self._take()
        if message is not None:
            return message
        if timeout is None:
            return await self._next()
        try:
            return await asyncio.wait_for(self._next(), timeout)
        except TimeoutError:
            return None

    async def _next(self) -> AsyncMessage:
        while True:
            message = self._take()
            if message is not None:
                return message
            if self._arrived is None:
                await _readable(self._fd)
            else:
                self._arrived.clear()
                await self._arrived.wait()

    def __aiter__(self) -> AsyncConsumer:
        return self

    async def __anext__(self) -> AsyncMessage:
        """Waits for the next message; iteration ends when the consumer is closed."""
        try:
            return await self._next()
        except ClosedError:
            raise StopAsyncIteration from None

    async def close(self) -> None:
        """Stops consuming; messages not yet settled (and those taken from the broker but
        not yet handed out) are redelivered by the broker."""
        # Closing twice, or after the client, is already done.
        with contextlib.suppress(ClosedError):
            await _in_executor(self._native.close)
        self._discard()

    async def __aenter__(self) -> AsyncConsumer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncClient:
    """A connection to one broker cluster, used from one event loop."""

    def __init__(
        self,
        native: _native.Client,
        loop: asyncio.AbstractEventLoop,
        on_event: EventCallback | None,
    ) -> None:
        self._native = native
        self._loop = loop
        self._on_event = on_event
        self._tokens = itertools.count(1)
        self._reports: dict[int, _DeliveryFuture] = {}
        self._closing = False
        # The client's consumers by id, and the messages that came (as events) for consumers
        # not registered yet while subscribes are under way, as in the sync Client.
        self._consumers: weakref.WeakValueDictionary[int, AsyncConsumer] = (
            weakref.WeakValueDictionary()
        )
        self._subscribing = 0
        self._unclaimed: dict[int, list[_native.Message]] = {}
        self._fd = native.wakeup_fd()
        loop.add_reader(self._fd, self._drain)
        _exit.track(self)

    # --- events --------------------------------------------------------------------------

    def _drain(self) -> int:
        """Reader callback of the client's fd: one batch of events per loop iteration.
        Returns how many events it took."""
        try:
            items = self._native.poll(EVENT_BATCH, 0, False)
        except (ClosedError, ForkedProcessError):
            self._closing = True  # nothing more will come: stop watching the fd
            items = []
        if not items:
            if self._closing:  # a closed client's fd stays readable
                self._loop.remove_reader(self._fd)
            return 0
        for token, report in dispatch(items, self._on_event, self._route):
            future = self._reports.pop(token, None)
            if future is None:
                continue
            if future.done():  # cancelled by its sender: nobody listens
                if report.error is not None:
                    report_unobserved(report.error, report, self._on_event)
                continue
            if report.error is None:
                future.set_result(report)
            else:
                future._report = report
                future.set_exception(report.error)
        return len(items)

    def _route(self, consumer_id: int, message: _native.Message) -> None:
        """A message delivered as an event goes to its consumer, by id; one for a consumer
        that is gone is dropped unsettled (the broker redelivers it)."""
        consumer = self._consumers.get(consumer_id)
        if consumer is not None and consumer._arrived is not None:
            consumer._deliver(message)
        elif consumer is None and self._subscribing:
            self._unclaimed.setdefault(consumer_id, []).append(message)

    def _register(self) -> tuple[int, _DeliveryFuture]:
        token = next(self._tokens)
        future = _DeliveryFuture(loop=self._loop)
        future._on_event = self._on_event
        future._report = None
        self._reports[token] = future
        return token, future

    def _send(self, send: Callable[[int], None]) -> asyncio.Future[DeliveryReport]:
        """Runs ``send(token)``, a native send that never blocks: without room in the send
        buffer the message waits in the core's line (in order, up to max.block.ms), and its
        report says so."""
        token, future = self._register()
        try:
            send(token)
        except QueueFullError as full:  # the line is full too: the future says so, as ever
            del self._reports[token]
            future.set_exception(full)
        except BaseException:
            del self._reports[token]
            raise
        return future

    # --- producing and consuming ---------------------------------------------------------

    def producer(self) -> AsyncProducer:
        return AsyncProducer(self._native.producer(), self)

    async def subscribe(
        self,
        source: str,
        *,
        prefetch: int = 0,
        exclusive: bool = False,
        deliver_as_events: bool = False,
        options: Mapping[str, OptionValue] | None = None,
    ) -> AsyncConsumer:
        """Starts consuming from the queue ``source`` (see Client.subscribe). With
        ``deliver_as_events`` the messages come through the client's fd, which serves every
        such consumer, instead of the consumer's own."""
        flat, as_events = subscribe_options(prefetch, exclusive, deliver_as_events, options)
        self._subscribing += 1
        consumer = None
        try:
            consumer = AsyncConsumer(
                await _in_executor(self._native.subscribe, source, flat), as_events
            )
        finally:
            self._subscribing -= 1
            if consumer is not None:
                self._consumers[consumer.id] = consumer
                for message in self._unclaimed.pop(consumer.id, ()):
                    consumer._deliver(message)
            if not self._subscribing:
                self._unclaimed.clear()  # their consumers are gone
        assert consumer is not None  # the native subscribe raised otherwise
        return consumer

    # --- topology ------------------------------------------------------------------------

    async def declare_queue(self, name: str = "", **options: OptionValue | None) -> QueueInfo:
        result = await _in_executor(self._native.declare_queue, name, topology_options(options))
        return QueueInfo(*result)

    async def declare_exchange(self, name: str, **options: OptionValue | None) -> None:
        await _in_executor(self._native.declare_exchange, name, topology_options(options))

    async def bind(
        self,
        exchange: str,
        destination: str,
        *,
        routing_key: str = "",
        destination_is_exchange: bool = False,
        match: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        options = _binding_options(routing_key, destination_is_exchange, match, headers)
        await _in_executor(self._native.bind, exchange, destination, options)

    async def unbind(
        self,
        exchange: str,
        destination: str,
        *,
        routing_key: str = "",
        destination_is_exchange: bool = False,
        match: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        options = _binding_options(routing_key, destination_is_exchange, match, headers)
        await _in_executor(self._native.unbind, exchange, destination, options)

    async def purge_queue(self, name: str) -> int:
        return await _in_executor(self._native.purge_queue, name)

    async def delete_queue(
        self, name: str, *, if_unused: bool = False, if_empty: bool = False
    ) -> int:
        options = topology_options({"if_unused": if_unused, "if_empty": if_empty})
        return await _in_executor(self._native.delete_queue, name, options)

    async def delete_exchange(self, name: str, *, if_unused: bool = False) -> None:
        options = topology_options({"if_unused": if_unused})
        await _in_executor(self._native.delete_exchange, name, options)

    # --- state ---------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = json.loads(self._native.stats())
        return stats

    @property
    def capabilities(self) -> Capability:
        return Capability(self._native.capabilities())

    async def close(self, timeout: float | None = DEFAULT_CLOSE_TIMEOUT) -> None:
        """Waits up to ``timeout`` seconds for unconfirmed messages, then closes; what is
        still unconfirmed is reported failed (ClosedError). Closing twice does nothing."""
        if self._closing:
            return
        self._closing = True
        _exit.untrack(self)
        timeout_ms = milliseconds("timeout", timeout)
        await _in_executor(self._native.close, -1 if timeout_ms is None else timeout_ms)
        self._drain_queued()
        self._loop.remove_reader(self._fd)
        for consumer in list(self._consumers.values()):
            consumer._discard()

    def _drain_queued(self) -> None:
        """Takes every event already queued (after flush or close), settling their futures."""
        while self._drain() == EVENT_BATCH:
            pass

    def _close_at_exit(self) -> None:
        self._closing = True
        self._native.close(-1)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


async def connect(
    url: str,
    config: Mapping[str, OptionValue] | None = None,
    *,
    on_event: EventCallback | None = None,
    **options: OptionValue,
) -> AsyncClient:
    """Connects to ``url``; options as for postwire.connect(). The connection is made in the
    loop's default executor, so the loop keeps running meanwhile."""
    pairs = config_pairs(config, options)
    loop = asyncio.get_running_loop()
    native = await _in_executor(_native.Client.connect, url, pairs)
    return AsyncClient(native, loop, on_event)


async def _in_executor(function: Callable[..., T], *arguments: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, function, *arguments)


async def _readable(fd: int) -> None:
    """Waits until ``fd`` is readable (level-triggered: at once if it already is)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def on_readable() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, on_readable)
    try:
        await ready
    finally:
        loop.remove_reader(fd)
