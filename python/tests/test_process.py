"""The process around the client: Ctrl+C, fork(), interpreter exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import postwire
import pytest
from conftest import only_on, queue_options


def interrupt_soon() -> threading.Timer:
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_interrupts_a_blocking_poll(client: postwire.Client, queue: str) -> None:
    with client.subscribe(queue) as consumer:
        timer = interrupt_soon()
        with pytest.raises(KeyboardInterrupt):
            consumer.poll()  # no message will come: only the signal ends this
        timer.join()
        # The consumer still works afterwards.
        client.producer().send(queue, b"after").result(10)
        message = consumer.poll(10)
        assert message is not None and message.body == b"after"
        message.ack()


@only_on(
    "amqp",
    why="Kafka confirms the 50,000 sends, batched, before the interrupt comes, so the flush "
    "has nothing left to wait for",
)
def test_ctrl_c_interrupts_iteration_and_flush(client: postwire.Client, queue: str) -> None:
    consumer = client.subscribe(queue)
    timer = interrupt_soon()
    with pytest.raises(KeyboardInterrupt):
        for _ in consumer:  # blocks: the queue is empty
            pass
    timer.join()
    consumer.close()

    producer = client.producer()
    for _ in range(50_000):  # several seconds of confirms on any broker
        producer.send(queue, b"x" * 100)
    timer = interrupt_soon()
    with pytest.raises(KeyboardInterrupt):
        producer.flush()
    timer.join()
    producer.flush(120)  # nothing was lost to the interruption
    assert client.purge_queue(queue) == 50_000


def test_a_client_used_after_fork_raises_in_the_child(client: postwire.Client, queue: str) -> None:
    producer = client.producer()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what happened through the pipe, then leave at once
        os.close(read_end)
        try:
            producer.send(queue, b"from the child")
            outcome = "sent"
        except postwire.ForkedProcessError as error:
            outcome = f"forked:{error.fatal}"
        except BaseException as error:  # noqa: BLE001 - anything else is the failure
            outcome = f"other:{type(error).__name__}"
        os.write(write_end, outcome.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        outcome = pipe.read()
    os.waitpid(pid, 0)
    assert outcome == "forked:True"
    # The parent's client is untouched.
    assert producer.send(queue, b"from the parent").result(10).error is None


def run_python(code: str, url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), url],
        cwd=cwd,  # not the source tree, whose postwire/ has no built extension
        capture_output=True,
        text=True,
        timeout=120,  # a guard against a hang, not a measurement
    )


def test_exiting_with_live_clients_neither_hangs_nor_crashes(
    url: str, queue: str, tmp_path: Path
) -> None:
    result = run_python(
        f"""
        import asyncio, sys, postwire, postwire.aio
        client = postwire.connect(sys.argv[1])
        producer = client.producer()
        handles = [producer.send({queue!r}, b"unclosed") for _ in range(100)]
        consumer = client.subscribe({queue!r})
        async def main():
            global aio_client
            aio_client = await postwire.aio.connect(sys.argv[1])
            await aio_client.producer().send({queue!r}, b"async, unclosed")
        asyncio.run(main())
        print("leaving")
        """,
        url,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "leaving"
    # The sends of the exiting process were flushed on the way out, not lost.
    with postwire.connect(url) as client:
        assert client.declare_queue(queue, **queue_options(url, durable=False)).message_count == 101
