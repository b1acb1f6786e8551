"""postwire's exceptions: one class per error code of the C ABI (docs/errors.md).

Every exception is a :class:`PostwireError` carrying the code's number (``code``), its name
(``code_name``), and two flags: ``retriable`` (the same operation may succeed when tried
again) and ``fatal`` (the client can no longer be used and must be closed).

Where one of Python's built-in exceptions means the same thing, the class derives from it too,
so code that catches the built-in catches postwire's (``PostwireError`` stays in every MRO):

- bad input (1xx) and ``MessageTooLargeError``: :class:`ValueError`
- ``ConnectionRefusedError``: the built-in :class:`ConnectionRefusedError`
- ``TimedOutError`` and ``DeliveryTimeoutError``: :class:`TimeoutError`
- ``ConnectionClosedError``: :class:`ConnectionError`
- ``NameResolutionFailedError`` and ``NetworkError``: :class:`OSError`
- ``AccessDeniedError``: :class:`PermissionError`

The :class:`OSError` ones carry the matching ``errno`` where there is one
(``ECONNREFUSED``, ``ETIMEDOUT``), and ``strerror`` is the message.
"""

from __future__ import annotations

import builtins
import errno as _errno

from . import _native

__all__ = [
    "AccessDeniedError",
    "AuthenticationFailedError",
    "BrokerError",
    "BrokerNackedError",
    "ClosedError",
    "ConfigInvalidValueError",
    "ConfigUnknownKeyError",
    "ConnectionClosedError",
    "ConnectionRefusedError",
    "DeliveryTimeoutError",
    "ForkedProcessError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidUrlError",
    "MessageTooLargeError",
    "NameResolutionFailedError",
    "NetworkError",
    "NotFoundError",
    "NotSupportedError",
    "PostwireError",
    "PreconditionFailedError",
    "ProtocolError",
    "QueueFullError",
    "ResourceLockedError",
    "RetryBudgetExhaustedError",
    "ShuttingDownError",
    "TimedOutError",
    "TlsCertificateRejectedError",
    "TlsHandshakeFailedError",
    "TlsSetupFailedError",
    "UnroutableError",
    "error_class",
]


class PostwireError(Exception):
    """A failure reported by postwire."""

    code: int
    code_name: str
    message: str
    retriable: bool
    fatal: bool

    def __init__(
        self, code: int, code_name: str, message: str, retriable: bool, fatal: bool
    ) -> None:
        super().__init__(message)
        self.code = code
        self.code_name = code_name
        self.message = message
        self.retriable = retriable
        self.fatal = fatal
        if isinstance(self, OSError):
            _fill_os_error(self, code, message)

    def __str__(self) -> str:
        return f"{self.code_name}: {self.message}"

    def __reduce__(self) -> tuple[type[PostwireError], tuple[int, str, str, bool, bool]]:
        return (type(self), (self.code, self.code_name, self.message, self.retriable, self.fatal))


class InvalidArgumentError(PostwireError, ValueError):
    """An argument was missing, empty or out of range."""


class ConfigUnknownKeyError(InvalidArgumentError):
    """A configuration key that postwire does not know."""


class ConfigInvalidValueError(InvalidArgumentError):
    """A configuration value of the wrong type or outside the allowed range."""


class InvalidUrlError(InvalidArgumentError):
    """A broker URL that cannot be parsed or names an unknown scheme."""


class ConnectionRefusedError(PostwireError, builtins.ConnectionRefusedError):  # noqa: A001
    """The broker's host refused the TCP connection (also the built-in of the same name)."""


class TimedOutError(PostwireError, TimeoutError):
    """An operation did not finish within its time limit."""


class NameResolutionFailedError(PostwireError, OSError):
    """The broker's host name could not be resolved."""


class ConnectionClosedError(PostwireError, ConnectionError):
    """The connection was closed by the peer or the network."""


class NetworkError(PostwireError, OSError):
    """Another socket-level failure."""


class TlsHandshakeFailedError(PostwireError):
    """The TLS handshake failed for a reason other than the peer's certificate."""


class TlsCertificateRejectedError(PostwireError):
    """The peer's certificate failed verification."""


class TlsSetupFailedError(PostwireError):
    """The local TLS settings could not be applied."""


