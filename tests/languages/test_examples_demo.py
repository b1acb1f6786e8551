"""examples/demo: the order flow of four services in four languages reconciles on the real
broker — also when a service is killed mid-run and started again — and its ledger reports the
orders that do not add up."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from conftest import ROOT
from ledger import Ledger, fate

ORDERS = 3000
# A guard against a hang, not a measurement.
DEMO_TIMEOUT_S = 600


@pytest.mark.parametrize("killed", [None, "payment", "inventory", "notification"])
def test_the_order_flow_reconciles(amqp_url: str, killed: str | None) -> None:
    # ci/test built everything before this suite; the build step would only repeat that.
    command = [str(ROOT / "examples" / "demo"), "--skip-setup", "--skip-build", "--url", amqp_url]
    command += ["--orders", str(ORDERS), "--rate", "0"]
    if killed:
        command += ["--kill", killed]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=DEMO_TIMEOUT_S, env=dict(os.environ)
    )
    output = f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert result.returncode == 0, output
    rows = dict(re.findall(r"^  (\S.*?\S)  +(\S+)", result.stdout, re.MULTILINE))
    assert rows["orders placed"] == f"{ORDERS:,}", output
    assert rows["customers notified"] == f"{ORDERS:,}", output
    assert rows["unaccounted"] == "0", output
    assert rows["restarts"] == ("1" if killed else "0"), output
    assert result.stdout.rstrip().splitlines()[-1].startswith("RECONCILED"), output


def test_the_ledger_reports_missing_wrong_and_conflicting_outcomes() -> None:
    declined = next(n for n in range(1, 1000) if fate(n, 0.05, 0.03).declined_reason)
    paid = next(n for n in range(1, 1000) if fate(n, 0.05, 0.03) == fate(1, 0.0, 0.0))
    missing = next(n for n in range(1, 1000) if n not in (declined, paid))
    ledger = Ledger()
    for number in range(1, 1000):
        ledger.record("orders", 1, f"sent order-{number:07d}")
    for number in range(1, 1000):
        if number != missing:
            destiny = fate(number, 0.05, 0.03)
            reason = destiny.declined_reason
            outcome = f"dead-lettered 10 {reason}" if reason else "reserved 10"
            if number == declined:
                outcome = "reserved 10"  # declined by the payment rule, yet reserved
            ledger.record("notification", 1, f"notified order-{number:07d} {outcome}")
            if destiny.fails_once:
                ledger.record("payment", 1, f"retried order-{number:07d}")
            if reason is None:
                ledger.record("payment", 1, f"paid order-{number:07d} {1 + destiny.fails_once}")
    ledger.record("notification", 1, f"notified order-{paid:07d} dead-lettered 10 card expired")
    problems = "\n".join(ledger.problems(999, 0.05, 0.03))
    assert f"1 orders have no outcome, e.g. order-{missing:07d}" in problems
    assert f"order-{declined:07d} should be declined" in problems
    assert f"two outcomes for order-{paid:07d}" in problems


def test_the_ledger_counts_a_repeated_notification_once() -> None:
    ledger = Ledger()
    ledger.record("orders", 1, "sent order-0000001")
    ledger.record("notification", 1, "notified order-0000001 reserved 1500")
    ledger.record("notification", 2, "notified order-0000001 reserved 900")  # after a restart
    assert ledger.problems(1, 0.0, 0.0) == []
    assert ledger.repeated["notification"] == 1
    assert ledger.latencies_us == [1500]


def test_the_ledger_accepts_a_first_try_lost_only_with_a_restarted_payment_service() -> None:
    fails_once = next(n for n in range(1, 1000) if fate(n, 0.05, 0.03).fails_once)
    order = f"order-{fails_once:07d}"
    for restarted, delivery, accepted in ((True, 2, True), (True, 1, False), (False, 2, False)):
        ledger = Ledger()
        ledger.record("payment", 1, "ready")
        if restarted:
            ledger.record("payment", 2, "ready")
        ledger.record("orders", 1, f"sent {order}")
        # Paid without being nacked first: fine only when an earlier delivery went down with
        # the killed service.
        ledger.record("payment", 2, f"paid {order} {delivery}")
        ledger.record("notification", 1, f"notified {order} reserved 100")
        problems = [p for p in ledger.problems(1000, 0.05, 0.03) if order in p and "ended" in p]
        assert (problems == []) == accepted, (restarted, delivery, problems)
