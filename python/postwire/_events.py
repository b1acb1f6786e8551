"""The client's events as Python objects, shared by the sync and asyncio clients.

A client's event queue carries delivery reports (each settles the handle or future of one
send) and everything else that happens asynchronously: logs, errors, consumer, flow and
connection changes. The latter reach ``on_event`` if the application gave one, and the
``postwire`` logger otherwise.

One event is the package's own: a send that failed with nobody to learn of it (its handle or
future dropped without its failure retrieved) is logged at WARNING on the ``postwire`` logger
and handed to ``on_event`` as an :class:`UnobservedFailureEvent`.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import _native
from .errors import PostwireError

logger = logging.getLogger("postwire")


@dataclass(frozen=True, slots=True)
class Position:
    """Where a message sits on its broker, as far as the broker says; None for what it does
    not give. RabbitMQ gives none of them; Kafka the partition, offset and broker timestamp;
    SQS the broker's message id and, on FIFO queues, the sequence number."""

    partition: int | None = None
    offset: int | None = None
    broker_timestamp_ms: int | None = None  # ms since the Unix epoch, as Message.timestamp_ms
    broker_message_id: str | None = None
    sequence_number: str | None = None  # a decimal string: SQS's are 128-bit


# Messages and reports of brokers that give no position share one empty Position (the
# native module makes it once from this class).
_native._set_position_class(Position)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """The outcome of one send: ``error`` is None once the broker has the message;
    ``position`` says where the broker stored it (empty when it does not say, or failed)."""

    id: str
    destination: str
    attempts: int
    latency_us: int
    error: PostwireError | None
    position: Position = Position()


class ConnectionState(enum.IntEnum):
    """POSTWIRE_CONNECTION_* of postwire.h."""

    CONNECTED = _native.CONNECTION_CONNECTED
    RECOVERING = _native.CONNECTION_RECOVERING
    FAILED = _native.CONNECTION_FAILED
    CLOSED = _native.CONNECTION_CLOSED


class ConsumerState(enum.IntEnum):
    """POSTWIRE_CONSUMER_* of postwire.h."""

    ACTIVE = _native.CONSUMER_ACTIVE
    CANCELLED = _native.CONSUMER_CANCELLED
    FAILED = _native.CONSUMER_FAILED


@dataclass(frozen=True, slots=True)
class LogEvent:
    level: int  # a logging level (logging.INFO, ...)
    category: str
    text: str


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    error: PostwireError | None


@dataclass(frozen=True, slots=True)
class UnobservedFailureEvent(ErrorEvent):
    """A send failed and its failure was never retrieved: the handle (sync) or future
    (asyncio) was dropped without ``result()``, ``report()`` or ``await`` having seen it.
    ``report`` is its delivery report (None when it failed before reaching the broker, e.g.
    with QueueFullError after waiting for room)."""

    report: DeliveryReport | None


@dataclass(frozen=True, slots=True)
class ConsumerEvent:
    """A consumer's state changed; ``consumer_id`` is its ``Consumer.id`` (two consumers of
    one source are told apart by it, never by the source)."""

    source: str
    state: ConsumerState
    error: PostwireError | None
    consumer_id: int


@dataclass(frozen=True, slots=True)
class SourcesAssignedEvent:
    """The consumer ``consumer_id`` (a member of a consumer group) was given ``partitions``
    of ``source``. RabbitMQ raises none: it has no consumer groups."""

    consumer_id: int
    source: str
    partitions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SourcesRevokedEvent:
    """The consumer ``consumer_id`` had ``partitions`` of ``source`` taken away (to another
    member of its group). RabbitMQ raises none."""

    consumer_id: int
    source: str
    partitions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FlowEvent:
    blocked: bool
    reason: str


@dataclass(frozen=True, slots=True)
class ConnectionEvent:
    state: ConnectionState
    broker: str
    error: PostwireError | None


Event = (
    LogEvent
    | ErrorEvent
    | ConsumerEvent
    | SourcesAssignedEvent
    | SourcesRevokedEvent
    | FlowEvent
    | ConnectionEvent
)
EventCallback = Callable[[Event], None]
# Where a message delivered as an event goes: its consumer's id and the message.
MessageRoute = Callable[[int, _native.Message], None]