class AuthenticationFailedError(PostwireError):
    """The broker rejected the credentials."""


class AccessDeniedError(PostwireError, PermissionError):
    """The broker refused an operation for lack of permission."""


class NotFoundError(PostwireError):
    """The named queue, exchange, topic or virtual host does not exist."""


class UnroutableError(PostwireError):
    """The broker accepted a message but no queue was bound to receive it."""


class PreconditionFailedError(PostwireError):
    """The broker refused an operation that conflicts with existing state."""


class ResourceLockedError(PostwireError):
    """The resource is held exclusively by another connection or consumer."""


class BrokerNackedError(PostwireError):
    """The broker could not take responsibility for a message."""


class BrokerError(PostwireError):
    """The broker reported an internal error or closed the channel or connection."""


class QueueFullError(PostwireError):
    """A bounded local queue stayed full for longer than the caller would wait."""


class ShuttingDownError(PostwireError):
    """The object is shutting down and accepts no new work."""


class ClosedError(PostwireError):
    """The object was closed and can no longer be used."""


class ForkedProcessError(PostwireError):
    """The object was created in a parent process and used after fork()."""


class RetryBudgetExhaustedError(PostwireError):
    """Retries were refused because too many recent attempts failed."""


class DeliveryTimeoutError(PostwireError, TimeoutError):
    """A message could not be confirmed within delivery.timeout.ms."""


class NotSupportedError(PostwireError):
    """The broker or transport cannot do what was asked."""


class ProtocolError(PostwireError):
    """The peer sent bytes that violate the protocol."""


class MessageTooLargeError(PostwireError, ValueError):
    """A message exceeds the size the broker or configuration allows."""


class InternalError(PostwireError):
    """A fault inside postwire."""


# Every code of the C ABI (postwire.h, docs/errors.md) with its name and default flags, as the
# library reports them; each code's class is the one named after it ("timed_out" is
# TimedOutError, "network_error" NetworkError). A code without a class here raises a
# PostwireError.
_CODES: dict[int, tuple[str, bool, bool]] = {
    number: (name, retriable, fatal) for number, name, retriable, fatal in _native.codes()
}


def _class_name(code_name: str) -> str:
    words = "".join(part.capitalize() for part in code_name.split("_"))
    return words if words.endswith("Error") else words + "Error"


def _classes_by_code() -> dict[int, type[PostwireError]]:
    classes: dict[int, type[PostwireError]] = {}
    for number, (name, _, _) in _CODES.items():
        cls = globals().get(_class_name(name))
        if isinstance(cls, type) and issubclass(cls, PostwireError):
            classes[number] = cls
    return classes


_BY_CODE = _classes_by_code()
_NUMBER_BY_NAME = {name: number for number, (name, _, _) in _CODES.items()}


# The errno of the classes that are OSErrors, where one fits.
_OS_ERRNO: dict[type[PostwireError], int] = {
    ConnectionRefusedError: _errno.ECONNREFUSED,
    TimedOutError: _errno.ETIMEDOUT,
    DeliveryTimeoutError: _errno.ETIMEDOUT,
}


def _fill_os_error(error: OSError, code: int, message: str) -> None:
    error.errno = _OS_ERRNO.get(error_class(code))
    error.strerror = message


def error_class(code: int) -> type[PostwireError]:
    """The exception class for a code (PostwireError itself for a code this version lacks)."""
    return _BY_CODE.get(code, PostwireError)


def _own_error(code_name: str, message: str) -> PostwireError:
    """An error raised by the package itself, with the number and flags the core gives the code
    named ``code_name``."""
    number = _NUMBER_BY_NAME[code_name]
    _, retriable, fatal = _CODES[number]
    return _make_error(number, code_name, message, retriable, fatal)


def timed_out(message: str) -> TimedOutError:
    """A timed_out error raised by the package itself (a wait of its own ran out)."""
    error = _own_error("timed_out", message)
    assert isinstance(error, TimedOutError)
    return error


def _make_error(
    code: int, code_name: str, message: str, retriable: bool, fatal: bool
) -> PostwireError:
    return error_class(code)(code, code_name, message, retriable, fatal)


_native._set_error_factory(_make_error)
