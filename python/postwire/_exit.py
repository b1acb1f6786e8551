"""Clients still open when the interpreter exits are closed before it goes away.

Closing stops each client's IO thread while the interpreter can still run the close (bounded by
the client's close timeout), so exiting with live clients neither hangs nor crashes, and
messages already sent get their chance to be confirmed.
"""

from __future__ import annotations

import atexit
import contextlib
import weakref
from typing import Protocol


class Closable(Protocol):
    def _close_at_exit(self) -> None: ...


_live: weakref.WeakSet[Closable] = weakref.WeakSet()


def track(client: Closable) -> None:
    _live.add(client)


def untrack(client: Closable) -> None:
    _live.discard(client)


@atexit.register
def _close_live_clients() -> None:
    for client in list(_live):
        # The interpreter is exiting: there is nobody left to tell of a failure.
        with contextlib.suppress(Exception):
            client._close_at_exit()
