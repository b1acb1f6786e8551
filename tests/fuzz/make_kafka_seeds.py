#!/usr/bin/env python3
"""Writes the seed corpus for kafka-response-fuzz into corpus/kafka-response/.

Each seed is: one byte choosing the API (its index in kafka_response_fuzz.cpp's table), one
byte choosing the version (added to the lowest version the codec implements), then a
response body built by hand from Kafka's message schemas, like the unit tests' golden
bytes. One seed carries a whole frame instead of a bare body.
"""

import struct
from pathlib import Path

API_VERSIONS, METADATA, PRODUCE, FETCH, LIST_OFFSETS = 0, 1, 2, 3, 4
FIND_COORDINATOR = 11
# The lowest version the codec implements, per API index used here (api.cpp).
FLOOR = {API_VERSIONS: 0, METADATA: 4, PRODUCE: 7, FETCH: 4, LIST_OFFSETS: 1, FIND_COORDINATOR: 1}


def i16(v: int) -> bytes:
    return struct.pack(">h", v)


def i32(v: int) -> bytes:
    return struct.pack(">i", v)


def i64(v: int) -> bytes:
    return struct.pack(">q", v)


def cstr(s: bytes) -> bytes:
    # Compact string; the seeds' strings are short enough for a one-byte uvarint.
    return bytes([len(s) + 1]) + s


def cat(*parts: bytes) -> bytes:
    return b"".join(parts)


def seed(api: int, version: int, body: bytes) -> bytes:
    return bytes([api, version - FLOOR[api]]) + body


UUID = bytes([0xA0] + [0] * 14 + [7])
TAGS_NONE = b"\x00"

api_versions_v3 = cat(
    i16(0),
    b"\x03",
    i16(0) + i16(7) + i16(11) + TAGS_NONE,
    i16(18) + i16(0) + i16(4) + TAGS_NONE,
    i32(0),
    b"\x01\x01\x08" + i64(3),  # FinalizedFeaturesEpoch, tag 1
)
api_versions_fallback = i16(35) + i32(1) + i16(18) + i16(0) + i16(2)

metadata_v12 = cat(
    i32(0),
    b"\x02" + i32(1) + cstr(b"kafka-1") + i32(9092) + b"\x00" + TAGS_NONE,
    cstr(b"cluster") + i32(1),
    b"\x02" + i16(0) + cstr(b"orders") + UUID + b"\x00",
    b"\x02" + i16(0) + i32(0) + i32(1) + i32(5),
    b"\x02" + i32(1) + b"\x02" + i32(1) + b"\x01" + TAGS_NONE,
    i32(-(2**31)) + TAGS_NONE,
    TAGS_NONE,
)

produce_v11 = cat(
    b"\x02" + cstr(b"orders"),
    b"\x02" + i32(2) + i16(6) + i64(-1) + i64(-1) + i64(0),
    b"\x02" + i32(0) + cstr(b"bad") + TAGS_NONE,
    cstr(b"not leader"),
    b"\x01\x00\x09" + i32(3) + i32(9) + TAGS_NONE,  # CurrentLeader, tag 0
    TAGS_NONE,
    i32(20),
    b"\x01\x00\x13\x02" + i32(3) + cstr(b"kafka-3") + i32(9092) + b"\x00" + TAGS_NONE,
)

fetch_v17 = cat(
    i32(0) + i16(0) + i32(77),
    b"\x02" + UUID,
    b"\x02" + i32(0) + i16(0) + i64(100) + i64(90) + i64(0),
    b"\x00" + i32(-1) + b"\x04\xb0\xb1\xb2",
    b"\x01\x01\x09" + i32(2) + i32(6) + TAGS_NONE,  # CurrentLeader, tag 1
    TAGS_NONE,
    TAGS_NONE,
)

fetch_v4 = cat(
    i32(5) + i32(1) + struct.pack(">h", 6) + b"orders" + i32(1),
    i32(3) + i16(1) + i64(10) + i64(10),
    i32(1) + i64(1000) + i64(4),
    i32(3) + b"\xb0\xb1\xb2",
)

list_offsets_v10 = cat(
    i32(0) + b"\x02" + cstr(b"orders") + b"\x02" + i32(1) + i16(0) + i64(-1) + i64(1234) + i32(5),
    TAGS_NONE + TAGS_NONE + TAGS_NONE,
)

find_coordinator_v6 = cat(
    i32(0) + b"\x02" + cstr(b"g") + i32(2) + cstr(b"kafka-2") + i32(9092) + i16(0) + b"\x00",
    TAGS_NONE + TAGS_NONE,
)

# A whole Metadata v12 frame: size, correlation id, header tagged fields, body.
metadata_frame = i32(4 + 1 + len(metadata_v12)) + i32(42) + TAGS_NONE + metadata_v12

seeds = {
    "api-versions-v3": seed(API_VERSIONS, 3, api_versions_v3),
    "api-versions-fallback": seed(API_VERSIONS, 4, api_versions_fallback),
    "metadata-v12": seed(METADATA, 12, metadata_v12),
    "metadata-v12-frame": seed(METADATA, 12, metadata_frame),
    "produce-v11": seed(PRODUCE, 11, produce_v11),
    "fetch-v17": seed(FETCH, 17, fetch_v17),
    "fetch-v4": seed(FETCH, 4, fetch_v4),
    "list-offsets-v10": seed(LIST_OFFSETS, 10, list_offsets_v10),
    "find-coordinator-v6": seed(FIND_COORDINATOR, 6, find_coordinator_v6),
}

out = Path(__file__).resolve().parent / "corpus" / "kafka-response"
out.mkdir(parents=True, exist_ok=True)
for name, data in seeds.items():
    (out / name).write_bytes(data)
print(f"wrote {len(seeds)} seeds to {out}")
