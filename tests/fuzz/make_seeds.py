#!/usr/bin/env python3
"""Writes the seed corpus for amqp-decoder-fuzz into corpus/amqp/.

Each seed is: two bytes choosing frame_max (0 = no limit), one byte choosing the read size,
then an AMQP 0-9-1 byte stream. Frames are built by hand from the spec, like the unit tests'
golden bytes.
"""

import struct
from pathlib import Path


def frame(kind: int, channel: int, payload: bytes) -> bytes:
    return struct.pack(">BHI", kind, channel, len(payload)) + payload + b"\xce"


def shortstr(s: bytes) -> bytes:
    return bytes([len(s)]) + s


def longstr(s: bytes) -> bytes:
    return struct.pack(">I", len(s)) + s


def table(entries: bytes) -> bytes:
    return longstr(entries)


def method(class_id: int, method_id: int, args: bytes) -> bytes:
    return struct.pack(">HH", class_id, method_id) + args


def header(body_size: int, flags: int, props: bytes) -> bytes:
    return struct.pack(">HHQH", 60, 0, body_size, flags) + props


every_type = (
    shortstr(b"t")
    + b"t\x01"
    + shortstr(b"s")
    + b"s\xff\xfe"
    + shortstr(b"l")
    + b"l"
    + b"\xff" * 8
    + shortstr(b"D")
    + b"D\x02\xff\xff\xff\x85"
    + shortstr(b"x")
    + b"x"
    + longstr(b"\x00\x01")
    + shortstr(b"A")
    + b"A"
    + longstr(b"I\x00\x00\x00\x01V")
    + shortstr(b"F")
    + b"F"
    + table(shortstr(b"k") + b"d" + b"\x40" + b"\x00" * 7)
    + shortstr(b"T")
    + b"T"
    + b"\x00" * 8
)

seeds = {
    "heartbeat": frame(8, 0, b""),
    "connection-start": frame(
        1,
        0,
        method(10, 10, b"\x00\x09" + table(every_type) + longstr(b"PLAIN") + longstr(b"en_US")),
    ),
    "tune-close": frame(1, 0, method(10, 30, struct.pack(">HIH", 2047, 131072, 60)))
    + frame(1, 0, method(10, 50, struct.pack(">H", 320) + shortstr(b"bye") + b"\x00\x00\x00\x00")),
    "deliver": frame(
        1,
        1,
        method(
            60,
            60,
            shortstr(b"ct") + struct.pack(">Q", 1) + b"\x00" + shortstr(b"") + shortstr(b"q"),
        ),
    )
    + frame(2, 1, header(5, 0x9000, shortstr(b"text/plain") + b"\x02"))
    + frame(3, 1, b"hel")
    + frame(3, 1, b"lo"),
    "get-ok-empty": frame(
        1,
        2,
        method(
            60,
            71,
            struct.pack(">Q", 7) + b"\x01" + shortstr(b"e") + shortstr(b"k") + b"\x00\x00\x00\x00",
        ),
    )
    + frame(2, 2, header(0, 0x2000, table(every_type))),
    "acks": frame(1, 1, method(60, 80, struct.pack(">Q", 5) + b"\x01"))
    + frame(1, 1, method(60, 120, struct.pack(">Q", 6) + b"\x02"))
    + frame(1, 1, method(60, 30, shortstr(b"c") + b"\x01")),
    "queue-declare": frame(
        1,
        1,
        method(
            50,
            10,
            b"\x00\x00"
            + shortstr(b"q")
            + b"\x02"
            + table(shortstr(b"x-max-length") + b"I\x00\x00\x03\xe8"),
        ),
    ),
    "version-mismatch": b"AMQP\x00\x00\x09\x01",
}

out = Path(__file__).resolve().parent / "corpus" / "amqp"
out.mkdir(parents=True, exist_ok=True)
for index, (name, stream) in enumerate(seeds.items()):
    # frame_max: no limit, 4096 or 4100; reads of 8 or 256 bytes.
    prefix = bytes([0, index % 3, 255 if index % 2 else 7])
    (out / name).write_bytes(prefix + stream)
