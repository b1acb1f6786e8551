"""The synchronous API: Client, Producer, Consumer."""

from __future__ import annotations

import collections
import contextlib
import enum
import json
import os
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any, NamedTuple, NoReturn

from . import _exit, _native
from ._delivery import DeliveryHandle, Registry
from ._events import EventCallback, dispatch
from ._options import (
    HeaderValue,
    OptionValue,
    config_pairs,
    milliseconds,
    subscribe_options,
    topology_options,
)
from ._send import Headers, native_send
from .errors import ClosedError, ForkedProcessError, _own_error

Message = _native.Message

# Events taken from the C ABI per poll: one crossing serves up to this many.
EVENT_BATCH = 1024
# Messages taken from the C ABI per poll of a consumer; the rest of a batch waits in the
# consumer, in order, to be handed out one by one. They are unsettled like messages in the
# application's hands, so the broker's prefetch bounds them, and when the consumer closes
# those never handed out go back to the broker with the other unsettled ones.
MESSAGE_BATCH = 512
# The C ABI's default close timeout (postwire_client_close with a negative timeout).
DEFAULT_CLOSE_TIMEOUT = 10.0


class Capability(enum.IntFlag):
    """What the connected broker can do (POSTWIRE_CAP_* in postwire.h)."""

    EXCHANGES = _native.CAP_EXCHANGES
    PRIORITIES = _native.CAP_PRIORITIES
    PER_MESSAGE_TTL = _native.CAP_PER_MESSAGE_TTL
    DELAYED_NACK = _native.CAP_DELAYED_NACK
    BROKER_DEAD_LETTER = _native.CAP_BROKER_DEAD_LETTER
    EXCLUSIVE_CONSUMERS = _native.CAP_EXCLUSIVE_CONSUMERS
    SINGLE_ACTIVE_CONSUMER = _native.CAP_SINGLE_ACTIVE_CONSUMER
    QUORUM_QUEUES = _native.CAP_QUORUM_QUEUES
    PARTITIONS = _native.CAP_PARTITIONS
    SEEK = _native.CAP_SEEK
    CONSUMER_GROUPS = _native.CAP_CONSUMER_GROUPS
    FIFO = _native.CAP_FIFO
    NATIVE_DELAY = _native.CAP_NATIVE_DELAY
    VISIBILITY_EXTENSION = _native.CAP_VISIBILITY_EXTENSION


class QueueInfo(NamedTuple):
    name: str
    message_count: int
    consumer_count: int


class Producer:
    """Sends messages through its client; thread-safe (many threads may share one)."""

    def __init__(self, native: _native.Producer, registry: Registry) -> None:
        self._native = native
        self._registry = registry

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
    ) -> DeliveryHandle:
        """Queues a message for ``destination`` (a queue, or ``exchange/NAME``) and returns
        at once with a handle to its delivery report. ``id`` is the idempotency key (a UUIDv7
        when None); ``key`` the ordering key; ``ttl`` in seconds. Blocks only while the send
        buffer is full (``max.block.ms``), then raises QueueFullError."""
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
        )
        token, handle = self._registry.register()
        try:
            send(token)
        except BaseException:
            self._registry.forget(token)
            raise
        return handle

    def flush(self, timeout: float | None = None) -> None:
        """Waits until every message sent so far through the client has its delivery report
        (so every handle is done); raises TimedOutError after ``timeout`` seconds."""
        pending = self._registry.pending()
        deadline = None if timeout is None else time.monotonic() + timeout
        timeout_ms = milliseconds("timeout", timeout)
        self._native.flush(-1 if timeout_ms is None else timeout_ms)
        for handle in pending:
            # The reports are queued; the event thread is settling them. Waiting here does not
            # count as looking at a failure (that is for result() and report()).
            self._registry.wait(
                handle, None if deadline is None else max(0.0, deadline - time.monotonic())
            )

    def in_flight(self) -> int:
        """Messages sent through the client and not yet reported."""
        return self._native.in_flight()


