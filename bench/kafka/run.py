"""The kafka benchmark driver, run by ci/bench kafka.

Runs the same workload on every client against one Kafka broker, one after another: for each
message size, codec and partition count, each client produces COUNT messages (no key) to a
topic of its own, created fresh for the run, with acks=all and the idempotent producer, the
same linger and batch size, and at most WINDOW unacked messages at a time; then it consumes
them back, every partition assigned from the beginning. Clients:
  postwire          bench/kafka/postwire_bench.cpp, on postwire's C++ API
  librdkafka        bench/kafka/librdkafka_bench.c on Debian's librdkafka
  librdkafka-wheel  the same program on the newer librdkafka inside the confluent-kafka wheel
  franz-go          bench/kafka/franz (Go, kgo)
  java              bench/kafka/JavaKafkaBench.java on kafka-clients (a semaphore bounds the
                    unacked messages)
  java-perf         Kafka's ProducerPerformance (produce only). It cannot bound the unacked
                    messages, so its latency is not comparable with the others' (marked n/c),
                    and its bodies are random letters rather than the others' repeated byte.
A client that was not built, or that fails, is reported and the others go on.

Each phase runs as its own process: its CPU time (user + sys) and peak RSS are the child's,
from os.wait4, start-up included; the programs also report the CPU of the phase itself. After
the producers, every topic's end offsets must have grown by exactly COUNT. Prints a table and
ratio lines (postwire against each anchor), and writes every figure as JSON. Exits 1 if any
client failed or lost messages, never because of a time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# bench/report.py, shared by the suites' runners.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from report import last_json_line, log, write_report  # noqa: E402

CLIENTS = ("postwire", "librdkafka", "librdkafka-wheel", "franz-go", "java", "java-perf")
ANCHORS = ("librdkafka", "librdkafka-wheel", "franz-go", "java", "java-perf")
# postwire compresses record batches with the codecs its compression.codec names.
POSTWIRE_CODECS = ("none", "zstd")
PERF_MAIN = "org.apache.kafka.tools.ProducerPerformance"
PERF_SUMMARY = re.compile(
    r"(\d+) records sent, ([\d.]+) records/sec \([\d.]+ MB/sec\), [\d.]+ ms avg latency, "
    r"[\d.]+ ms max latency, (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th"
)


@dataclass
class Child:
    """What a finished client process left: status, output, and its rusage."""

    status: int
    out: str
    err: str
    cpu_s: float
    max_rss_kb: int


def run_child(cmd: list[str], timeout: float) -> Child:
    """Runs cmd to the end (killed after timeout s); its CPU and peak RSS come from wait4."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as e:
            return Child(-1, "", f"could not start {cmd[0]}: {e}", 0.0, 0)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, wait_status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
        out.seek(0)
        err.seek(0)
        text_err = err.read()
        if proc.returncode < 0:
            text_err += f"\n(killed by signal {-proc.returncode}; timeout {timeout:.0f} s)"
        return Child(
            proc.returncode,
            out.read(),
            text_err,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss,
        )


def tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


@dataclass(frozen=True)
class Workload:
    size: int
    codec: str
    partitions: int

    def label(self) -> str:
        return f"{self.size} B {self.codec} {self.partitions}p"


