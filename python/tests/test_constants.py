"""The package's constants come from the C ABI: the code tables, capability bits, event kinds
and states agree with postwire.h and with what the library itself reports. Needs no broker."""

from __future__ import annotations

import enum
import logging
import re
from pathlib import Path

import postwire
from postwire import _events, _native, errors

HEADER = (Path(__file__).parents[2] / "bindings" / "c" / "include" / "postwire.h").read_text()


def header_constants(prefix: str) -> dict[str, int]:
    """postwire.h's constants named PREFIX..., as {suffix: value}."""
    found = {}
    for suffix, expression in re.findall(
        rf"^\s*{prefix}([A-Z0-9_]+) = ([^,\n/]+)", HEADER, re.MULTILINE
    ):
        shift = re.fullmatch(r"1u << (\d+)", expression.strip())
        found[suffix] = 1 << int(shift[1]) if shift else int(expression)
    assert found, prefix
    return found


def members(cls: type[enum.Enum]) -> dict[str, int]:
    return {member.name: member.value for member in cls}


def test_every_code_the_c_abi_names_has_its_class_name_and_flags() -> None:
    known = [code for code in range(1000) if _native.code_name(code) != "unknown"]
    assert [number for number, _, _, _ in _native.codes()] == known
    from_header = {"ok": header_constants("POSTWIRE_")["OK"]}
    from_header |= {
        name.lower(): value for name, value in header_constants("POSTWIRE_ERR_").items()
    }
    assert {name: number for number, name, _, _ in _native.codes()} == from_header
    for number, name, retriable, fatal in _native.codes():
        assert _native.code_name(number) == name
        if number == 0:
            continue
        cls = postwire.error_class(number)
        assert cls is not postwire.PostwireError, name
        words = "".join(part.capitalize() for part in name.split("_"))
        assert cls.__name__ == (words if words.endswith("Error") else words + "Error")
        assert cls.__name__ in errors.__all__
        own = errors._own_error(name, "made by the test")
        assert type(own) is cls
        assert (own.code, own.retriable, own.fatal) == (number, retriable, fatal)
    classes = {name for name in errors.__all__ if name.endswith("Error")} - {"PostwireError"}
    assert classes == {postwire.error_class(n).__name__ for n, *_ in _native.codes() if n}


def test_the_flags_agree_with_docs_errors_md() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "errors.md").read_text()
    rows = [
        (int(number), name, retriable == "yes", fatal == "yes")
        for number, name, retriable, fatal in re.findall(
            r"^\| (\d+) \| `([a-z_]+)` \| (yes|no) \| (yes|no) \|", docs, re.MULTILINE
        )
    ]
    assert _native.codes() == rows


def test_an_error_of_the_package_s_own_has_the_core_s_number_and_flags() -> None:
    (number, name, retriable, fatal) = next(c for c in _native.codes() if c[1] == "timed_out")
    error = errors.timed_out("late")
    assert type(error) is postwire.TimedOutError
    assert (error.code, error.code_name, error.retriable, error.fatal) == (
        number,
        name,
        retriable,
        fatal,
    )


def test_capabilities_and_states_are_the_header_s() -> None:
    assert members(postwire.Capability) == header_constants("POSTWIRE_CAP_")
    assert members(_events.ConnectionState) == header_constants("POSTWIRE_CONNECTION_")
    assert members(_events.ConsumerState) == header_constants("POSTWIRE_CONSUMER_")
    assert set(_events._LOG_LEVELS) == set(header_constants("POSTWIRE_LOG_").values())
    assert _events._LOG_LEVELS[_native.LOG_WARN] == logging.WARNING


def test_event_kinds_and_subscribe_flags_are_the_header_s() -> None:
    for prefix, attribute in (("POSTWIRE_EVENT_", "EVENT_"), ("POSTWIRE_SUBSCRIBE_", "SUBSCRIBE_")):
        for suffix, value in header_constants(prefix).items():
            assert getattr(_native, attribute + suffix) == value


def test_assignment_events_are_typed_and_reach_on_event() -> None:
    # RabbitMQ raises neither (it has no consumer groups): the tuples are the native module's
    # shape (postwire/_native.pyi).
    assigned = (_native.EVENT_SOURCES_ASSIGNED, 7, "orders", (0, 2))
    revoked = (_native.EVENT_SOURCES_REVOKED, 7, "orders", (2,))
    seen: list[postwire.Event] = []
    routed: list[tuple[int, _native.Message]] = []
    reports = _events.dispatch(
        [assigned, revoked],
        seen.append,
        lambda consumer_id, message: routed.append((consumer_id, message)),
    )
    assert reports == [] and routed == []
    assert seen == [
        postwire.SourcesAssignedEvent(consumer_id=7, source="orders", partitions=(0, 2)),
        postwire.SourcesRevokedEvent(consumer_id=7, source="orders", partitions=(2,)),
    ]


def test_a_report_without_a_position_has_the_empty_one() -> None:
    report = (_native.EVENT_DELIVERY_REPORT, 1, None, "id-1", "orders", 1, 10, postwire.Position())
    ((token, delivered),) = _events.dispatch([report], None, lambda *_: None)
    assert token == 1 and delivered.position == postwire.Position()
    assert postwire.DeliveryReport("id", "orders", 1, 10, None).position == postwire.Position()
