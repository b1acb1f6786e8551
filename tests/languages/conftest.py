"""Shared fixtures for the suites that run programs written in several languages against the
real broker: the examples (ci/test examples) and cross-language interop (ci/test interop).

The programs run as a user runs them: Python scripts with the interpreter of this virtualenv
(build/python-venv, where `pip install ./python` put the package), Node.js scripts with
`require("postwire")` resolved to node/ through NODE_PATH, Java sources in the JDK's
source-file mode with java/target's jar on the class path, and C and C++ programs built by the
dev build (build/). ci/lib/build-bindings makes all of them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import postwire
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("POSTWIRE_BUILD_DIR", ROOT / "build"))
# The demo's ledger (examples/order-flow/ledger.py) is tested on its own too.
sys.path.append(str(ROOT / "examples" / "order-flow"))
# The folders of the dev build that hold the C and C++ programs the suites run: those of the
# CMake targets in examples/c, examples/cpp and tests/languages.
NATIVE_FOLDERS = ("examples/c", "examples/cpp", "tests/languages")
# A guard against a program that hangs, not a measurement.
RUN_TIMEOUT_S = 180
# The user and password of a URL (scheme://user:password@host), kept out of failure messages.
_CREDENTIALS = re.compile(r"(?<=://)[^/?#@\s]+@")


def unique(prefix: str) -> str:
    """A queue or exchange name no other test run uses (the broker is shared)."""
    return f"pw-{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def amqp_url() -> str:
    url = os.environ.get("POSTWIRE_TEST_AMQP_URL")
    if not url:
        pytest.fail(
            "POSTWIRE_TEST_AMQP_URL is not set: start the brokers with ci/brokers up and "
            'eval "$(ci/brokers env)"'
        )
    return url


@dataclass(frozen=True)
class Languages:
    """Builds the command line that runs a program of each language."""

    node_path: Path

    def python(self, script: Path | str, *args: str) -> list[str]:
        return [sys.executable, str(ROOT / script), *args]

    def node(self, script: Path | str, *args: str) -> list[str]:
        return ["node", str(ROOT / script), *args]

    def java(self, source: Path | str, *args: str) -> list[str]:
        jars = sorted((ROOT / "java" / "target").glob("postwire-*.jar"))
        jars = [jar for jar in jars if not jar.name.endswith(("-sources.jar", "-javadoc.jar"))]
        if not jars:
            pytest.fail("java/target/postwire-*.jar is missing: run ci/lib/build-bindings java")
        return ["java", "-cp", str(jars[0]), str(ROOT / source), *args]

    def native(self, target: str, *args: str) -> list[str]:
        """A C or C++ program of the dev build, by its CMake target name (target names are
        unique, so it is in one of the folders at most)."""
        found = [
            path
            for path in (BUILD / folder / target for folder in NATIVE_FOLDERS)
            if path.is_file() and os.access(path, os.X_OK)
        ]
        if not found:
            pytest.fail(
                f"{target} is in none of {', '.join(NATIVE_FOLDERS)} under {BUILD}: build it "
                "with the dev preset (cmake --build --preset dev)"
            )
        return [str(found[0]), *args]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "NODE_PATH": str(self.node_path)}


@dataclass
class Broker:
    """A test's own client on the shared broker, and the queues and exchanges the test and its
    programs declare there: they are deleted when the test ends, whether it passed or not."""

    client: postwire.Client
    queues: list[str] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)

    def queue(self, prefix: str) -> str:
        """A unique queue name, deleted with the test."""
        name = unique(prefix)
        self.queues.append(name)
        return name

    def exchange(self, prefix: str) -> str:
        """A unique exchange name, deleted with the test."""
        name = unique(prefix)
        self.exchanges.append(name)
        return name


@pytest.fixture
def broker(amqp_url: str) -> Iterator[Broker]:
    with postwire.connect(amqp_url) as client:
        broker = Broker(client)
        yield broker
        # Deleting a queue or exchange that is not there (any more) is not an error.
        for queue in broker.queues:
            client.delete_queue(queue)
        for exchange in broker.exchanges:
            client.delete_exchange(exchange)


@pytest.fixture(scope="session")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Languages]:
    # require("postwire") finds node/ through a link named after the package, as it would
    # find an installed package.
    modules = tmp_path_factory.mktemp("node-modules")
    (modules / "postwire").symlink_to(ROOT / "node", target_is_directory=True)
    yield Languages(node_path=modules)
    shutil.rmtree(modules, ignore_errors=True)


def redacted(text: str) -> str:
    """`text` with the user and password of every URL in it replaced by ***."""
    return _CREDENTIALS.sub("***@", text)


def execute(
    languages: Languages,
    command: Sequence[str],
    *,
    cwd: Path,
    stdin: str | None = None,
    timeout: float = RUN_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    """Runs a program to completion and returns its exit status and output streams; fails the
    test, showing the command and what it printed (without credentials), if it hangs."""
    try:
        return subprocess.run(
            list(command),
            cwd=cwd,  # never python/, whose postwire/ is the unbuilt source
            env=languages.environment(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as expired:
        hung = expired
    # Outside the except clause: the failure must not carry TimeoutExpired, whose message
    # holds the command line with its credentials.
    pytest.fail(
        redacted(
            f"{' '.join(command)} still ran after {timeout} s\n"
            f"--- stdout\n{_text(hung.stdout)}\n--- stderr\n{_text(hung.stderr)}"
        )
    )


def _text(output: str | bytes | None) -> str:
    """What a program printed before it was stopped (bytes, whatever run's text= said)."""
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def run(
    languages: Languages,
    command: Sequence[str],
    *,
    cwd: Path,
    stdin: str | None = None,
    timeout: float = RUN_TIMEOUT_S,
) -> str:
    """Runs a program to completion and returns its standard output; fails the test, showing
    the command and both output streams (without credentials), when it exits with a non-zero
    status."""
    result = execute(languages, command, cwd=cwd, stdin=stdin, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(
            redacted(
                f"{' '.join(command)} exited with {result.returncode}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
        )
    return result.stdout