class Consumer:
    """Receives messages from one queue: iterate it, or call poll(). One thread at a time."""

    def __init__(self, native: _native.Consumer, as_events: bool) -> None:
        self._native = native
        self._id = native.id
        self._buffer: collections.deque[Message] = collections.deque()
        self._closed = False  # closed, or its client: the buffer is no longer handed out
        # Set for a consumer that takes its messages as client events: the client's event
        # thread puts them in the buffer and notifies this.
        self._arrived = threading.Condition() if as_events else None
        _live_consumers.add(self)

    @property
    def id(self) -> int:
        """Unique among the client's consumers; each message says which consumer it came to
        (``Message.consumer_id``), as do ConsumerEvents."""
        return self._id

    def poll(self, timeout: float | None = None) -> Message | None:
        """The next message, or None if none arrived within ``timeout`` seconds (None: wait
        until one does). Raises ClosedError once the consumer or its client is closed."""
        if not self._closed:
            try:
                return self._buffer.popleft()
            except IndexError:
                pass
        if self._arrived is not None:
            return self._wait_for_delivery(timeout)
        timeout_ms = milliseconds("timeout", timeout)
        batch = self._native.poll_batch(MESSAGE_BATCH, -1 if timeout_ms is None else timeout_ms)
        if not batch:
            return None
        self._buffer.extend(batch[1:])
        return batch[0]

    def _wait_for_delivery(self, timeout: float | None) -> Message | None:
        """poll() of a consumer whose messages come through the client's event thread."""
        assert self._arrived is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._arrived:
            while not self._closed:
                if self._buffer:
                    return self._buffer.popleft()
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._arrived.wait(remaining)
        self._raise_closed()

    def _raise_closed(self) -> NoReturn:
        # The C ABI says why: closed (by close() or the client's), or used after fork().
        self._native.poll_batch(1, 0)
        raise _own_error("closed", "the consumer is closed (by close() or its client's close)")

    def _deliver(self, message: Message) -> None:
        """From the client's event thread: a message delivered to this consumer as an event."""
        assert self._arrived is not None
        with self._arrived:
            if self._closed:
                return  # dropped unsettled: the broker redelivers it
            self._buffer.append(message)
            self._arrived.notify()

    def _discard(self) -> None:
        """The consumer or its client is closed: what it holds and never handed out is let
        go of unsettled (the broker redelivers it), and waiting pollers learn of the close."""
        self._closed = True
        if self._arrived is None:
            self._buffer.clear()
            return
        with self._arrived:
            self._buffer.clear()
            self._arrived.notify_all()

    def __iter__(self) -> Iterator[Message]:
        return self

    def __next__(self) -> Message:
        """Waits for the next message; iteration ends when the consumer is closed."""
        try:
            message = self.poll()
        except ClosedError:
            raise StopIteration from None
        assert message is not None  # an unlimited wait ends with a message or ClosedError
        return message

    def close(self) -> None:
        """Stops consuming; messages not yet settled (and those taken from the broker but
        not yet handed out) are redelivered by the broker."""
        # Closing twice, or after the client, is already done.
        with contextlib.suppress(ClosedError):
            self._native.close()
        self._discard()

    def __enter__(self) -> Consumer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


# Every consumer of the process, so that a child made by fork() hands out none of the
# messages its parent's consumers hold: they belong to the parent (polling raises
# ForkedProcessError in the child, as the C ABI does for every use of the parent's client).
_live_consumers: weakref.WeakSet[Consumer] = weakref.WeakSet()


def _forget_consumers_in_child() -> None:
    for consumer in list(_live_consumers):
        consumer._closed = True


os.register_at_fork(after_in_child=_forget_consumers_in_child)


