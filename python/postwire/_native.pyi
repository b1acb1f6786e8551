"""Type stubs of postwire._native, the C ABI as Python objects (internal)."""

from collections.abc import Sequence
from typing import Any

from ._events import Position

Buffer = bytes | bytearray | memoryview

def version() -> str: ...
def version_num() -> int: ...
def code_name(code: int) -> str: ...
def codes() -> list[tuple[int, str, bool, bool]]: ...
def _set_error_factory(factory: Any) -> None: ...
def _set_position_class(cls: type[Position]) -> None: ...

EVENT_DELIVERY_REPORT: int
EVENT_MESSAGE: int
EVENT_ERROR: int
EVENT_LOG: int
EVENT_CONSUMER: int
EVENT_FLOW: int
EVENT_CONNECTION: int
EVENT_SOURCES_ASSIGNED: int
EVENT_SOURCES_REVOKED: int
SUBSCRIBE_EXCLUSIVE: int
SUBSCRIBE_TO_EVENTS: int
CAP_EXCHANGES: int
CAP_PRIORITIES: int
CAP_PER_MESSAGE_TTL: int
CAP_DELAYED_NACK: int
CAP_BROKER_DEAD_LETTER: int
CAP_EXCLUSIVE_CONSUMERS: int
CAP_SINGLE_ACTIVE_CONSUMER: int
CAP_QUORUM_QUEUES: int
CAP_PARTITIONS: int
CAP_SEEK: int
CAP_CONSUMER_GROUPS: int
CAP_FIFO: int
CAP_NATIVE_DELAY: int
CAP_VISIBILITY_EXTENSION: int
CONNECTION_CONNECTED: int
CONNECTION_RECOVERING: int
CONNECTION_FAILED: int
CONNECTION_CLOSED: int
CONSUMER_ACTIVE: int
CONSUMER_CANCELLED: int
CONSUMER_FAILED: int
LOG_TRACE: int
LOG_DEBUG: int
LOG_INFO: int
LOG_WARN: int
LOG_ERROR: int

class Message:
    """A received message; settle it once with ack, nack or dead_letter."""

    @property
    def body(self) -> bytes: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def id(self) -> str: ...
    @property
    def content_type(self) -> str | None: ...
    @property
    def headers(self) -> list[tuple[str, bytes]]: ...
    def header(self, name: str) -> bytes | None: ...
    @property
    def source(self) -> str: ...
    @property
    def delivery_count(self) -> int: ...
    @property
    def redelivered(self) -> bool: ...
    @property
    def priority(self) -> int | None: ...
    @property
    def timestamp_ms(self) -> int | None: ...
    @property
    def position(self) -> Position:
        """Where the message sits on its broker (read when asked for)."""
    @property
    def consumer_id(self) -> int:
        """The id of the consumer it was delivered to (Consumer.id)."""
    def ack(self) -> None: ...
    def nack(self, delay: float = 0.0) -> None:
        """Deliver it again after ``delay`` seconds (dead-lettered past max.deliveries)."""
    def dead_letter(self, reason: str) -> None: ...

class Consumer:
    def poll_batch(self, max: int, timeout_ms: int) -> list[Message]: ...
    def wakeup_fd(self) -> int: ...
    @property
    def id(self) -> int: ...
    def close(self) -> None: ...

class Producer:
    def send(
        self,
        destination: str,
        body: Buffer,
        token: int,
        key: Buffer | None = None,
        id: str | None = None,
        headers: Sequence[tuple[str, Buffer]] | None = None,
        content_type: str | None = None,
        priority: int | None = None,
        ttl_ms: int | None = None,
        timestamp_ms: int | None = None,
        persistent: bool = True,
        nowait: bool = False,
    ) -> None: ...
    def flush(self, timeout_ms: int) -> None: ...
    def in_flight(self) -> int: ...

class Client:
    @staticmethod
    def connect(url: str, options: Sequence[tuple[str, str]]) -> Client: ...
    def close(self, timeout_ms: int) -> None: ...
    def wakeup_fd(self) -> int: ...
    # Each event is a tuple whose first item is its EVENT_* kind:
    #   (EVENT_DELIVERY_REPORT, token, error | None, id, destination, attempts, latency_us,
    #    Position)
    #   (EVENT_MESSAGE, consumer_id, Message)
    #   (EVENT_ERROR, error | None)
    #   (EVENT_LOG, level, category, text)
    #   (EVENT_CONSUMER, source, state, error | None, consumer_id)
    #   (EVENT_SOURCES_ASSIGNED | EVENT_SOURCES_REVOKED, consumer_id, source, partitions)
    #   (EVENT_FLOW, blocked, reason)
    #   (EVENT_CONNECTION, state, broker, error | None)
    def poll(self, max: int, timeout_ms: int, interruptible: bool) -> list[tuple[Any, ...]]: ...
    def stats(self) -> str: ...
    def capabilities(self) -> int: ...
    def producer(self) -> Producer: ...
    # options as [key, value, ...] (postwire_client_subscribe_with_options)
    def subscribe(self, source: str, options: Sequence[str]) -> Consumer: ...
    def declare_queue(self, name: str, options: Sequence[str]) -> tuple[str, int, int]: ...
    def declare_exchange(self, name: str, options: Sequence[str]) -> None: ...
    def bind(self, exchange: str, destination: str, options: Sequence[str]) -> None: ...
    def unbind(self, exchange: str, destination: str, options: Sequence[str]) -> None: ...
    def purge_queue(self, name: str) -> int: ...
    def delete_queue(self, name: str, options: Sequence[str]) -> int: ...
    def delete_exchange(self, name: str, options: Sequence[str]) -> None: ...
