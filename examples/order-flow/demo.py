"""Runs the order flow of examples/demo against a broker and checks that every order adds up.

    demo.py --url URL [--orders N] [--kill SERVICE] [rates...]     (examples/demo runs it)

Four services, four languages, one library: the order service (Python) places orders, the
payment service (Java) charges them, the inventory service (Node.js) reserves stock and the
notification service (C++) reports each order's outcome. They talk only through queues, and
only the broker URL says which broker that is. This script starts them, shows one progress line
while they run, optionally kills one service mid-run and starts it again, stops them once every
order has an outcome, and prints a summary. It exits 0 only when the numbers reconcile.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import postwire
from ledger import Ledger, fate, order_number

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONSUMERS = ("payment", "inventory", "notification")
# Lines read from the services and not yet in the ledger; a service writing faster than the
# ledger takes them waits (its stdout pipe fills).
LINES_QUEUED = 10_000
# The services in the order they stop, each with the queues it consumes.
STOP_ORDER = (
    ("orders", ()),
    ("payment", ("orders",)),
    ("inventory", ("payments",)),
    ("notification", ("reservations", "orders.dlq")),
)
LANGUAGE = {"orders": "Python", "payment": "Java", "inventory": "Node.js", "notification": "C++"}


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    logs: Path
    run: int = 0
    process: subprocess.Popen[str] | None = None

    def start(self, lines: queue.Queue[tuple[str, int, str]]) -> None:
        self.run += 1
        stderr = (self.logs / f"{self.name}-{self.run}.log").open("w")
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=self.env,
            cwd=self.logs,
            text=True,
            # Ctrl+C reaches this runner only, which then stops the services in order.
            start_new_session=True,
        )
        stderr.close()
        process, run = self.process, self.run

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put((self.name, run, line.rstrip("\n")))

        threading.Thread(target=read, daemon=True).start()

    def stop(self, timeout: float, ledger: Ledger, lines: queue.Queue[tuple[str, int, str]]) -> int:
        """Asks the service to stop (closes its stdin) and waits, taking the lines it still
        writes into the ledger; kills it after `timeout` seconds."""
        assert self.process is not None
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            take_line(ledger, lines)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        return self.process.returncode

    def stderr_tail(self) -> str:
        text = (self.logs / f"{self.name}-{self.run}.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-15:])


def services(args: argparse.Namespace, prefix: str, logs: Path) -> dict[str, Service]:
    build = Path(os.environ.get("POSTWIRE_BUILD_DIR", ROOT / "build"))
    jars = [
        j
        for j in (ROOT / "java" / "target").glob("postwire-*.jar")
        if not j.name.endswith(("-sources.jar", "-javadoc.jar"))
    ]
    if not jars:
        sys.exit("demo: java/target/postwire-*.jar is missing (examples/demo builds it)")
    modules = logs / "node_modules"  # require("postwire") finds node/ through this link
    modules.mkdir()
    (modules / "postwire").symlink_to(ROOT / "node", target_is_directory=True)
    env = {**os.environ, "NODE_PATH": str(modules)}
    url, rates = args.url, (str(args.transient_rate), str(args.permanent_rate))
    commands = {
        "notification": [
            str(build / "examples/order-flow/postwire-demo-notification"),
            url,
            prefix,
        ],
        "inventory": ["node", str(HERE / "inventory-service.js"), url, prefix],
        "payment": ["java", "-cp", str(jars[0]), str(HERE / "PaymentService.java"), url, prefix]
        + [*rates, str(args.retry_delay_ms)],
        "orders": [sys.executable, str(HERE / "order_service.py"), url, prefix]
        + [str(args.orders), str(args.duplicate_rate), str(args.rate)],
    }
    return {name: Service(name, command, env, logs) for name, command in commands.items()}


class Progress:
    """One line, redrawn in place on a terminal; a line every few seconds otherwise."""

    def __init__(self) -> None:
        self.live = sys.stdout.isatty()
        self.last = 0.0

    def show(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < (0.25 if self.live else 5.0):
            return
        self.last = now
        if self.live:
            print(f"\r\033[K{text}", end="", flush=True)
        else:
            print(text, flush=True)

    def done(self) -> None:
        if self.live:
            print()


def progress_text(ledger: Ledger, orders: int, started: float) -> str:
    elapsed = max(time.monotonic() - started, 1e-3)
    return (
        f"sent {len(ledger.sent):,}/{orders:,} · paid {len(ledger.paid):,} · "
        f"reserved {len(ledger.reserved):,} · retried {len(ledger.retried):,} · "
        f"dead-lettered {len(ledger.declined):,} · notified {len(ledger.outcomes):,} · "
        f"{len(ledger.outcomes) / elapsed:,.0f} orders/s"
    )


def wait_until_ready(
    running: dict[str, Service],
    ledger: Ledger,
    lines: queue.Queue[tuple[str, int, str]],
    timeout: float,
) -> list[str]:
    deadline = time.monotonic() + timeout
    while not all(ledger.ready[name] for name in CONSUMERS):
        for service in running.values():
            status = service.process.poll() if service.process else None
            if status is not None:
                return [
                    f"the {service.name} service exited with {status}:\n{service.stderr_tail()}"
                ]
        if time.monotonic() > deadline:
            waiting = [name for name in CONSUMERS if not ledger.ready[name]]
            return [f"services not ready after {timeout} s: {', '.join(waiting)}"]
        take_line(ledger, lines)
    return []


def take_line(ledger: Ledger, lines: queue.Queue[tuple[str, int, str]]) -> None:
    """Records the lines the services wrote, waiting a little for the first."""
    with contextlib.suppress(queue.Empty):
        ledger.record(*lines.get(timeout=0.1))
        for _ in range(LINES_QUEUED):
            ledger.record(*lines.get_nowait())


def drain(
    url: str, queues: list[str], ledger: Ledger, lines: queue.Queue[tuple[str, int, str]]
) -> None:
    """Waits (up to 30 s) until the queues have held no message for a second. Whatever is still
    there after that is reported by check_queues."""
    deadline = time.monotonic() + 30
    quiet_since = time.monotonic()
    with postwire.connect(url, client_id="demo-drain") as client:
        while time.monotonic() < deadline and time.monotonic() - quiet_since < 1.0:
            if any(client.declare_queue(name, durable=True).message_count for name in queues):
                quiet_since = time.monotonic()
            take_line(ledger, lines)


def run_flow(args: argparse.Namespace, prefix: str, logs: Path) -> tuple[Ledger, list[str], float]:
    """Runs the services until every order has an outcome (or the time is up)."""
    ledger, lines = Ledger(), queue.Queue[tuple[str, int, str]](maxsize=LINES_QUEUED)
    running = services(args, prefix, logs)
    problems: list[str] = []
    progress = Progress()
    finished_at = None
    killed = False
    started = time.monotonic()
    for name in CONSUMERS:
        running[name].start(lines)
    try:
        # Orders start once every consumer has subscribed (the JVM compiles the payment
        # service first), so the latency measured is the flow's, not the start-up's.
        progress.show("starting the services", force=True)
        problems += wait_until_ready(running, ledger, lines, args.timeout)
        started = time.monotonic()
        if not problems:
            running["orders"].start(lines)
        while not problems:
            take_line(ledger, lines)
            progress.show(progress_text(ledger, args.orders, started))
            if args.kill and not killed and len(ledger.outcomes) >= args.kill_at * args.orders:
                killed = True
                victim = running[args.kill]
                assert victim.process is not None
                victim.process.kill()  # SIGKILL: no goodbye, unsettled messages go back
                victim.process.wait()
                progress.show(f"killed the {args.kill} service; starting it again", force=True)
                time.sleep(1)
                victim.start(lines)
            for service_ in running.values():
                status = service_.process.poll() if service_.process else None
                if status not in (None, 0):
                    tail = service_.stderr_tail()
                    problems.append(f"the {service_.name} service exited with {status}:\n{tail}")
            if problems:
                break
            if len(ledger.outcomes) >= args.orders and finished_at is None:
                finished_at = time.monotonic()
            # A short grace period lets repeats still in flight show up in the ledger.
            if finished_at is not None and time.monotonic() - finished_at > 1.0:
                break
            if time.monotonic() - started > args.timeout:
                problems.append(f"not finished after {args.timeout} s (--timeout)")
                break
    except KeyboardInterrupt:
        problems.append("interrupted (Ctrl+C); the services were stopped")
    finally:
        progress.show(progress_text(ledger, args.orders, started), force=True)
        progress.done()
        # Upstream first, each once its input stayed empty: repeats still in flight reach the
        # ledger, and no queue is left holding a message a stopped consumer never took.
        for name, inputs in STOP_ORDER:
            service_ = running[name]
            if not problems:
                try:
                    drain(args.url, [f"{prefix}.{queue}" for queue in inputs], ledger, lines)
                except postwire.PostwireError as error:
                    problems.append(f"could not watch the {name} service's input: {error}")
            if service_.process and service_.process.poll() is None:
                status = service_.stop(30, ledger, lines)
                if status != 0:
                    problems.append(
                        f"the {name} service did not stop cleanly "
                        f"(status {status}):\n" + service_.stderr_tail()
                    )
        while not lines.empty():
            ledger.record(*lines.get())
    elapsed = (finished_at or time.monotonic()) - started
    return ledger, problems, elapsed


def without_credentials(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def check_queues(url: str, prefix: str, retry_delay_ms: int) -> list[str]:
    """Every queue of the flow must be empty once the services stopped; then they are deleted."""
    problems = []
    names = [f"{prefix}.{name}" for name in ("orders", "orders.dlq", "payments", "reservations")]
    try:
        with postwire.connect(url, client_id="demo") as client:
            for name in names:
                left = client.delete_queue(name)
                if left:
                    problems.append(f"{left} messages left in {name}")
            # The queue holding delayed nacks (docs/rabbitmq.md); it would expire by itself.
            client.delete_queue(f"pw.delay.{prefix}.orders.{retry_delay_ms}")
    except postwire.PostwireError as error:
        problems.append(f"could not check the flow's queues are empty: {error}")
    return problems


def summary(
    args: argparse.Namespace, ledger: Ledger, elapsed: float, restarts: tuple[str, str]
) -> str:
    reasons: dict[str, int] = {}
    for order, reason in ledger.declined.items():
        reasons[reason] = reasons.get(reason, 0) + (order in ledger.outcomes)
    dedup = {name: ledger.deduplicated_by(name) for name in CONSUMERS}
    expected_retries = sum(
        fate(n, args.transient_rate, args.permanent_rate).fails_once
        for n in range(1, args.orders + 1)
    )
    lost = sum(
        ledger.lost_first_try(order)
        for order in ledger.outcomes
        if fate(order_number(order), args.transient_rate, args.permanent_rate).fails_once
    )
    lost_first_tries = f"; {lost:,} lost their first try with the killed service" if lost else ""
    send_failures = (
        f"; {ledger.send_failures:,} more after a failed send" if ledger.send_failures else ""
    )
    outcomes = list(ledger.outcomes.values())
    reserved = sum(outcome == "reserved" for outcome, _ in outcomes)
    declined = len(outcomes) - reserved
    unaccounted = args.orders - len(ledger.outcomes) + len(ledger.conflicts)
    latencies = [value / 1000 for value in ledger.latencies_us]
    rows = [
        ("orders placed", f"{len(ledger.sent):,}", f"{LANGUAGE['orders']} order service"),
        ("re-sent on purpose", f"{ledger.resent:,}", "same idempotency key as the first send"),
        (
            "duplicates dropped",
            f"{sum(dedup.values()):,}",
            "by dedup windows: " + ", ".join(f"{n} {c:,}" for n, c in dedup.items()),
        ),
        (
            "repeated deliveries",
            f"{sum(ledger.repeated.values()):,}",
            "recognised by order id: "
            + (", ".join(f"{n} {c:,}" for n, c in ledger.repeated.items() if c) or "none"),
        ),
        ("paid", f"{len(ledger.paid):,}", f"{LANGUAGE['payment']} payment service"),
        (
            "failed once, retried",
            f"{len(ledger.retried):,}",
            f"nacked with a {args.retry_delay_ms} ms delay, then paid "
            f"({expected_retries:,} orders fail once{lost_first_tries}{send_failures})",
        ),
        (
            "dead-lettered",
            f"{declined:,}",
            ", ".join(f"{reason} {count:,}" for reason, count in sorted(reasons.items())) or "none",
        ),
        (
            "stock reserved",
            f"{len(ledger.reserved):,}",
            f"{LANGUAGE['inventory']} inventory service",
        ),
        (
            "customers notified",
            f"{len(ledger.outcomes):,}",
            f"{reserved:,} reserved + {declined:,} declined "
            f"({LANGUAGE['notification']} notification service)",
        ),
        ("unaccounted", f"{unaccounted:,}", "orders without exactly one outcome"),
        (
            "throughput",
            f"{len(ledger.outcomes) / elapsed:,.0f}/s",
            f"orders placed to notified, {elapsed:.1f} s in all",
        ),
        (
            "latency p50 / p99",
            f"{percentile(latencies, 0.5):,.1f} ms",
            f"{percentile(latencies, 0.99):,.1f} ms at p99, order placed to customer notified",
        ),
        ("restarts", *restarts),
    ]
    width = max(len(label) for label, _, _ in rows)
    number_width = max(len(number) for _, number, _ in rows)
    return "\n".join(
        f"  {label:<{width}}  {number:>{number_width}}  {note}".rstrip()
        for label, number, note in rows
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", required=True, help="the broker, e.g. amqp://guest:guest@host:5672"
    )
    parser.add_argument("--orders", type=int, default=10_000, help="orders to place (10000)")
    parser.add_argument(
        "--rate", type=float, default=2000, help="orders placed per second, 0 for no limit (2000)"
    )
    parser.add_argument(
        "--duplicate-rate",
        type=float,
        default=0.01,
        help="share of orders sent twice with the same id (0.01)",
    )
    parser.add_argument(
        "--transient-rate",
        type=float,
        default=0.05,
        help="share of payments failing once, then succeeding (0.05)",
    )
    parser.add_argument(
        "--permanent-rate",
        type=float,
        default=0.03,
        help="share of payments declined for good, dead-lettered (0.03)",
    )
    parser.add_argument(
        "--retry-delay-ms",
        type=int,
        default=250,
        help="delay before a failed payment is tried again (250)",
    )
    parser.add_argument(
        "--kill", choices=CONSUMERS, help="kill this service (SIGKILL) mid-run and start it again"
    )
    parser.add_argument(
        "--kill-at",
        type=float,
        default=0.3,
        help="share of orders notified when --kill strikes (0.3)",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="give up after this many seconds"
    )
    args = parser.parse_args()
    for name in ("duplicate_rate", "transient_rate", "permanent_rate", "kill_at"):
        if not 0 <= getattr(args, name) <= 1:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1")
    if args.transient_rate + args.permanent_rate > 1:
        parser.error("--transient-rate and --permanent-rate add up to more than 1")
    if args.rate < 0:
        parser.error("--rate must be 0 (no limit) or more")
    if args.orders < 1:
        parser.error("--orders must be at least 1")

    try:  # a clear word now rather than four services failing one by one
        postwire.connect(args.url, client_id="demo").close()
    except postwire.PostwireError as error:
        print(f"demo: cannot use the broker at {without_credentials(args.url)}: {error}")
        return 1
    prefix = f"demo-{uuid.uuid4().hex[:8]}"
    logs = Path(tempfile.mkdtemp(prefix="postwire-demo-"))
    print(f"order flow {prefix}: {args.orders:,} orders through {without_credentials(args.url)}")
    ledger, problems, elapsed = run_flow(args, prefix, logs)
    problems += ledger.problems(args.orders, args.transient_rate, args.permanent_rate)
    problems += check_queues(args.url, prefix, args.retry_delay_ms)
    restarted = ledger.restarts(args.kill) if args.kill else 0
    restarts = (
        (f"{restarted}", f"{args.kill} service killed (SIGKILL) at {args.kill_at:.0%} notified")
        if args.kill
        else ("0", "")
    )
    if args.kill and restarted != 1:
        problems.append(
            f"the {args.kill} service subscribed {ledger.ready[args.kill]} times, not 2"
        )
    print(summary(args, ledger, elapsed, restarts))
    if problems:
        print(f"NOT RECONCILED (service logs in {logs}):")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    shutil.rmtree(logs, ignore_errors=True)
    print(
        "RECONCILED: every order placed has exactly one outcome, the one its payment decided;"
        " no queue holds a message"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
