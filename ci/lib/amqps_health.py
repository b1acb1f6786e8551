"""Proves RabbitMQ's TLS listener and SASL EXTERNAL work, with the standard library only.

Connects over TLS, verifying the server against the test CA (hostname 127.0.0.1) and presenting
the client certificate, logs in with SASL EXTERNAL (the certificate's CN names the user), opens
vhost "/" and closes the connection. Run by ci/brokers with POSTWIRE_AMQPS_PORT and
POSTWIRE_AMQP_TLS_{CA,CERT,KEY} set.
"""

import os
import socket
import ssl
import struct
import sys

FRAME_METHOD = 1
FRAME_END = b"\xce"
CONNECTION = 10
START, START_OK, TUNE, TUNE_OK, OPEN, OPEN_OK, CLOSE, CLOSE_OK = 10, 11, 30, 31, 40, 41, 50, 51


class HealthError(Exception):
    pass


def shortstr(text: str) -> bytes:
    data = text.encode()
    return struct.pack("!B", len(data)) + data


def longstr(data: bytes) -> bytes:
    return struct.pack("!I", len(data)) + data


def send_method(sock: ssl.SSLSocket, method: int, arguments: bytes) -> None:
    payload = struct.pack("!HH", CONNECTION, method) + arguments
    sock.sendall(struct.pack("!BHI", FRAME_METHOD, 0, len(payload)) + payload + FRAME_END)


def recv_exact(sock: ssl.SSLSocket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise HealthError("the server closed the connection")
        data += chunk
    return data


def recv_method(sock: ssl.SSLSocket, expected: int) -> bytes:
    """Reads one connection-class method frame and returns its arguments."""
    kind, _channel, size = struct.unpack("!BHI", recv_exact(sock, 7))
    payload = recv_exact(sock, size)
    if recv_exact(sock, 1) != FRAME_END or kind != FRAME_METHOD:
        raise HealthError(f"unexpected frame of type {kind}")
    class_id, method = struct.unpack("!HH", payload[:4])
    arguments = payload[4:]
    if (class_id, method) == (CONNECTION, CLOSE):
        code = struct.unpack("!H", arguments[:2])[0]
        text = arguments[3 : 3 + arguments[2]].decode(errors="replace")
        raise HealthError(f"the server closed the connection: {code} {text}")
    if (class_id, method) != (CONNECTION, expected):
        raise HealthError(f"expected method 10.{expected}, got {class_id}.{method}")
    return arguments


def check(port: int, ca: str, cert: str, key: str) -> None:
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as sock,
    ):
        sock.sendall(b"AMQP\x00\x00\x09\x01")
        start = recv_method(sock, START)
        if b"EXTERNAL" not in start:
            raise HealthError("the server does not offer SASL EXTERNAL")
        send_method(
            sock,
            START_OK,
            struct.pack("!I", 0) + shortstr("EXTERNAL") + longstr(b"") + shortstr("en_US"),
        )
        channel_max, frame_max, _heartbeat = struct.unpack("!HIH", recv_method(sock, TUNE)[:8])
        send_method(sock, TUNE_OK, struct.pack("!HIH", channel_max, frame_max, 0))
        send_method(sock, OPEN, shortstr("/") + shortstr("") + b"\x00")
        recv_method(sock, OPEN_OK)
        send_method(sock, CLOSE, struct.pack("!H", 200) + shortstr("") + struct.pack("!HH", 0, 0))
        recv_method(sock, CLOSE_OK)


def main() -> int:
    try:
        check(
            int(os.environ["POSTWIRE_AMQPS_PORT"]),
            os.environ["POSTWIRE_AMQP_TLS_CA"],
            os.environ["POSTWIRE_AMQP_TLS_CERT"],
            os.environ["POSTWIRE_AMQP_TLS_KEY"],
        )
    except (OSError, HealthError) as error:
        print(f"amqps health: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