@dataclass
class Result:
    client: str
    workload: Workload
    version: str = ""
    produce: dict[str, Any] = field(default_factory=dict)
    consume: dict[str, Any] = field(default_factory=dict)
    stored: int | None = None  # the topic's end offsets, summed, after producing

    def as_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "version": self.version,
            "size": self.workload.size,
            "codec": self.workload.codec,
            "partitions": self.workload.partitions,
            "produce": self.produce,
            "consume": self.consume,
            "stored": self.stored,
        }


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.failures: list[str] = []
        self.run_id = f"{os.getpid()}-{int(time.time())}"
        self.java = [args.java, "-cp", args.java_classpath]
        if args.log4j_config:
            self.java.append(f"-Dlog4j2.configurationFile={args.log4j_config}")

    # --- topics, through JavaKafkaBench's admin commands --------------------------------------

    def admin(self, *command: str) -> Child:
        child = run_child([*self.java, "JavaKafkaBench", command[0], self.args.bootstrap,
                           *command[1:]], 300)  # fmt: skip
        if child.status != 0:
            log(f"bench: JavaKafkaBench {command[0]} failed:\n{tail(child.err + child.out)}")
        return child

    def topic(self, client: str, w: Workload) -> str:
        return f"bench-{client}-{w.size}-{w.codec}-p{w.partitions}-{self.run_id}"

    # --- the clients' command lines -------------------------------------------------------------

    def produce_cmd(self, client: str, topic: str, w: Workload) -> list[str] | None:
        a = self.args
        n, size, window = str(a.count), str(w.size), str(a.window)
        linger, batch = str(a.linger_ms), str(a.batch_size)
        native = ["--topic", topic, "--count", n, "--size", size, "--window", window,
                  "--codec", w.codec]  # fmt: skip
        tuning = ["--linger-ms", linger, "--batch-size", batch]
        if client == "postwire":
            return [a.postwire, "--mode", "produce", "--url", f"kafka://{a.bootstrap}", *native,
                    "--set", f"linger.ms={linger}", "--set", f"batch.size={batch}"]  # fmt: skip
        if client in ("librdkafka", "librdkafka-wheel", "franz-go"):
            binary = {"librdkafka": a.librdkafka, "librdkafka-wheel": a.librdkafka_wheel,
                      "franz-go": a.franz}[client]  # fmt: skip
            return [binary, "--mode", "produce", "--bootstrap", a.bootstrap, *native, *tuning]
        if client == "java":
            return [*self.java, "JavaKafkaBench", "produce", a.bootstrap, topic, n, size, window,
                    w.codec, linger, batch]  # fmt: skip
        if client == "java-perf":
            return [*self.java, PERF_MAIN, "--topic", topic, "--num-records", n,
                    "--record-size", size, "--throughput", "-1", "--producer-props",
                    f"bootstrap.servers={a.bootstrap}", "acks=all", "enable.idempotence=true",
                    f"compression.type={w.codec}", f"linger.ms={linger}",
                    f"batch.size={batch}"]  # fmt: skip
        return None

    def consume_cmd(self, client: str, topic: str) -> list[str] | None:
        a = self.args
        n = str(a.count)
        if client == "postwire":
            # A partition read of every partition from the earliest offset, as the anchors'
            # consumers assign them.
            return [a.postwire, "--mode", "consume", "--url", f"kafka://{a.bootstrap}",
                    "--topic", topic, "--count", n,
                    "--subscribe-set", "start=earliest"]  # fmt: skip
        if client in ("librdkafka", "librdkafka-wheel", "franz-go"):
            binary = {"librdkafka": a.librdkafka, "librdkafka-wheel": a.librdkafka_wheel,
                      "franz-go": a.franz}[client]  # fmt: skip
            return [binary, "--mode", "consume", "--bootstrap", a.bootstrap, "--topic", topic,
                    "--count", n]  # fmt: skip
        if client == "java":
            return [*self.java, "JavaKafkaBench", "consume", a.bootstrap, topic, n]
        return None  # java-perf only produces

    # --- running -------------------------------------------------------------------------------

    def phase(self, client: str, w: Workload, name: str, cmd: list[str]) -> dict[str, Any] | None:
        child = run_child(cmd, self.args.timeout)
        what = f"{client} {w.label()} {name}"
        if client == "java-perf":
            match = PERF_SUMMARY.search(child.out)
            result = None
            if match:
                result = {"msgs_per_s": float(match.group(2)), "acked": int(match.group(1)),
                          "failed": 0, "p50_us": int(match.group(3)) * 1000,
                          "p99_us": int(match.group(4)) * 1000,
                          "latency_comparable": False}  # fmt: skip
        else:
            result = last_json_line(child.out)
        if child.status != 0 or result is None:
            output = tail(child.err + child.out)
            self.failures.append(f"{what}: exit status {child.status}")
            log(f"bench: {what} failed with status {child.status}:\n{output}")
            return None
        result["process_cpu_s"] = round(child.cpu_s, 4)
        result["max_rss_kb"] = child.max_rss_kb
        return result

    def run_workload(self, w: Workload, clients: list[str]) -> list[Result]:
        topics = {client: self.topic(client, w) for client in clients}
        specs = [f"{topic}:{w.partitions}" for topic in topics.values()]
        if self.admin("create-topics", *specs).status != 0:
            self.failures.append(f"{w.label()}: could not create the topics")
            return []
        results: list[Result] = []
        try:
            for client in clients:
                log(f"bench: {client}, {self.args.count} messages, {w.label()}")
                result = Result(client, w)
                cmd = self.produce_cmd(client, topics[client], w)
                produced = self.phase(client, w, "produce", cmd) if cmd else None
                if produced is None:
                    continue
                result.produce = produced
                result.version = str(produced.get("version", ""))
                consume_cmd = self.consume_cmd(client, topics[client])
                if consume_cmd is not None:
                    result.consume = self.phase(client, w, "consume", consume_cmd) or {}
                results.append(result)
            self.verify(results, topics)
        finally:
            self.admin("delete-topics", *topics.values())
        return results

    def verify(self, results: list[Result], topics: dict[str, str]) -> None:
        """Each producer's messages arrived: its fresh topic's end offsets sum to COUNT, and
        its report and its consumer agree."""
        if not results:
            return
        count = self.args.count
        child = self.admin("end-offsets", *(topics[r.client] for r in results))
        stored = last_json_line(child.out) or {}
        for r in results:
            what = f"{r.client} {r.workload.label()}"
            r.stored = stored.get(topics[r.client])
            if r.stored != count:
                self.failures.append(f"{what}: the topic holds {r.stored} messages, not {count}")
            if r.produce.get("acked") != count or r.produce.get("failed"):
                self.failures.append(f"{what}: {r.produce.get('acked')} of {count} acked")
            if r.consume and r.consume.get("received") != count:
                self.failures.append(f"{what}: {r.consume.get('received')} of {count} consumed")

    def run(self) -> list[Result]:
        a = self.args
        available = []
        binaries = {"postwire": a.postwire, "librdkafka": a.librdkafka,
                    "librdkafka-wheel": a.librdkafka_wheel, "franz-go": a.franz}  # fmt: skip
        for client in a.clients:
            binary = binaries.get(client)
            if binary is not None and not (binary and os.access(binary, os.X_OK)):
                log(f"bench: {client} was NOT built (no binary); running without it")
                continue
            available.append(client)
        results: list[Result] = []
        for size in a.sizes:
            for codec in a.codecs:
                for partitions in a.partitions:
                    w = Workload(size, codec, partitions)
                    clients = [c for c in available
                               if c != "postwire" or codec in POSTWIRE_CODECS]  # fmt: skip
                    results.extend(self.run_workload(w, clients))
        return results


