"""Python values to the string options the C ABI takes (the core validates them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

OptionValue = str | int | float | bool
HeaderValue = str | bytes | bytearray | memoryview


def option_string(key: str, value: OptionValue) -> str:
    """One option's value as the core reads it: booleans as true/false, numbers in decimal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(f"option {key!r}: expected str, int, float or bool, got {type(value).__name__}")


def config_pairs(
    config: Mapping[str, OptionValue] | None, keywords: Mapping[str, OptionValue]
) -> list[tuple[str, str]]:
    """Client options from a mapping of dotted keys plus keywords, where ``max_block_ms``
    stands for ``max.block.ms`` (no configuration key contains an underscore)."""
    pairs = [(key, option_string(key, value)) for key, value in (config or {}).items()]
    for name, value in keywords.items():
        key = name.replace("_", ".")
        pairs.append((key, option_string(key, value)))
    return pairs


def topology_options(options: Mapping[str, OptionValue | None]) -> list[str]:
    """Topology keywords as the flat key, value, ... list of the C ABI; None means unset."""
    flat: list[str] = []
    for key, value in options.items():
        if value is not None:
            flat += [key, option_string(key, value)]
    return flat


def subscribe_options(
    prefetch: int,
    exclusive: bool,
    deliver_as_events: bool,
    options: Mapping[str, OptionValue] | None,
) -> tuple[list[str], bool]:
    """A subscribe's typed keywords and its options by name as the flat key, value, ... list
    of postwire_client_subscribe_with_options, and whether the consumer takes its messages
    as client events. Keywords left at their defaults are not sent (prefetch 0 means
    consumer.prefetch.count); the core checks every key and value."""
    typed: dict[str, OptionValue] = {}
    if prefetch != 0:
        typed["prefetch"] = prefetch
    if exclusive:
        typed["exclusive"] = True
    if deliver_as_events:
        typed["deliver_as_events"] = True
    named = dict(options or {})
    if twice := sorted(typed.keys() & named.keys()):
        raise TypeError(f"subscribe option {twice[0]!r} is given both as a keyword and in options")
    flat: list[str] = []
    for key, value in (typed | named).items():
        flat += [key, option_string(key, value)]
    as_events = deliver_as_events
    if "deliver_as_events" in named:
        # As the core reads a boolean; any other value is refused by the core.
        as_events = option_string("deliver_as_events", named["deliver_as_events"]) in ("true", "1")
    return flat, as_events


def header_pairs(
    headers: Mapping[str, HeaderValue] | Iterable[tuple[str, HeaderValue]],
) -> list[tuple[str, bytes | bytearray | memoryview]]:
    """Headers as (name, bytes) pairs; str values are sent as UTF-8."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(name, value.encode() if isinstance(value, str) else value) for name, value in items]


def as_bytes(name: str, value: HeaderValue) -> bytes | bytearray | memoryview:
    """A body or key: bytes-like as given, str as UTF-8."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return value
    raise TypeError(f"{name}: expected bytes or str, got {type(value).__name__}")


def milliseconds(name: str, seconds: float | None) -> int | None:
    """A duration given in seconds as whole milliseconds for the C ABI."""
    if seconds is None:
        return None
    if seconds < 0:
        raise ValueError(f"{name} must not be negative, got {seconds}")
    return round(seconds * 1000)