class Client:
    """A connection to one broker cluster. Use it as a context manager, or close() it."""

    def __init__(self, native: _native.Client, on_event: EventCallback | None) -> None:
        self._native = native
        self._on_event = on_event
        self._registry = Registry(on_event)
        self._closing = False
        # The client's consumers by id: messages of those that take them as events are
        # routed here, and closing the client closes what every consumer holds.
        self._consumers: weakref.WeakValueDictionary[int, Consumer] = weakref.WeakValueDictionary()
        self._routes = threading.Lock()  # guards the three fields below and the routing
        # Subscribes under way, and the messages that came for consumers not registered yet:
        # a new consumer's first messages may reach the event thread before subscribe()
        # returns. With no subscribe under way, a message for no known consumer belongs to
        # one that is gone, and is dropped unsettled (the broker redelivers it).
        self._subscribing = 0
        self._unclaimed: dict[int, list[Message]] = {}
        self._events = threading.Thread(target=self._pump, name="postwire-events", daemon=True)
        self._events.start()
        _exit.track(self)

    def _pump(self) -> None:
        """The event thread: polls the client's events and settles delivery handles."""
        native = self._native
        while True:
            try:
                items = native.poll(EVENT_BATCH, -1, False)
            except (ClosedError, ForkedProcessError):
                return
            if items:
                self._registry.settle(dispatch(items, self._on_event, self._route))
            elif self._closing:
                return

    def _route(self, consumer_id: int, message: Message) -> None:
        """The event thread: a message delivered as an event goes to its consumer, by id."""
        with self._routes:
            consumer = self._consumers.get(consumer_id)
            if consumer is not None and consumer._arrived is not None:
                consumer._deliver(message)
            elif consumer is None and self._subscribing:
                self._unclaimed.setdefault(consumer_id, []).append(message)

    # --- producing and consuming ---------------------------------------------------------

    def producer(self) -> Producer:
        """A producer; many threads may send through one."""
        return Producer(self._native.producer(), self._registry)

    def subscribe(
        self,
        source: str,
        *,
        prefetch: int = 0,
        exclusive: bool = False,
        deliver_as_events: bool = False,
        options: Mapping[str, OptionValue] | None = None,
    ) -> Consumer:
        """Starts consuming from the queue ``source``. ``prefetch`` bounds the unsettled
        messages the broker sends ahead (0: ``consumer.prefetch.count``); ``exclusive``
        refuses other consumers. With ``deliver_as_events`` the messages come through the
        client's event thread, which serves every such consumer, instead of the consumer's
        own wait. ``options`` holds further options by name, such as RabbitMQ's
        ``priority`` (docs/python.md lists them per broker); an unknown one, or a bad
        value, raises InvalidArgumentError naming it."""
        flat, as_events = subscribe_options(prefetch, exclusive, deliver_as_events, options)
        with self._routes:
            self._subscribing += 1
        consumer = None
        try:
            consumer = Consumer(self._native.subscribe(source, flat), as_events)
        finally:
            with self._routes:
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

    def declare_queue(self, name: str = "", **options: OptionValue | None) -> QueueInfo:
        """Declares a queue ("" lets the broker name it). Options as in postwire.h:
        durable, exclusive, auto_delete, type, dead_letter_exchange, max_priority, ..."""
        return QueueInfo(*self._native.declare_queue(name, topology_options(options)))

    def declare_exchange(self, name: str, **options: OptionValue | None) -> None:
        """Declares an exchange; options: type (direct|fanout|topic|headers), durable, ..."""
        self._native.declare_exchange(name, topology_options(options))

    def bind(
        self,
        exchange: str,
        destination: str,
        *,
        routing_key: str = "",
        destination_is_exchange: bool = False,
        match: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Binds a queue (or an exchange) to ``exchange``."""
        self._native.bind(
            exchange,
            destination,
            _binding_options(routing_key, destination_is_exchange, match, headers),
        )

    def unbind(
        self,
        exchange: str,
        destination: str,
        *,
        routing_key: str = "",
        destination_is_exchange: bool = False,
        match: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Removes a binding made with the same arguments."""
        self._native.unbind(
            exchange,
            destination,
            _binding_options(routing_key, destination_is_exchange, match, headers),
        )

    def purge_queue(self, name: str) -> int:
        """Removes every message from a queue; returns how many."""
        return self._native.purge_queue(name)

    def delete_queue(self, name: str, *, if_unused: bool = False, if_empty: bool = False) -> int:
        """Deletes a queue; returns how many messages it held."""
        return self._native.delete_queue(
            name, topology_options({"if_unused": if_unused, "if_empty": if_empty})
        )

    def delete_exchange(self, name: str, *, if_unused: bool = False) -> None:
        """Deletes an exchange."""
        self._native.delete_exchange(name, topology_options({"if_unused": if_unused}))

    # --- state ---------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counters and latencies (docs/c-api.md lists the fields); never names or secrets."""
        stats: dict[str, Any] = json.loads(self._native.stats())
        return stats

    @property
    def capabilities(self) -> Capability:
        return Capability(self._native.capabilities())

    def close(self, timeout: float | None = DEFAULT_CLOSE_TIMEOUT) -> None:
        """Waits up to ``timeout`` seconds for unconfirmed messages, then closes. Messages
        still unconfirmed get a failed report (ClosedError); consumers stop. Closing twice
        does nothing."""
        if self._closing:
            return
        self._closing = True
        _exit.untrack(self)
        timeout_ms = milliseconds("timeout", timeout)
        try:
            self._native.close(-1 if timeout_ms is None else timeout_ms)
        finally:
            if self._events is not threading.current_thread():
                self._events.join()
            for consumer in list(self._consumers.values()):
                consumer._discard()

    def _close_at_exit(self) -> None:
        self.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _binding_options(
    routing_key: str,
    destination_is_exchange: bool,
    match: str | None,
    headers: Mapping[str, str] | None,
) -> list[str]:
    options: dict[str, OptionValue | None] = {
        "routing_key": routing_key,
        "destination_is_exchange": destination_is_exchange,
        "match": match,
    }
    for name, value in (headers or {}).items():
        options[f"header.{name}"] = value
    return topology_options(options)


def connect(
    url: str,
    config: Mapping[str, OptionValue] | None = None,
    *,
    on_event: EventCallback | None = None,
    **options: OptionValue,
) -> Client:
    """Connects to ``url`` (amqp://user:pass@host:5672/vhost, amqps://...). Options are the
    keys of docs/configuration.md, in ``config`` or as keywords with ``_`` for ``.``
    (``max_deliveries=5``). ``on_event`` receives logs, errors and state changes (default:
    the ``postwire`` logger). Blocks until connected; raises a PostwireError naming what
    failed."""
    return Client(_native.Client.connect(url, config_pairs(config, options)), on_event)
