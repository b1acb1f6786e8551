#!/usr/bin/env python3
"""Writes docs/capabilities.md from the conformance results.

Usage: ci/lib/capabilities.py RESULTS_DIR OUTPUT

RESULTS_DIR holds the results-<executable>.json files the conformance executables write
(tests/conformance/main.cpp): one entry per suite, scenario and broker with its outcome, and
the brokers that have a transport. The output is a table scenario x broker. ci/test runs this
after the conformance suite.
"""

import json
import sys
from pathlib import Path

BROKERS = ("amqp", "kafka", "sqs")
CELLS = {"passed": "✔ passed", "failed": "✘ failed", "skipped": "skipped"}

HEADER = """\
# Capabilities

What each broker does with postwire, as shown by the conformance suite
(`tests/conformance/`): every scenario is written once against the public C++ API and run
against each broker.

Generated from the results of the last conformance run: `ci/test conformance` regenerates
this file (by `ci/lib/capabilities.py`). Do not edit it by hand.

"""


def load(results_dir: Path) -> tuple[list[dict], set[str]]:
    results: list[dict] = []
    transports: set[str] = set()
    for path in sorted(results_dir.glob("results-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        transports.update(data.get("transports", []))
        results.extend(data.get("results", []))
    return results, transports


def cell(outcome: str | None, broker: str, transports: set[str]) -> str:
    if outcome is not None:
        return CELLS.get(outcome, outcome)
    if broker not in transports:
        return "transport not yet available"
    return "not run"


def render(results: list[dict], transports: set[str]) -> str:
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for entry in results:
        row = rows.setdefault((entry["suite"], entry["scenario"]), {})
        row[entry["broker"]] = entry["outcome"]
    lines = [HEADER.rstrip("\n"), ""]
    lines.append("| Scenario | " + " | ".join(BROKERS) + " |")
    lines.append("|---|" + "---|" * len(BROKERS))
    for (suite, scenario), outcomes in sorted(rows.items()):
        cells = [cell(outcomes.get(broker), broker, transports) for broker in BROKERS]
        lines.append(f"| {suite}.{scenario} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    results_dir, output = Path(sys.argv[1]), Path(sys.argv[2])
    results, transports = load(results_dir)
    if not results:
        print(f"capabilities: no results in {results_dir}", file=sys.stderr)
        return 1
    output.write_text(render(results, transports), encoding="utf-8")
    print(f"capabilities: wrote {output} ({len(results)} results)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
