"""The java benchmark driver, run by ci/bench java.

Runs bench/java/JavaBench.java for each client, each run in its own JVM, against one RabbitMQ
broker: postwire's Java package and RabbitMQ's amqp-client (asynchronous publisher confirms
through a ConfirmListener). Each run publishes COUNT persistent messages of SIZE bytes with
confirms and consumes them with acks. The clients take turns for ROUNDS rounds (the order
alternating), and each figure is the median of a client's rounds, so that a burst of load on a
shared machine or broker does not decide a ratio. Prints a table, the ratios against the goals
(postwire's throughput at least 1.0x amqp-client's, its CPU per message at most 0.5x), and
writes every run's figures as JSON. CPU is the client process's own user + sys time over the
measured phases (all of its threads). Exits 1 if a client failed or lost messages; never
because of a time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

# bench/report.py, shared by the suites' runners.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from report import last_json_line, log, write_report  # noqa: E402

CLIENTS = ("amqp-client", "postwire")


def run_client(
    args: argparse.Namespace, client: str, round_number: int, failures: list[str]
) -> dict | None:
    cmd = [
        args.java,
        "-cp",
        args.classpath,
        "JavaBench",
        client,
        args.url,
        str(args.count),
        str(args.size),
    ]
    log(f"bench: {client}: {args.count} messages of {args.size} B (round {round_number})")
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=args.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        failures.append(f"{client}: did not finish within {args.timeout:.0f} s")
        return None
    result = last_json_line(proc.stdout)
    if proc.returncode != 0 or result is None:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        failures.append(f"{client}: exited {proc.returncode}:\n{tail}")
        return None
    for phase, field in (("published", "confirmed"), ("consumed", "received")):
        if result[phase] != args.count:
            failures.append(f"{client}: {result[phase]} of {args.count} messages {field}")
    result["publish_msgs_per_s"] = args.count / result["publish_seconds"]
    result["consume_msgs_per_s"] = args.count / result["consume_seconds"]
    cpu = result["publish_cpu_seconds"] + result["consume_cpu_seconds"]
    result["cpu_us_per_msg"] = cpu / args.count * 1e6
    return result


def median_of(runs: list[dict]) -> dict:
    """One client's figures: the median of each over its rounds."""
    result = dict(runs[0])
    for field in (
        "publish_msgs_per_s",
        "consume_msgs_per_s",
        "publish_cpu_seconds",
        "consume_cpu_seconds",
        "cpu_us_per_msg",
    ):
        result[field] = statistics.median(run[field] for run in runs)
    result["rounds"] = len(runs)
    return result


def print_report(results: dict[str, dict], ratios: dict | None) -> None:
    header = (
        f"{'client':<12} {'size':>5} {'publish msg/s':>14} {'consume msg/s':>14} "
        f"{'CPU s pub+con':>15} {'CPU µs/msg':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results.values():
        cpu = f"{r['publish_cpu_seconds']:.2f} + {r['consume_cpu_seconds']:.2f}"
        print(
            f"{r['client']:<12} {r['size']:>5} {r['publish_msgs_per_s']:>14,.0f} "
            f"{r['consume_msgs_per_s']:>14,.0f} {cpu:>15} {r['cpu_us_per_msg']:>11.2f}"
        )
    rounds = max((r.get("rounds", 1) for r in results.values()), default=0)
    print(f"(each figure the median of {rounds} runs)")
    print()
    if ratios is None:
        print("no ratios: a client did not finish")
        return
    print(
        f"postwire/amqp-client throughput {ratios['publish_throughput']:.2f}× publish, "
        f"{ratios['consume_throughput']:.2f}× consume (goal ≥ 1.0×)"
    )
    print(f"postwire/amqp-client CPU per msg {ratios['cpu_per_msg']:.2f}× (goal ≤ 0.5×)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="amqp:// URL of the broker")
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--rounds", type=int, default=3, help="runs per client, taking turns")
    p.add_argument(
        "--classpath", required=True, help="JavaBench, postwire's jar, amqp-client's jars"
    )
    p.add_argument("--java", default="java")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per client run")
    p.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = p.parse_args()

    started = time.time()
    failures: list[str] = []
    runs: dict[str, list[dict]] = {client: [] for client in CLIENTS}
    for round_number in range(1, args.rounds + 1):
        order = CLIENTS if round_number % 2 else tuple(reversed(CLIENTS))
        for client in order:
            result = run_client(args, client, round_number, failures)
            if result is not None:
                runs[client].append(result)
    results = {client: median_of(runs[client]) for client in CLIENTS if runs[client]}
    ratios = None
    if not failures and set(results) == set(CLIENTS):
        mine, anchor = results["postwire"], results["amqp-client"]
        ratios = {
            "publish_throughput": mine["publish_msgs_per_s"] / anchor["publish_msgs_per_s"],
            "consume_throughput": mine["consume_msgs_per_s"] / anchor["consume_msgs_per_s"],
            "cpu_per_msg": mine["cpu_us_per_msg"] / anchor["cpu_us_per_msg"],
        }
    print_report(results, ratios)

    write_report(
        args.out,
        "java",
        args.url,
        started,
        workload={
            "count": args.count,
            "size": args.size,
            "confirm_window": 1000,
            "prefetch": 1000,
            "persistent": True,
            "queue": "durable classic",
            "warmup": 10_000,
            "rounds": args.rounds,
        },
        results=list(results.values()),
        runs=[run for client in CLIENTS for run in runs[client]],
        ratios=ratios,
        failures=failures,
    )
    for failure in failures:
        log(f"bench: FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
