"""The python benchmark driver, run by ci/bench python.

Runs bench/python/clients.py once per client against one RabbitMQ broker, one after another,
each in its own process of the given interpreter (a virtualenv with postwire, pika and
aio-pika): publish COUNT persistent messages of SIZE bytes with publisher confirms, then
consume them with acks. Prints a table, the ratio lines against the goals (postwire's
confirmed-publish throughput at least 20x pika's and 2x aio-pika's, its CPU per message at most
0.1x either's) and writes every figure as JSON. CPU is each client process's own user + sys
time per phase. Exits 1 if any client failed or lost messages; never because of a time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

# bench/report.py, shared by the suites' runners.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from report import log, write_report  # noqa: E402

CLIENTS = ("postwire", "postwire-aio", "pika", "aio-pika")
ANCHORS = ("pika", "aio-pika")
CLIENTS_PY = Path(__file__).with_name("clients.py")


def run_client(args: argparse.Namespace, client: str) -> dict[str, float] | None:
    queue = f"bench-python-{client}-{int(time.time())}"
    command = [
        args.python,
        str(CLIENTS_PY),
        client,
        args.url,
        queue,
        str(args.count),
        str(args.size),
        str(args.prefetch),
    ]
    log(f"--> {client}: {args.count} messages of {args.size} B")
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=args.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        log(f"{client}: did not finish within {args.timeout} s")
        return None
    finally:
        delete_queue(args, queue)
    if done.returncode != 0:
        log(f"{client}: exited with {done.returncode}\n{done.stderr[-3000:]}")
        return None
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["published"] != args.count or figures["consumed"] != args.count:
        log(
            f"{client}: lost messages: {figures['published']} confirmed and "
            f"{figures['consumed']} consumed of {args.count}"
        )
        return None
    return figures


def delete_queue(args: argparse.Namespace, queue: str) -> None:
    code = (
        "import sys, postwire\n"
        "with postwire.connect(sys.argv[1]) as c: c.delete_queue(sys.argv[2])\n"
    )
    subprocess.run([args.python, "-c", code, args.url, queue], capture_output=True, check=False)


def per_message(figures: dict[str, float], count: int) -> dict[str, float]:
    return {
        "publish_msg_s": count / figures["published_s"],
        "consume_msg_s": count / figures["consumed_s"],
        "publish_cpu_us": figures["published_cpu_s"] / count * 1e6,
        "consume_cpu_us": figures["consumed_cpu_s"] / count * 1e6,
        "cpu_us": (figures["published_cpu_s"] + figures["consumed_cpu_s"]) / count * 1e6,
    }


def print_report(
    rows: dict[str, dict[str, float]], count: int, size: int
) -> list[dict[str, object]]:
    print(f"\npython: {count} persistent messages of {size} B, publisher confirms, acks")
    print(
        f"{'client':<14}{'publish msg/s':>15}{'consume msg/s':>15}"
        f"{'CPU µs/msg pub':>16}{'CPU µs/msg con':>16}{'CPU µs/msg':>12}"
    )
    for client, row in rows.items():
        print(
            f"{client:<14}{row['publish_msg_s']:>15,.0f}{row['consume_msg_s']:>15,.0f}"
            f"{row['publish_cpu_us']:>16.1f}{row['consume_cpu_us']:>16.1f}{row['cpu_us']:>12.1f}"
        )
    ratios: list[dict[str, object]] = []
    goals = {"pika": 20.0, "aio-pika": 2.0}
    for ours in ("postwire", "postwire-aio"):
        for anchor in ANCHORS:
            if ours not in rows or anchor not in rows:
                continue
            a, b = rows[ours], rows[anchor]
            ratio = {
                "client": ours,
                "anchor": anchor,
                "publish_throughput": a["publish_msg_s"] / b["publish_msg_s"],
                "consume_throughput": a["consume_msg_s"] / b["consume_msg_s"],
                "cpu_per_message": a["cpu_us"] / b["cpu_us"],
            }
            ratios.append(ratio)
            print(
                f"{ours}/{anchor}: publish throughput {ratio['publish_throughput']:.1f}x "
                f"(goal >= {goals[anchor]:g}x), consume {ratio['consume_throughput']:.1f}x, "
                f"CPU per message {ratio['cpu_per_message']:.2f}x (goal <= 0.1x)"
            )
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--python", required=True, help="the interpreter with the clients")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--prefetch", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    started = time.time()
    failed = False
    rows: dict[str, dict[str, float]] = {}
    raw: dict[str, dict[str, float]] = {}
    for client in args.clients.split(","):
        if client not in CLIENTS:
            parser.error(f"unknown client {client!r} (known: {', '.join(CLIENTS)})")
        figures = run_client(args, client)
        if figures is None:
            failed = True
            continue
        raw[client] = figures
        rows[client] = per_message(figures, args.count)
    ratios = print_report(rows, args.count, args.size)
    if args.out:
        write_report(
            args.out,
            "python",
            args.url,
            started,
            workload={"count": args.count, "size": args.size, "prefetch": args.prefetch},
            clients=raw,
            per_message=rows,
            ratios=ratios,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
