"""The Python side of the cross-language interop suite (tests/languages/test_interop.py).

    python peer.py send URL QUEUE            sends the messages read from stdin
    python peer.py receive URL QUEUE COUNT   prints COUNT received messages, acking each

The message format on standard input and output is described in
tests/languages/interop/README.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import postwire


@dataclass
class Spec:
    id: str | None = None
    key: bytes | None = None
    content_type: str | None = None
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    body: bytes = b""


def read_specs(lines: Iterable[str]) -> Iterator[Spec]:
    spec = Spec()
    for line in lines:
        name, _, value = line.rstrip("\n").partition(" ")
        if name == "id":
            spec.id = value
        elif name == "key":
            spec.key = bytes.fromhex(value)
        elif name == "content-type":
            spec.content_type = value
        elif name == "header":
            header, _, hex_value = value.partition(" ")
            spec.headers.append((header, bytes.fromhex(hex_value)))
        elif name == "body":
            spec.body = bytes.fromhex(value)
        elif name == "end":
            yield spec
            spec = Spec()
        elif name:
            raise ValueError(f"unknown field {name!r}")


def send(url: str, queue: str) -> int:
    specs = list(read_specs(sys.stdin))
    with postwire.connect(url) as client:
        producer = client.producer()
        handles = [
            producer.send(
                queue,
                spec.body,
                key=spec.key,
                headers=spec.headers,
                id=spec.id,
                content_type=spec.content_type,
            )
            for spec in specs
        ]
        failed = 0
        for handle in handles:
            report = handle.report(timeout=30)
            if report.error is not None:
                print(f"message {report.id} failed: {report.error}", file=sys.stderr)
                failed += 1
    return 0 if failed == 0 else 1


def print_message(message: postwire.Message) -> None:
    print(f"id {message.id}")
    if message.key is not None:
        print(f"key {message.key.hex()}")
    if message.content_type:
        print(f"content-type {message.content_type}")
    for name, value in message.headers:
        print(f"header {name} {value.hex()}")
    print(f"body {message.body.hex()}")
    print(f"delivery-count {message.delivery_count}")
    print("end")


def receive(url: str, queue: str, count: int) -> int:
    with postwire.connect(url) as client, client.subscribe(queue) as consumer:
        for received in range(count):
            message = consumer.poll(timeout=30)
            if message is None:
                print(f"received {received} of {count} messages within 30 s", file=sys.stderr)
                return 1
            print_message(message)
            message.ack()
    return 0


def main(args: list[str]) -> int:
    try:
        if len(args) == 3 and args[0] == "send":
            return send(args[1], args[2])
        if len(args) == 4 and args[0] == "receive" and args[3].isdigit():
            return receive(args[1], args[2], int(args[3]))
    except (postwire.PostwireError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
