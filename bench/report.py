"""What the benchmark runners of ci/bench share: their log line, reading a client's JSON
result line, and the JSON file each suite writes (build/bench/SUITE.json), whose envelope —
suite, when, how long, which broker, which machine — is the same for every suite."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def last_json_line(text: str) -> dict[str, Any] | None:
    """The last line of a client's output that holds a JSON object (its result), if any."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                return None
            return value if isinstance(value, dict) else None
    return None


def write_report(out: Path, suite: str, url: str, started: float, **fields: Any) -> None:
    """Writes the suite's figures (`fields`: workload, results, ratios, failures, ...) inside
    the common envelope. The broker is named by host and port only: no credentials."""
    broker = urlsplit(url)
    report = {
        "suite": suite,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "broker": f"{broker.hostname}:{broker.port}",
        "machine": {"cpus": os.cpu_count(), "system": platform.platform()},
        **fields,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    log(f"bench: wrote {out}")