# POSTWIRE_LOG_* (postwire.h) as logging levels; trace sits below DEBUG.
_LOG_LEVELS = {
    _native.LOG_TRACE: 5,
    _native.LOG_DEBUG: logging.DEBUG,
    _native.LOG_INFO: logging.INFO,
    _native.LOG_WARN: logging.WARNING,
    _native.LOG_ERROR: logging.ERROR,
}


def _event_of(item: tuple[Any, ...]) -> Event:
    kind = item[0]
    if kind == _native.EVENT_LOG:
        level = item[1]
        return LogEvent(_LOG_LEVELS.get(level, level), *item[2:])
    if kind == _native.EVENT_CONSUMER:
        return ConsumerEvent(item[1], ConsumerState(item[2]), item[3], item[4])
    if kind == _native.EVENT_SOURCES_ASSIGNED:
        return SourcesAssignedEvent(*item[1:])
    if kind == _native.EVENT_SOURCES_REVOKED:
        return SourcesRevokedEvent(*item[1:])
    if kind == _native.EVENT_FLOW:
        return FlowEvent(item[1], item[2])
    if kind == _native.EVENT_CONNECTION:
        return ConnectionEvent(ConnectionState(item[1]), item[2], item[3])
    return ErrorEvent(item[1])


def _log(event: Event) -> None:
    if isinstance(event, LogEvent):
        logger.log(event.level, "%s: %s", event.category, event.text)
    elif isinstance(event, ErrorEvent):
        logger.error("%s", event.error)
    elif isinstance(event, ConsumerEvent):
        logger.log(
            logging.INFO if event.state == ConsumerState.ACTIVE else logging.WARNING,
            "consumer of %s: %s%s",
            event.source,
            event.state.name.lower(),
            f" ({event.error})" if event.error else "",
        )
    elif isinstance(event, SourcesAssignedEvent | SourcesRevokedEvent):
        logger.info(
            "consumer %d %s partitions %s of %s",
            event.consumer_id,
            "was assigned" if isinstance(event, SourcesAssignedEvent) else "gave up",
            list(event.partitions),
            event.source,
        )
    elif isinstance(event, FlowEvent):
        logger.warning(
            "broker %s publishers: %s", "blocked" if event.blocked else "unblocked", event.reason
        )
    else:
        expected = event.state in (ConnectionState.CONNECTED, ConnectionState.CLOSED)
        logger.log(
            logging.INFO if expected else logging.WARNING,
            "connection%s: %s%s",
            f" to {event.broker}" if event.broker else "",
            event.state.name.lower(),
            f" ({event.error})" if event.error else "",
        )


def report_unobserved(
    error: PostwireError, report: DeliveryReport | None, on_event: EventCallback | None
) -> None:
    """Tells of a send whose failure nobody retrieved: a WARNING on the ``postwire`` logger,
    and an UnobservedFailureEvent for ``on_event``. Called where the failure was found to be
    unobserved (the event thread or loop, or the thread that dropped the handle), so it never
    raises."""
    try:
        if report is None:
            logger.warning("a send failed and nobody retrieved its failure: %s", error)
        else:
            logger.warning(
                "a send to %s (id %s) failed and nobody retrieved its failure: %s",
                report.destination,
                report.id,
                error,
            )
        if on_event is not None:
            on_event(UnobservedFailureEvent(error, report))
    except Exception:  # noqa: BLE001 - from a finalizer or the event thread: never propagate
        with contextlib.suppress(Exception):
            logger.exception("postwire: reporting an unobserved failure raised")


def dispatch(
    items: list[tuple[Any, ...]], on_event: EventCallback | None, on_message: MessageRoute
) -> list[tuple[int, DeliveryReport]]:
    """Hands the messages of consumers that take theirs as events to ``on_message`` (with
    their consumer's id), the other events but delivery reports to ``on_event`` (or the
    logger), and returns the delivery reports as (token, report) pairs, in the order they
    came."""
    reports: list[tuple[int, DeliveryReport]] = []
    for item in items:
        kind = item[0]
        if kind == _native.EVENT_DELIVERY_REPORT:
            _, token, error, id_, destination, attempts, latency_us, position = item
            reports.append(
                (token, DeliveryReport(id_, destination, attempts, latency_us, error, position))
            )
            continue
        if kind == _native.EVENT_MESSAGE:
            on_message(item[1], item[2])
            continue
        event = _event_of(item)
        if on_event is None:
            _log(event)
            continue
        try:
            on_event(event)
        except Exception:  # a failing callback must not stop the reports behind it
            logger.exception("postwire: on_event raised")
    return reports
