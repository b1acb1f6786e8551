"""The demo's ledger: what each service reported, and whether it adds up.

Every service writes one line per event to stdout (see the services' header comments):

    orders        sent ORDER | resent ORDER
    payment       paid ORDER DELIVERY_COUNT | retried ORDER [ERROR] | dead ORDER REASON
    inventory     reserved ORDER PRODUCT | retried ORDER ERROR
    notification  notified ORDER reserved|dead-lettered LATENCY_US [REASON]
    any consumer  ready                     (subscribed: orders may come)
                  stats deduplicated=N      (its client's dedup counter, cumulative)

A service writes an event's line before it settles the message, so a service killed mid-run
can repeat a line (the message comes back) but never lose one: the ledger counts each order
once and counts the repeats.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The payment service decides each order's fate from its number (PaymentService.java, draw()).
DECLINE_REASONS = ("card declined", "card expired")


def draw(number: int) -> float:
    """Where an order falls in [0, 1): Knuth's multiplicative hash, as in PaymentService.java."""
    return ((number * 2654435761) & 0xFFFFFFFF) / 4294967296.0


@dataclass(frozen=True)
class Fate:
    declined_reason: str | None  # dead-lettered with this reason, or paid
    fails_once: bool  # nacked with a delay on its first delivery, then paid


def fate(number: int, transient_rate: float, permanent_rate: float) -> Fate:
    value = draw(number)
    if value < permanent_rate:
        return Fate(DECLINE_REASONS[number % len(DECLINE_REASONS)], False)
    return Fate(None, value < permanent_rate + transient_rate)


def order_number(order: str) -> int:
    return int(order.removeprefix("order-"))


@dataclass
class Ledger:
    sent: set[str] = field(default_factory=set)
    resent: int = 0
    paid: set[str] = field(default_factory=set)
    retried: set[str] = field(default_factory=set)  # nacked on purpose (transient failure)
    # Paid on a later delivery than the first (after a retry, or a redelivery after a kill).
    paid_redelivered: set[str] = field(default_factory=set)
    send_failures: int = 0  # a downstream send failed; the message came back
    declined: dict[str, str] = field(default_factory=dict)
    reserved: set[str] = field(default_factory=set)
    outcomes: dict[str, tuple[str, str]] = field(default_factory=dict)  # order -> (outcome, reason)
    conflicts: list[str] = field(default_factory=list)  # an order notified with two outcomes
    latencies_us: list[int] = field(default_factory=list)  # first notification of each order
    repeated: Counter[str] = field(default_factory=Counter)  # repeated lines, by service
    # Each service run's latest dedup counter: (service, run) -> count
    deduplicated: dict[tuple[str, int], int] = field(default_factory=dict)
    ready: Counter[str] = field(default_factory=Counter)  # times each service subscribed
    unparsed: list[str] = field(default_factory=list)

    def record(self, service: str, run: int, line: str) -> None:
        word, _, rest = line.partition(" ")
        args = rest.split(" ", 3)
        try:
            if word == "ready":
                self.ready[service] += 1
            elif word in ("sent", "resent"):
                self.sent.add(args[0])
                self.resent += word == "resent"
            elif word == "paid":
                self._add(self.paid, args[0], service)
                if int(args[1]) > 1:
                    self.paid_redelivered.add(args[0])
            elif word == "retried" and len(args) == 1 and service == "payment":
                self._add(self.retried, args[0], service)
            elif word == "retried":
                self.send_failures += 1
            elif word == "dead":
                self.repeated[service] += args[0] in self.declined
                self.declined[args[0]] = rest.split(" ", 1)[1]
            elif word == "reserved":
                self._add(self.reserved, args[0], service)
            elif word == "notified":
                self._notified(args)
            elif word == "stats":
                self.deduplicated[(service, run)] = int(rest.removeprefix("deduplicated="))
            else:
                self.unparsed.append(f"{service}: {line}")
        except (IndexError, ValueError):
            self.unparsed.append(f"{service}: {line}")

    def _add(self, orders: set[str], order: str, service: str) -> None:
        self.repeated[service] += order in orders
        orders.add(order)

    def _notified(self, args: list[str]) -> None:
        order, outcome, latency_us = args[0], args[1], int(args[2])
        reason = args[3] if len(args) > 3 else ""
        if order in self.outcomes:
            self.repeated["notification"] += 1
            if self.outcomes[order] != (outcome, reason):
                self.conflicts.append(f"{order}: {self.outcomes[order]} then {(outcome, reason)}")
            return
        self.outcomes[order] = (outcome, reason)
        self.latencies_us.append(latency_us)

    def lost_first_try(self, order: str) -> bool:
        """Whether the order's first delivery went down with a killed payment service, which
        therefore never got to fail it once: its next delivery (count 2) is paid at once. Only
        possible when the payment service was restarted."""
        return (
            self.restarts("payment") > 0
            and order in self.paid_redelivered
            and order not in self.retried
        )

    def deduplicated_by(self, service: str) -> int:
        return sum(count for (name, _), count in self.deduplicated.items() if name == service)

    def restarts(self, service: str) -> int:
        return max(0, self.ready[service] - 1)

    def problems(self, orders: int, transient_rate: float, permanent_rate: float) -> list[str]:
        """Everything that does not add up; empty when every order is accounted for."""
        problems: list[str] = []
        expected = {f"order-{number:07d}" for number in range(1, orders + 1)}
        if self.sent != expected:
            problems.append(f"orders sent: {len(self.sent)} of {orders}")
        missing = sorted(expected - self.outcomes.keys())
        if missing:
            problems.append(f"{len(missing)} orders have no outcome, e.g. {', '.join(missing[:5])}")
        unknown = sorted(self.outcomes.keys() - expected)
        if unknown:
            problems.append(f"{len(unknown)} outcomes for orders never placed: {unknown[:5]}")
        problems.extend(f"two outcomes for {conflict}" for conflict in self.conflicts[:5])
        wrong = []
        for order, (outcome, reason) in sorted(self.outcomes.items()):
            if order not in expected:
                continue
            destiny = fate(order_number(order), transient_rate, permanent_rate)
            if destiny.declined_reason is None and outcome != "reserved":
                wrong.append(f"{order} should have been paid, got {outcome} ({reason})")
            elif destiny.declined_reason is not None and (outcome, reason) != (
                "dead-lettered",
                destiny.declined_reason,
            ):
                wrong.append(
                    f"{order} should be declined ({destiny.declined_reason}), got {outcome}"
                )
            elif destiny.fails_once and not (order in self.retried or self.lost_first_try(order)):
                wrong.append(f"{order} should have failed once and been retried")
        if wrong:
            problems.append(f"{len(wrong)} orders ended wrongly, e.g. {'; '.join(wrong[:3])}")
        if self.unparsed:
            problems.append(f"{len(self.unparsed)} unreadable lines, e.g. {self.unparsed[0]!r}")
        return problems
