"""One network outage through the fault proxy that ci/brokers puts in front of the broker
(toxiproxy, POSTWIRE_TEST_PROXY_API), as a user of the package meets it: the consumer's
iterator keeps yielding across the outage, no exception escapes, every send is confirmed and
every message arrives once."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request

import postwire
import pytest
from conftest import queue_options, unique

TOTAL = 600
FAULT_CONFIG = {
    "reconnect.backoff.ms": "50",
    "reconnect.backoff.max.ms": "1000",
    "heartbeat.interval.ms": "1000",
    "dedup.window.size": "10000",
    "delivery.timeout.ms": "120000",
}


def environment(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        pytest.fail(
            f"{variable} is not set: start the brokers with ci/brokers up and eval ci/brokers env"
        )
    return value


def set_proxy_enabled(broker: str, enabled: bool) -> None:
    request = urllib.request.Request(
        f"{environment('POSTWIRE_TEST_PROXY_API')}/proxies/{broker}",
        data=json.dumps({"enabled": enabled}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_consumer_iterator_keeps_yielding_across_an_outage(broker: str, url: str) -> None:
    proxied = environment(f"POSTWIRE_TEST_{broker.upper()}_PROXY_URL")
    name = unique("faults")
    with postwire.connect(url) as admin:
        admin.declare_queue(name, **queue_options(url, durable=False))
    received: list[int] = []
    escaped: list[BaseException] = []
    states: list[postwire.ConnectionState] = []

    def on_event(event: object) -> None:
        if isinstance(event, postwire.ConnectionEvent):
            states.append(event.state)

    try:
        with (
            postwire.connect(proxied, FAULT_CONFIG, on_event=on_event) as consumer_client,
            postwire.connect(proxied, FAULT_CONFIG) as producer_client,
        ):
            consumer = consumer_client.subscribe(name, prefetch=50)

            def consume() -> None:
                try:
                    for message in consumer:
                        received.append(int(message.header("seq") or b"-1"))
                        message.ack()
                        if len(set(received)) == TOTAL:
                            break
                except BaseException as error:  # noqa: BLE001 - the test reports what escaped
                    escaped.append(error)

            reader = threading.Thread(target=consume)
            reader.start()
            producer = producer_client.producer()
            handles = []
            outage_started = 0.0
            for i in range(TOTAL):
                if i == TOTAL // 3:
                    set_proxy_enabled(broker, False)
                    outage_started = time.monotonic()
                if outage_started and time.monotonic() - outage_started >= 1.0:
                    set_proxy_enabled(broker, True)
                    outage_started = 0.0
                handles.append(producer.send(name, b"x" * 64, headers={"seq": str(i)}))
                time.sleep(0.005)
            if outage_started:
                set_proxy_enabled(broker, True)
            failed = [h.result(120) for h in handles if h.result(120).error is not None]
            assert not failed, f"{len(failed)} sends failed, e.g. {failed[0].error}"
            reader.join(120)
            consumer.close()
            reader.join(10)
    finally:
        set_proxy_enabled(broker, True)
        with postwire.connect(url) as admin:
            admin.delete_queue(name)
    if broker == "amqp":
        # Kafka's transport reconnects each broker connection by itself and reports no
        # connection state but the first "connected".
        assert postwire.ConnectionState.RECOVERING in states, f"the outage was not seen: {states}"
    assert not escaped, f"the consumer's iterator raised {escaped[0]!r}"
    assert set(received) == set(range(TOTAL)), (
        f"missing: {sorted(set(range(TOTAL)) - set(received))[:10]}"
    )
    assert len(received) == TOTAL, (
        "a message reached the application twice despite the dedup window"
    )
