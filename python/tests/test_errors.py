"""Errors: each failure raises the exception class of its code, with the code's flags."""

from __future__ import annotations

import builtins
import errno
import pickle
import re

import postwire
import pytest
from conftest import is_kafka, only_on, unique


def test_unknown_config_keys_are_named(url: str) -> None:
    with pytest.raises(postwire.ConfigUnknownKeyError, match="'no.such.key'") as error:
        postwire.connect(url, no_such_key=1)
    assert isinstance(error.value, ValueError)
    assert error.value.code == 101 and not error.value.retriable and not error.value.fatal


def test_bad_config_values_are_named(url: str) -> None:
    with pytest.raises(postwire.ConfigInvalidValueError, match="max.block.ms"):
        postwire.connect(url, {"max.block.ms": "soon"})
    with pytest.raises(TypeError, match="'linger.ms'"):
        postwire.connect(url, {"linger.ms": [1]})  # type: ignore[dict-item]


def test_invalid_urls(broker: str) -> None:
    with pytest.raises(postwire.InvalidUrlError):
        postwire.connect("nats://127.0.0.1:4222")


@only_on(
    "amqp",
    why="the Kafka URL is the broker's listener without SASL; the conformance suite's Kafka "
    "scenarios log in with a wrong password",
)
def test_wrong_credentials_are_fatal_and_not_echoed(url: str) -> None:
    bad = re.sub(r"//[^@]*@", "//guest:not-the-password@", url)
    with pytest.raises(postwire.AuthenticationFailedError) as error:
        postwire.connect(bad)
    assert error.value.fatal and not error.value.retriable
    assert "not-the-password" not in str(error.value)


def test_a_dead_port_is_refused_and_retriable(broker: str) -> None:
    with pytest.raises(postwire.ConnectionRefusedError) as error:
        postwire.connect("amqp://guest:guest@127.0.0.1:1", socket_connection_setup_timeout_ms=2000)
    assert error.value.retriable and error.value.code == 200
    # Also the built-in of the same name, so code written for sockets catches it.
    assert isinstance(error.value, builtins.ConnectionRefusedError)
    assert isinstance(error.value, OSError) and error.value.errno == errno.ECONNREFUSED
    try:
        postwire.connect("amqp://guest:guest@127.0.0.1:1", socket_connection_setup_timeout_ms=2000)
    except ConnectionRefusedError as builtin:  # the built-in name, not postwire's
        assert isinstance(builtin, postwire.PostwireError)
    else:
        pytest.fail("connecting to a dead port succeeded")


def test_except_timeout_error_catches_a_result_that_timed_out(url: str, queue: str) -> None:
    # Without delivery reports no report ever comes, so result() times out for certain.
    with postwire.connect(url, delivery_reports=False) as client:
        handle = client.producer().send(queue, b"unreported")
        try:
            handle.result(timeout=0.05)
        except TimeoutError as error:
            assert isinstance(error, postwire.TimedOutError)
            assert error.code_name == "timed_out" and error.errno == errno.ETIMEDOUT
        else:
            pytest.fail("result() returned without a report")


def test_builtin_bases_where_they_fit() -> None:
    fits = {
        postwire.InvalidArgumentError: ValueError,
        postwire.ConfigUnknownKeyError: ValueError,
        postwire.ConfigInvalidValueError: ValueError,
        postwire.InvalidUrlError: ValueError,
        postwire.MessageTooLargeError: ValueError,
        postwire.ConnectionRefusedError: builtins.ConnectionRefusedError,
        postwire.TimedOutError: TimeoutError,
        postwire.DeliveryTimeoutError: TimeoutError,
        postwire.ConnectionClosedError: ConnectionError,
        postwire.NameResolutionFailedError: OSError,
        postwire.NetworkError: OSError,
        postwire.AccessDeniedError: PermissionError,
    }
    for cls, builtin in fits.items():
        assert issubclass(cls, builtin), cls
    # Every class stays a PostwireError, so `except postwire.PostwireError` still catches all.
    for code in (100, 101, 102, 103, 200, 201, 202, 203, 204, 301, 302, 402, 405, 501, 900):
        assert postwire.PostwireError in postwire.error_class(code).__mro__
    # Codes with no built-in of the same meaning derive from none.
    for cls in (postwire.NotFoundError, postwire.ClosedError, postwire.QueueFullError):
        assert cls.__mro__[1:] == (postwire.PostwireError, Exception, BaseException, object)
    timeout = postwire.TimedOutError(201, "timed_out", "slow", True, False)
    copy = pickle.loads(pickle.dumps(timeout))
    assert type(copy) is postwire.TimedOutError and copy.errno == errno.ETIMEDOUT
    assert str(copy) == "timed_out: slow" and copy.retriable and not copy.fatal


def test_broker_refusals(client: postwire.Client, url: str, queue: str) -> None:
    with pytest.raises(postwire.PreconditionFailedError):
        if is_kafka(url):
            client.declare_queue(queue, partitions=2)  # declared with the broker's one
        else:
            client.declare_queue(queue, durable=True)  # declared non-durable by the fixture
    with pytest.raises(postwire.NotFoundError):
        client.subscribe(unique("nowhere"))
    with pytest.raises(postwire.InvalidArgumentError, match="no_such_option"):
        client.declare_queue(unique("q"), no_such_option=True)
    # The client is still usable after refusals.
    client.producer().send(queue, b"still fine").result(10)


def test_oversized_messages_are_refused_before_sending(url: str, queue: str) -> None:
    with postwire.connect(url, message_max_bytes=1024) as client:
        producer = client.producer()
        with pytest.raises(postwire.MessageTooLargeError):
            producer.send(queue, b"x" * 2048)
        assert producer.in_flight() == 0


def test_bodies_must_be_contiguous_bytes(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    with pytest.raises(ValueError, match="contiguous"):
        producer.send(queue, memoryview(b"abcdef")[::2])
    with pytest.raises(TypeError, match="body: expected bytes or str, got int"):
        producer.send(queue, 42)  # type: ignore[arg-type]
    # A contiguous slice of a buffer is sent as it is.
    producer.send(queue, memoryview(b"abcdef")[1:4]).result(10)
    with client.subscribe(queue) as consumer:
        message = consumer.poll(10)
        assert message is not None and message.body == b"bcd"
        message.ack()
    assert producer.in_flight() == 0


def test_use_after_close_raises_closed(url: str, queue: str) -> None:
    client = postwire.connect(url)
    producer = client.producer()
    consumer = client.subscribe(queue)
    client.close()
    with pytest.raises(postwire.ClosedError) as error:
        producer.send(queue, b"late")
    assert error.value.fatal
    with pytest.raises(postwire.ClosedError):
        consumer.poll(0)
    with pytest.raises(postwire.ClosedError):
        client.declare_queue(queue)
    assert list(consumer) == []  # iteration over a closed consumer ends at once


def test_every_code_has_its_class() -> None:
    for code, name in [
        (100, "InvalidArgumentError"),
        (302, "NotFoundError"),
        (900, "InternalError"),
    ]:
        assert postwire.error_class(code).__name__ == name
        assert postwire._native.code_name(code) != "unknown"
    assert postwire.error_class(12345) is postwire.PostwireError


def test_errors_pickle_with_their_fields() -> None:
    error = postwire.QueueFullError(400, "queue_full", "send buffer full", True, False)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is postwire.QueueFullError
    assert (copy.code, copy.code_name, copy.message, copy.retriable, copy.fatal) == (
        400,
        "queue_full",
        "send buffer full",
        True,
        False,
    )
    assert str(copy) == "queue_full: send buffer full"
