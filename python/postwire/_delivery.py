"""Delivery handles: the sync API's view of one send's outcome.

Each send registers a handle under a token; the client's event thread settles handles from
the delivery reports it polls, a batch at a time, under one lock per batch.

The registry holds handles weakly (strongly once a done callback is added, so that the
callback still runs): a handle the application dropped is gone, and when its report arrives
failed, nobody can learn of the failure, so it is reported as unobserved (see
``report_unobserved``). A handle still held when its failed report arrives is reported so when
it is dropped without ``result()`` or ``report()`` having been called (like an asyncio future
whose exception was never retrieved).
"""

from __future__ import annotations

import itertools
import threading
import time
import weakref
from collections.abc import Callable

from ._events import DeliveryReport, EventCallback, logger, report_unobserved
from .errors import timed_out


class DeliveryHandle:
    """The pending outcome of one send (like a ``concurrent.futures.Future``)."""

    __slots__ = ("__weakref__", "_callbacks", "_observed", "_registry", "_report", "_token")

    def __init__(self, registry: Registry, token: int) -> None:
        self._registry = registry
        self._token = token
        self._report: DeliveryReport | None = None
        self._callbacks: list[Callable[[DeliveryHandle], None]] | None = None
        self._observed = False  # result() or report() has returned or raised the outcome

    def done(self) -> bool:
        """True once the message's delivery report has arrived."""
        return self._report is not None

    def report(self, timeout: float | None = None) -> DeliveryReport:
        """Waits up to ``timeout`` seconds (None: without limit) for the delivery report and
        returns it, failed or not; raises TimedOutError if it has not arrived by then."""
        report = self._report
        if report is None:
            report = self._registry.wait(self, timeout)
        self._observed = True
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

    def __del__(self) -> None:
        report = self._report
        if report is not None and report.error is not None and not self._observed:
            report_unobserved(report.error, report, self._registry.on_event)


class Registry:
    """The pending handles of one client, by token."""

    def __init__(self, on_event: EventCallback | None) -> None:
        self.on_event = on_event
        self._tokens = itertools.count(1)
        # A handle with done callbacks is held itself, any other through a weak reference.
        self._pending: dict[int, weakref.ref[DeliveryHandle] | DeliveryHandle] = {}
        self._settled = threading.Condition()

    def register(self) -> tuple[int, DeliveryHandle]:
        token = next(self._tokens)
        handle = DeliveryHandle(self, token)
        self._pending[token] = weakref.ref(handle)
        return token, handle

    def forget(self, token: int) -> None:
        """A send that failed at once: no report will come for it."""
        self._pending.pop(token, None)

    def pending(self) -> list[DeliveryHandle]:
        """The handles still waiting for their report that someone holds."""
        handles = (_held(entry) for entry in list(self._pending.values()))
        return [handle for handle in handles if handle is not None]

    def settle(self, reports: list[tuple[int, DeliveryReport]]) -> None:
        callbacks: list[tuple[DeliveryHandle, Callable[[DeliveryHandle], None]]] = []
        unobserved: list[DeliveryReport] = []
        # Strong references until the lock is released: a handle the application drops
        # meanwhile runs its finalizer (which may report it) outside the lock.
        held: list[DeliveryHandle] = []
        with self._settled:
            for token, report in reports:
                entry = self._pending.pop(token, None)
                if entry is None:
                    continue
                handle = _held(entry)
                if handle is None:  # dropped before its report came: nobody will look
                    if report.error is not None:
                        unobserved.append(report)
                    continue
                held.append(handle)
                handle._report = report
                if handle._callbacks:
                    callbacks += [(handle, callback) for callback in handle._callbacks]
                    handle._callbacks = None
            self._settled.notify_all()
        for report in unobserved:
            assert report.error is not None
            report_unobserved(report.error, report, self.on_event)
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
                if handle._token in self._pending:
                    self._pending[handle._token] = handle
            handle._callbacks.append(callback)
            return True

    def wait(self, handle: DeliveryHandle, timeout: float | None) -> DeliveryReport:
        """Waits for ``handle``'s report without counting as having looked at it."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._settled:
            while handle._report is None:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise timed_out(f"no delivery report within {timeout} s")
                self._settled.wait(remaining)
            return handle._report


def _held(entry: weakref.ref[DeliveryHandle] | DeliveryHandle) -> DeliveryHandle | None:
    return entry if isinstance(entry, DeliveryHandle) else entry()