def cpu_us_per_msg(phase: dict[str, Any], count: int) -> float | None:
    cpu = phase.get("process_cpu_s")
    return None if cpu is None else cpu * 1e6 / count


def ratio_rows(results: list[Result], count: int) -> list[dict[str, Any]]:
    """postwire's figures over each anchor's, per workload."""
    by_key = {(r.client, r.workload): r for r in results}
    rows = []
    for r in results:
        if r.client != "postwire":
            continue
        for anchor in ANCHORS:
            other = by_key.get((anchor, r.workload))
            if other is None:
                continue
            row: dict[str, Any] = {"workload": r.workload.label(), "anchor": anchor}
            for phase in ("produce", "consume"):
                mine, theirs = getattr(r, phase), getattr(other, phase)
                if not mine or not theirs:
                    continue
                row[f"{phase}_msgs_per_s"] = mine["msgs_per_s"] / theirs["msgs_per_s"]
                mine_cpu, their_cpu = cpu_us_per_msg(mine, count), cpu_us_per_msg(theirs, count)
                if mine_cpu is not None and their_cpu:
                    row[f"{phase}_cpu_per_msg"] = mine_cpu / their_cpu
            rows.append(row)
    return rows


def print_report(results: list[Result], rows: list[dict[str, Any]], count: int) -> None:
    header = (
        f"{'client':<17} {'version':<8} {'workload':<15} {'produce msg/s':>13} "
        f"{'consume msg/s':>13} {'CPU µs/msg p+c':>15} {'p50/p99 ack ms':>15} {'RSS MB p/c':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        p, c = r.produce, r.consume
        pcpu, ccpu = cpu_us_per_msg(p, count), cpu_us_per_msg(c, count) if c else None
        cpu = f"{pcpu:.2f} + {ccpu:.2f}" if ccpu is not None else f"{pcpu:.2f} + -"
        lat = f"{p['p50_us'] / 1000:.1f}/{p['p99_us'] / 1000:.1f}"
        if p.get("latency_comparable") is False:
            lat += " n/c"
        rss = f"{p['max_rss_kb'] // 1024}/{c['max_rss_kb'] // 1024 if c else '-'}"
        consume = f"{c['msgs_per_s']:>13,.0f}" if c else f"{'-':>13}"
        print(
            f"{r.client:<17} {r.version[:8]:<8} {r.workload.label():<15} "
            f"{p['msgs_per_s']:>13,.0f} {consume} {cpu:>15} {lat:>15} {rss:>11}"
        )
    print()
    for row in rows:
        pair = f"{row['workload']}: postwire/{row['anchor']}"
        for phase in ("produce", "consume"):
            if f"{phase}_msgs_per_s" not in row:
                continue
            cpu_ratio = row.get(f"{phase}_cpu_per_msg")
            cpu_text = f", CPU/msg {cpu_ratio:.2f}×" if cpu_ratio is not None else ""
            print(f"{pair} {phase} msg/s {row[f'{phase}_msgs_per_s']:.2f}×{cpu_text}")
    if not rows:
        print("no ratios: postwire did not run (not built, or it failed)")


def int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",")]


