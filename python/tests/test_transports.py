"""Brokers whose transport has not landed yet are refused clearly, and nothing is left open."""

from __future__ import annotations

import asyncio

import postwire
import postwire.aio
import pytest
from conftest import broker_url


def test_connect_is_refused_with_not_supported(pending_broker: str) -> None:
    url = broker_url(pending_broker)
    with pytest.raises(postwire.NotSupportedError) as refused:
        postwire.connect(url)
    assert refused.value.code == 406
    assert refused.value.code_name == "not_supported"
    assert not refused.value.retriable
    with pytest.raises(postwire.NotSupportedError):
        asyncio.run(postwire.aio.connect(url))
