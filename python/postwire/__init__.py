"""postwire: one messaging client for RabbitMQ, Apache Kafka and Amazon SQS.

The synchronous API is here (``postwire.connect``); the asyncio API is ``postwire.aio``.
Both are thin layers over the C ABI (libpostwire.so), which carries the same client to C, C++,
Node.js and Java.
"""

from . import _native, errors
from ._client import (
    Capability,
    Client,
    Consumer,
    Message,
    Producer,
    QueueInfo,
    connect,
)
from ._delivery import DeliveryHandle
from ._events import (
    ConnectionEvent,
    ConnectionState,
    ConsumerEvent,
    ConsumerState,
    DeliveryReport,
    ErrorEvent,
    Event,
    FlowEvent,
    LogEvent,
    Position,
    SourcesAssignedEvent,
    SourcesRevokedEvent,
    UnobservedFailureEvent,
)
from ._options import HeaderValue, OptionValue
from ._send import Headers
from .errors import *  # noqa: F403 - the exception classes are part of the package's API

__version__ = _native.version()

__all__ = [
    "Capability",
    "Client",
    "ConnectionEvent",
    "ConnectionState",
    "Consumer",
    "ConsumerEvent",
    "ConsumerState",
    "DeliveryHandle",
    "DeliveryReport",
    "ErrorEvent",
    "Event",
    "FlowEvent",
    "HeaderValue",
    "Headers",
    "LogEvent",
    "Message",
    "OptionValue",
    "Position",
    "Producer",
    "QueueInfo",
    "SourcesAssignedEvent",
    "SourcesRevokedEvent",
    "UnobservedFailureEvent",
    "connect",
    "errors",
]
__all__ += errors.__all__