def str_list(text: str) -> list[str]:
    return [x for x in text.split(",") if x]


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--bootstrap", required=True, help="HOST:PORT of the broker")
    p.add_argument("--count", type=int, default=1_000_000)
    p.add_argument("--sizes", type=int_list, default=[100, 1024])
    p.add_argument("--codecs", type=str_list, default=["none", "zstd"])
    p.add_argument("--partitions", type=int_list, default=[1, 6])
    p.add_argument("--window", type=int, default=10_000, help="unacked messages at most")
    p.add_argument("--linger-ms", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=1_048_576, help="bytes per batch at most")
    p.add_argument("--clients", type=str_list, default=list(CLIENTS))
    p.add_argument("--postwire", default="", help="the postwire-bench-kafka binary, if built")
    p.add_argument("--librdkafka", default="", help="librdkafka-bench-kafka (Debian's)")
    p.add_argument("--librdkafka-wheel", default="", help="librdkafka-wheel-bench-kafka")
    p.add_argument("--franz", default="", help="the franz-go bench binary")
    p.add_argument(
        "--java-classpath", required=True, help="JavaKafkaBench's classes and the Kafka jars"
    )
    p.add_argument("--log4j-config", default="", help="a log4j2 configuration for the JVMs")
    p.add_argument("--java", default="java")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per client process")
    p.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = p.parse_args()
    unknown = set(args.clients) - set(CLIENTS)
    if unknown:
        p.error(f"unknown clients {sorted(unknown)}; expected some of {', '.join(CLIENTS)}")

    bench = Bench(args)
    started = time.time()
    results = bench.run()
    rows = ratio_rows(results, args.count)
    print_report(results, rows, args.count)

    write_report(
        args.out,
        "kafka",
        f"kafka://{args.bootstrap}",
        started,
        workload={
            "count": args.count,
            "sizes": args.sizes,
            "codecs": args.codecs,
            "partitions": args.partitions,
            "window": args.window,
            "linger_ms": args.linger_ms,
            "batch_size": args.batch_size,
            "acks": "all",
            "idempotent": True,
            "key": None,
        },
        results=[r.as_json() for r in results],
        ratios=rows,
        failures=bench.failures,
    )
    for failure in bench.failures:
        log(f"bench: FAILED: {failure}")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
