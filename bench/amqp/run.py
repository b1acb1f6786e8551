"""The amqp benchmark driver, run by ci/bench amqp.

Runs the same workload on every client against one RabbitMQ broker, one after another: publish
COUNT persistent messages of each size with publisher confirms, then consume them with acks.
Clients:
  postwire    bench/amqp/postwire_bench.cpp (skipped, and said so, when it was not built)
  postwire-c  bench/amqp/postwire_c_bench.c: postwire through its C ABI (postwire.h), which
              every language binding goes through (skipped, and said so, when not built)
  perftest    RabbitMQ PerfTest (Java): a publish-only run, then a consume-only run
  rabbitmq-c  bench/amqp/rabbitmq_c_bench.c

Prints a table and the ratio lines against the goals (postwire's throughput at least 1.2x
PerfTest's, its CPU per message at most rabbitmq-c's) and the C ABI's cost (postwire-c against
postwire: throughput and CPU per message relative to the C++ API), and writes every figure as
JSON. CPU is the client process's own user + sys time: the native clients read
getrusage(RUSAGE_SELF); the JVM's is read here from the wait4 rusage of the child
(RUSAGE_CHILDREN deltas), JVM start-up included. Exits 1 if any client failed or lost
messages; never because of a time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

# bench/report.py, shared by the suites' runners.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from report import last_json_line, log, write_report  # noqa: E402

CLIENTS = ("postwire", "postwire-c", "perftest", "rabbitmq-c")
PERFTEST_MAIN = "com.rabbitmq.perf.PerfTest"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(cmd: list[str], timeout: float) -> tuple[int, str, str, float]:
    """Runs cmd; returns its exit status, stdout, stderr and CPU seconds (user + sys)."""
    before = children_cpu()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        return -1, out, err + f"\n(killed after {timeout:.0f} s)", children_cpu() - before
    return proc.returncode, proc.stdout, proc.stderr, children_cpu() - before


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.failures: list[str] = []
        self.run_id = f"{os.getpid()}-{int(time.time())}"

    def queue(self, client: str, size: int) -> str:
        return f"bench-{client}-{size}-{self.run_id}"

    def common_args(self, queue: str, size: int) -> list[str]:
        a = self.args
        return [
            "--url", a.url, "--queue", queue, "--count", str(a.count), "--size", str(size),
            "--window", str(a.window), "--prefetch", str(a.prefetch),
            "--ack-every", str(a.ack_every),
        ]  # fmt: skip

    def native(self, client: str, binary: str, size: int) -> dict | None:
        queue = self.queue(client, size)
        status, out, err, _ = run_child([binary, *self.common_args(queue, size)], self.args.timeout)
        result = last_json_line(out)
        if status != 0 or result is None:
            self.failures.append(f"{client} {size} B: exit status {status}")
            log(f"bench: {client} ({size} B) failed with status {status}:\n{tail(err + out)}")
            self.delete_queue(queue)
        return result

    def perftest(self, size: int) -> dict | None:
        a = self.args
        queue = self.queue("perftest", size)
        java = [a.java, "-cp", f"{a.perftest_classpath}/*", PERFTEST_MAIN, "--uri", a.url]
        # Both runs use the same durable (persistent flag), non-auto-delete queue, so the
        # consume-only run finds what the publish-only run left.
        shared = ["--queue", queue, "--auto-delete", "false", "--flag", "persistent"]
        publish = [
            *java, *shared, "--producers", "1", "--consumers", "0",
            "--confirm", str(a.window), "--pmessages", str(a.count), "--size", str(size),
        ]  # fmt: skip
        consume = [
            *java, *shared, "--producers", "0", "--consumers", "1",
            "--qos", str(a.prefetch), "--multi-ack-every", str(a.ack_every),
            "--cmessages", str(a.count),
        ]  # fmt: skip
        try:
            status, out, err, publish_cpu = run_child(publish, a.timeout)
            if status != 0 or "Producer reached message limit" not in out:
                self.failures.append(f"perftest {size} B: publishing failed (status {status})")
                log(f"bench: PerfTest publish ({size} B) failed:\n{tail(out + err)}")
                return None
            send_rate = re.search(r"sending rate avg: (\d+) msg/s", out)
            latency = re.search(
                r"confirm latency min/median/75th/95th/99th (\d+)/(\d+)/(\d+)/(\d+)/(\d+) µs", out
            )
            nacked = sum(int(n) for n in re.findall(r"nacked: (\d+) msg/s", out))

            status, cout, cerr, consume_cpu = run_child(consume, a.timeout)
            completed = "Consumer reached message limit" in cout
            recv_rate = re.search(r"receiving rate avg: (\d+) msg/s", cout)
            if status != 0 or not completed:
                self.failures.append(f"perftest {size} B: consuming failed (status {status})")
                log(f"bench: PerfTest consume ({size} B) failed:\n{tail(cout + cerr)}")
            if not (send_rate and recv_rate and latency):
                self.failures.append(f"perftest {size} B: could not read its summary")
                log(f"bench: PerfTest ({size} B) printed no summary:\n{tail(out)}\n{tail(cout)}")
                return None
            return {
                "client": "perftest",
                "size": size,
                "count": a.count,
                "publish_msgs_per_s": float(send_rate.group(1)),
                "consume_msgs_per_s": float(recv_rate.group(1)),
                "publish_cpu_s": round(publish_cpu, 4),
                "consume_cpu_s": round(consume_cpu, 4),
                "p50_confirm_us": int(latency.group(2)),
                "p99_confirm_us": int(latency.group(5)),
                # PerfTest stops its producer at --pmessages and its consumer at --cmessages;
                # a run that stopped for any other reason failed above.
                "confirmed": a.count - nacked,
                "nacked": nacked,
                "received": a.count if completed else 0,
            }
        finally:
            self.delete_queue(queue)

    def delete_queue(self, queue: str) -> None:
        status, _, err, _ = run_child(
            [self.args.rabbitmq_c, "--url", self.args.url, "--queue", queue, "--delete"], 60
        )
        if status != 0:
            log(f"bench: could not delete queue {queue}: {tail(err, 3)}")

    def run(self) -> list[dict]:
        a = self.args
        have_postwire = bool(a.postwire) and os.access(a.postwire, os.X_OK)
        if not have_postwire:
            log(
                "bench: postwire was NOT built (no postwire-bench-amqp binary); "
                "running the anchors only"
            )
        have_postwire_c = bool(a.postwire_c) and os.access(a.postwire_c, os.X_OK)
        if not have_postwire_c:
            log(
                "bench: postwire-c was NOT built (no postwire-c-bench-amqp binary, the C ABI "
                "client); running without it"
            )
        binaries = {"postwire": a.postwire, "postwire-c": a.postwire_c, "rabbitmq-c": a.rabbitmq_c}
        results = []
        for size in a.sizes:
            for client in CLIENTS:
                if client == "postwire" and not have_postwire:
                    continue
                if client == "postwire-c" and not have_postwire_c:
                    continue
                log(f"bench: {client}, {a.count} messages of {size} B")
                if client == "perftest":
                    result = self.perftest(size)
                else:
                    result = self.native(client, binaries[client], size)
                if result is None:
                    continue
                lost = result["count"] - result["received"]
                unconfirmed = result["count"] - result["confirmed"]
                if lost or unconfirmed or result.get("nacked") or result.get("errors"):
                    self.failures.append(
                        f"{client} {size} B: {unconfirmed} unconfirmed, {lost} not received"
                    )
                results.append(result)
        return results


def cpu_per_100k(r: dict) -> tuple[float, float]:
    scale = 100_000 / r["count"]
    return r["publish_cpu_s"] * scale, r["consume_cpu_s"] * scale


def ratio(client: dict, anchor: dict) -> dict:
    """client's throughput and CPU per message over anchor's."""
    client_cpu, anchor_cpu = sum(cpu_per_100k(client)), sum(cpu_per_100k(anchor))
    return {
        "size": client["size"],
        "client": client["client"],
        "anchor": anchor["client"],
        "publish_throughput": client["publish_msgs_per_s"] / anchor["publish_msgs_per_s"],
        "consume_throughput": client["consume_msgs_per_s"] / anchor["consume_msgs_per_s"],
        "cpu_per_msg": client_cpu / anchor_cpu if anchor_cpu else None,
    }


def ratios(results: list[dict], sizes: list[int]) -> list[dict]:
    """postwire against each anchor, then postwire-c (the C ABI) against postwire (C++)."""
    by_key = {(r["client"], r["size"]): r for r in results}
    pairs = (("postwire", "perftest"), ("postwire", "rabbitmq-c"), ("postwire-c", "postwire"))
    out = []
    for size in sizes:
        for client, anchor in pairs:
            mine, other = by_key.get((client, size)), by_key.get((anchor, size))
            if mine is not None and other is not None:
                out.append(ratio(mine, other))
    return out


def print_report(results: list[dict], ratio_rows: list[dict]) -> None:
    header = (
        f"{'client':<11} {'size':>6} {'publish msg/s':>14} {'consume msg/s':>14} "
        f"{'CPU s/100k pub+con':>20} {'p50/p99 confirm µs':>20}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        pub, con = cpu_per_100k(r)
        cpu = f"{pub:.2f} + {con:.2f}"
        lat = f"{r['p50_confirm_us']}/{r['p99_confirm_us']}"
        print(
            f"{r['client']:<11} {r['size']:>6} {r['publish_msgs_per_s']:>14,.0f} "
            f"{r['consume_msgs_per_s']:>14,.0f} {cpu:>20} {lat:>20}"
        )
    print()
    for row in ratio_rows:
        size, pair = row["size"], f"{row['client']}/{row['anchor']}"
        c_abi = row["client"] == "postwire-c"
        goal = " (goal ≥ 1.2×)" if row["anchor"] == "perftest" else ""
        note = " (C ABI vs C++ API)" if c_abi else ""
        print(
            f"{size} B: {pair} throughput {row['publish_throughput']:.2f}× publish, "
            f"{row['consume_throughput']:.2f}× consume{goal}{note}"
        )
        if row["cpu_per_msg"] is not None:
            goal = " (goal ≤ 1.0×)" if row["anchor"] == "rabbitmq-c" else ""
            print(f"{size} B: {pair} CPU per msg {row['cpu_per_msg']:.2f}×{goal}{note}")
    if not ratio_rows:
        print("no ratios: postwire was not built or did not finish")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="amqp:// URL of the broker")
    p.add_argument("--count", type=int, default=200_000)
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 4096])
    p.add_argument("--window", type=int, default=1000, help="unconfirmed publishes at a time")
    p.add_argument("--prefetch", type=int, default=1000)
    p.add_argument("--ack-every", type=int, default=100, help="multiple-ack every N messages")
    p.add_argument("--rabbitmq-c", required=True, help="the rabbitmq-c-bench-amqp binary")
    p.add_argument("--postwire", default="", help="the postwire-bench-amqp binary, if built")
    p.add_argument(
        "--postwire-c", default="", help="the postwire-c-bench-amqp binary (C ABI), if built"
    )
    p.add_argument("--perftest-classpath", required=True, help="folder of PerfTest's jars")
    p.add_argument("--java", default="java")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per client run")
    p.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = p.parse_args()

    bench = Bench(args)
    started = time.time()
    results = bench.run()
    ratio_rows = ratios(results, args.sizes)
    print_report(results, ratio_rows)

    write_report(
        args.out,
        "amqp",
        args.url,
        started,
        workload={
            "count": args.count,
            "sizes": args.sizes,
            "confirm_window": args.window,
            "prefetch": args.prefetch,
            "ack_every": args.ack_every,
            "persistent": True,
            "queue": "durable classic",
        },
        results=results,
        ratios=ratio_rows,
        failures=bench.failures,
    )

    for failure in bench.failures:
        log(f"bench: FAILED: {failure}")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
