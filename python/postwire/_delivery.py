"""Delivery handles: the sync API's view of one send's outcome.

Each send registers a handle under a token; the client's event thread settles handles from
the delivery reports it polls, a batch at a time, under one lock per batch.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

from ._events import DeliveryReport, logger
from .errors import timed_out


class DeliveryHandle:
    """The pending outcome of one send (like a ``concurrent.futures.Future``)."""

    __slots__ = ("_callbacks", "_registry", "_report")

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._report: DeliveryReport | None = None
        self._callbacks: list[Callable[[DeliveryHandle], None]] | None = None

    def done(self) -> bool:
        """True once the message's delivery report has arrived."""
        return self._report is not None

    def report(self, timeout: float | None = None) -> DeliveryReport:
        """Waits up to ``timeout`` seconds (None: without limit) for the delivery report and
        returns it, failed or not; raises TimedOutError if it has not arrived by then."""
        report = self._report
        if report is None:
            report = self._registry.wait(self, timeout)
        return report

    def result(self, timeout: float | None = None) -> DeliveryReport:
        """The delivery report once the broker has the message; raises the report's error
        (a PostwireError) if the message could not be delivered."""
        report = self.report(timeout)
        if report.error is not None:
            raise report.error
        return report

    def add_done_callback(self, callback: Callable[[DeliveryHandle], None]) -> None:
        """Calls ``callback(handle)`` once the report arrives: at once if it has, otherwise on
        the client's event thread (keep it short; exceptions are logged)."""
        if not self._registry.add_callback(self, callback):
            callback(self)

    def __repr__(self) -> str:
        state = "pending" if self._report is None else ("failed" if self._report.error else "ok")
        return f"<DeliveryHandle {state}>"


class Registry:
    """The pending handles of one client, by token."""

    def __init__(self) -> None:
        self._tokens = itertools.count(1)
        self._pending: dict[int, DeliveryHandle] = {}
        self._settled = threading.Condition()

    def register(self) -> tuple[int, DeliveryHandle]:
        token = next(self._tokens)
        handle = DeliveryHandle(self)
        self._pending[token] = handle
        return token, handle

    def forget(self, token: int) -> None:
        """A send that failed at once: no report will come for it."""
        self._pending.pop(token, None)

    def pending(self) -> list[DeliveryHandle]:
        return list(self._pending.values())

    def settle(self, reports: list[tuple[int, DeliveryReport]]) -> None:
        callbacks: list[tuple[DeliveryHandle, Callable[[DeliveryHandle], None]]] = []
        with self._settled:
            for token, report in reports:
                handle = self._pending.pop(token, None)
                if handle is None:
                    continue
                handle._report = report
                if handle._callbacks:
                    callbacks += [(handle, callback) for callback in handle._callbacks]
                    handle._callbacks = None
            self._settled.notify_all()
        for handle, callback in callbacks:
            try:
                callback(handle)
            except Exception:
                logger.exception("postwire: a delivery callback raised")

    def add_callback(
        self, handle: DeliveryHandle, callback: Callable[[DeliveryHandle], None]
    ) -> bool:
        with self._settled:
            if handle._report is not None:
                return False
            if handle._callbacks is None:
                handle._callbacks = []
            handle._callbacks.append(callback)
            return True

    def wait(self, handle: DeliveryHandle, timeout: float | None) -> DeliveryReport:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._settled:
            while handle._report is None:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise timed_out(f"no delivery report within {timeout} s")
                self._settled.wait(remaining)
            return handle._report
