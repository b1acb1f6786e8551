"""The examples in examples/python run against the real broker and do what they say."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import postwire
from conftest import is_kafka, only_on, unique

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def run(script: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *arguments],
        cwd=cwd,  # not python/, whose postwire/ is the unbuilt source
        capture_output=True,
        text=True,
        timeout=120,  # a guard against a hang, not a measurement
    )


def test_producer_then_consumer(url: str, tmp_path: Path) -> None:
    queue = unique("example")
    produced = run("producer.py", url, queue, "20", cwd=tmp_path)
    assert produced.returncode == 0, produced.stderr
    assert produced.stdout.strip() == "confirmed 20 of 20"
    consumed = run("consumer.py", url, queue, "20", cwd=tmp_path)
    assert consumed.returncode == 0, consumed.stderr
    lines = consumed.stdout.splitlines()
    assert len(lines) == 20 and lines[0].startswith("order-0 (key b'customer-0', delivery 1)")
    with postwire.connect(url) as client:
        # Every message was acked: RabbitMQ has removed them, a Kafka topic keeps its records.
        assert client.delete_queue(queue) == (20 if is_kafka(url) else 0)


@only_on("amqp", why="the example declares a non-durable queue, and Kafka topics are durable")
def test_async_roundtrip(url: str, tmp_path: Path) -> None:
    result = run("async_roundtrip.py", url, unique("example-aio"), "200", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "received 200 of 200"
