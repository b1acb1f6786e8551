"""One benchmark client per run: clients.py CLIENT URL QUEUE COUNT SIZE PREFETCH

Publishes COUNT persistent messages of SIZE bytes to the durable queue QUEUE with publisher
confirms, then consumes them with one ack each, and prints one JSON line: the seconds and the
process's own CPU seconds (user + sys, getrusage) of each phase. Run by bench/python/run.py.

Clients:
  postwire      the sync API: send() every message, then flush()
  postwire-aio  the asyncio API: `await producer.send(...)` for every message, WINDOW at a time
  pika          BlockingConnection with confirm_delivery(): each publish waits for its confirm
  aio-pika      a channel with publisher_confirms: every publish awaited, WINDOW at a time
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# Publishes awaited concurrently by the asyncio clients (the same for both).
WINDOW = 1000


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Phases:
    """Wall and CPU seconds of the publish and consume phases."""

    def __init__(self) -> None:
        self.figures: dict[str, Any] = {}

    def measure(self, name: str, run: Callable[[], int]) -> None:
        wall, started = time.perf_counter(), cpu()
        count = run()
        self.figures[name] = count
        self.figures[f"{name}_s"] = time.perf_counter() - wall
        self.figures[f"{name}_cpu_s"] = cpu() - started

    async def measure_async(self, name: str, run: Callable[[], Any]) -> None:
        wall, started = time.perf_counter(), cpu()
        count = await run()
        self.figures[name] = count
        self.figures[f"{name}_s"] = time.perf_counter() - wall
        self.figures[f"{name}_cpu_s"] = cpu() - started


def run_postwire(url: str, queue: str, count: int, body: bytes, prefetch: int) -> Phases:
    import postwire

    phases = Phases()
    with postwire.connect(url) as client:
        client.declare_queue(queue)
        producer = client.producer()

        def publish() -> int:
            handles = [producer.send(queue, body) for _ in range(count)]
            producer.flush(600)
            return sum(1 for handle in handles if handle.report().error is None)

        def consume() -> int:
            received = 0
            with client.subscribe(queue, prefetch=prefetch) as consumer:
                while received < count:
                    message = consumer.poll(30)
                    if message is None:
                        break
                    message.ack()
                    received += 1
            return received

        phases.measure("published", publish)
        phases.measure("consumed", consume)
    return phases


def run_postwire_aio(url: str, queue: str, count: int, body: bytes, prefetch: int) -> Phases:
    import postwire.aio

    async def main() -> Phases:
        phases = Phases()
        async with await postwire.aio.connect(url) as client:
            await client.declare_queue(queue)
            producer = client.producer()

            async def publish() -> int:
                confirmed = 0
                for start in range(0, count, WINDOW):
                    window = min(WINDOW, count - start)
                    reports = await asyncio.gather(
                        *(producer.send(queue, body) for _ in range(window))
                    )
                    confirmed += sum(1 for report in reports if report.error is None)
                return confirmed

            async def consume() -> int:
                received = 0
                async with await client.subscribe(queue, prefetch=prefetch) as consumer:
                    while received < count:
                        message = await consumer.get(30)
                        if message is None:
                            break
                        await message.ack()
                        received += 1
                return received

            await phases.measure_async("published", publish)
            await phases.measure_async("consumed", consume)
        return phases

    return asyncio.run(main())


def run_pika(url: str, queue: str, count: int, body: bytes, prefetch: int) -> Phases:
    import pika

    phases = Phases()
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue, durable=True)
    channel.confirm_delivery()
    persistent = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent)

    def publish() -> int:
        for _ in range(count):
            channel.basic_publish("", queue, body, persistent)  # returns once confirmed
        return count

    def consume() -> int:
        channel.basic_qos(prefetch_count=prefetch)
        received = 0
        for method, _properties, _body in channel.consume(queue, inactivity_timeout=30):
            if method is None:
                break
            channel.basic_ack(method.delivery_tag)
            received += 1
            if received == count:
                break
        channel.cancel()
        return received

    phases.measure("published", publish)
    phases.measure("consumed", consume)
    connection.close()
    return phases


def run_aio_pika(url: str, queue: str, count: int, body: bytes, prefetch: int) -> Phases:
    import aio_pika

    async def main() -> Phases:
        phases = Phases()
        connection = await aio_pika.connect(url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            await channel.declare_queue(queue, durable=True)
            exchange = channel.default_exchange

            async def publish() -> int:
                for start in range(0, count, WINDOW):
                    window = min(WINDOW, count - start)
                    await asyncio.gather(
                        *(
                            exchange.publish(
                                aio_pika.Message(
                                    body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                                ),
                                routing_key=queue,
                            )
                            for _ in range(window)
                        )
                    )
                return count

            async def consume() -> int:
                await channel.set_qos(prefetch_count=prefetch)
                amqp_queue = await channel.get_queue(queue)
                received = 0
                async with amqp_queue.iterator(timeout=30) as messages:
                    async for message in messages:
                        await message.ack()
                        received += 1
                        if received == count:
                            break
                return received

            await phases.measure_async("published", publish)
            await phases.measure_async("consumed", consume)
        return phases

    return asyncio.run(main())


CLIENTS = {
    "postwire": run_postwire,
    "postwire-aio": run_postwire_aio,
    "pika": run_pika,
    "aio-pika": run_aio_pika,
}


def main() -> int:
    if len(sys.argv) != 7 or sys.argv[1] not in CLIENTS:
        print(__doc__, file=sys.stderr)
        return 2
    client, url, queue, count, size, prefetch = sys.argv[1:]
    body = b"x" * int(size)
    phases = CLIENTS[client](url, queue, int(count), body, int(prefetch))
    print(json.dumps({"client": client, **phases.figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
