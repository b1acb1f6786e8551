"""A send's arguments, checked and converted once for the native call (sync and asyncio)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from . import _native
from ._options import HeaderValue, as_bytes, header_pairs, milliseconds

# A send's headers: a mapping, or a sequence of (name, value) pairs (the shape of a received
# message's headers), each value str (sent as UTF-8) or bytes-like. A Sequence rather than any
# Iterable, so that mypy can tell a dict literal from a list of pairs and checks a literal that
# mixes str and bytes values against the right one.
Headers = Mapping[str, HeaderValue] | Sequence[tuple[str, HeaderValue]]


def native_send(
    producer: _native.Producer,
    destination: str,
    body: HeaderValue,
    key: HeaderValue | None,
    headers: Headers | None,
    id: str | None,
    content_type: str | None,
    priority: int | None,
    ttl: float | None,
    timestamp_ms: int | None,
    persistent: bool,
    nowait: bool = False,
) -> Callable[[int], None]:
    """The native send of one message, to be called with its token. Raises TypeError or
    ValueError for a body, key, header or ttl of the wrong kind before anything is sent.
    ``nowait``: never block (the asyncio client); without room in the send buffer the message
    waits in the core's line of sends, and its report fails with QueueFullError if no room
    comes within max.block.ms."""
    body = body if type(body) is bytes else as_bytes("body", body)
    key = key if key is None or type(key) is bytes else as_bytes("key", key)
    if (
        headers is None
        and id is None
        and content_type is None
        and priority is None
        and ttl is None
        and timestamp_ms is None
        and persistent
    ):
        # The common case: one C call that copies the body once.
        return lambda token: producer.send(destination, body, token, key, nowait=nowait)
    encoded_headers = None if headers is None else header_pairs(headers)
    ttl_ms = milliseconds("ttl", ttl)
    return lambda token: producer.send(
        destination,
        body,
        token,
        key,
        id,
        encoded_headers,
        content_type,
        priority,
        ttl_ms,
        timestamp_ms,
        persistent,
        nowait,
    )
