"""The wheel of ci/lib/python-wheel: installed into a fresh virtualenv with no build step, it
runs from a process that can see neither the source tree nor the build tree, and everything
its extension links resolves inside the wheel or to the base system's C and C++ runtime."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import unique

REPO = Path(__file__).resolve().parents[2]
# Debian 12's glibc: a manylinux_2_X wheel installs there when X is at most this.
DEBIAN_12_GLIBC_MINOR = 36
# The libraries the manylinux policy counts as the base system (PEP 600 / auditwheel's
# policy): everything else must come from the wheel itself.
BASE_SYSTEM = {
    "ld-linux-x86-64.so.2",
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libstdc++.so.6",
    "libgcc_s.so.1",
    # zlib (Kafka's gzip codec) is in the policy too, so auditwheel leaves it to the system.
    "libz.so.1",
}


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    site_packages: Path
    workdir: Path


def clean_environment() -> dict[str, str]:
    """The environment of a user's shell: nothing that points at this checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "LD_", "VIRTUAL_ENV", "POSTWIRE_C_"))
    }
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [str(REPO / "ci" / "lib" / "python-wheel"), str(root / "dist")],
        capture_output=True,
        text=True,
        env={**os.environ, "POSTWIRE_PYTHON_VENV": sys.prefix},
    )
    assert built.returncode == 0, f"ci/lib/python-wheel failed:\n{built.stderr}"
    wheel = Path(built.stdout.strip().splitlines()[-1])
    # A venv of the interpreter this suite runs on, but not this suite's venv.
    venv = root / "venv"
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(venv)], check=True, env=clean_environment())
    python = venv / "bin" / "python"
    # --no-index: the wheel alone, nothing fetched and nothing built.
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check"]
        + [str(wheel)],
        check=True,
        cwd=root,
        env=clean_environment(),
    )
    site = subprocess.run(
        [str(python), "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
        env=clean_environment(),
    ).stdout.strip()
    workdir = root / "app"
    workdir.mkdir()
    yield Installed(wheel, python, Path(site), workdir)


def test_the_wheel_is_tagged_for_debian_12(installed: Installed) -> None:
    match = re.search(r"-manylinux_2_(\d+)_x86_64\.whl$", installed.wheel.name)
    assert match, f"{installed.wheel.name} has no manylinux tag"
    assert int(match.group(1)) <= DEBIAN_12_GLIBC_MINOR


def test_the_extension_links_only_the_wheel_and_the_base_system(installed: Installed) -> None:
    (extension,) = (installed.site_packages / "postwire").glob("_native*.so")
    ldd = subprocess.run(
        ["ldd", str(extension)], check=True, capture_output=True, text=True, env=clean_environment()
    ).stdout
    resolved: dict[str, str] = {}  # soname -> the file it resolved to
    for line in ldd.splitlines():
        assert "not found" not in line, ldd
        fields = line.split()
        if len(fields) >= 3 and fields[1] == "=>":
            resolved[fields[0]] = fields[2]
        elif fields and fields[0].startswith("/"):  # the dynamic loader, by its path
            resolved[os.path.basename(fields[0])] = fields[0]
    assert "libpostwire.so.0" in resolved, ldd
    for name, path in resolved.items():
        real = os.path.realpath(path)
        inside_wheel = real.startswith(str(installed.site_packages) + os.sep)
        assert inside_wheel or name in BASE_SYSTEM, f"{name} => {path}"
        assert not real.startswith(str(REPO) + os.sep), f"{name} => {path}"
    assert os.path.realpath(resolved["libpostwire.so.0"]) == str(
        installed.site_packages / "postwire" / "libpostwire.so.0"
    )


QUICKSTART = textwrap.dedent(
    """
    import sys
    import postwire

    url, queue = sys.argv[1], sys.argv[2]
    print(postwire.__file__)
    print("\\n".join(sys.path))
    # Kafka topics are always durable; a RabbitMQ queue of the test need not be.
    durable = url.startswith("kafka")
    with postwire.connect(url) as client:
        client.declare_queue(queue, durable=durable)
        try:
            client.producer().send(queue, b"from the wheel", key="k").result(timeout=10)
            with client.subscribe(queue) as consumer:
                message = consumer.poll(timeout=10)
                assert message is not None and message.body == b"from the wheel"
                message.ack()
        finally:
            client.delete_queue(queue)
    print("round trip ok")
    """
)


def test_a_quickstart_runs_from_the_installed_wheel(installed: Installed, url: str) -> None:
    program = installed.workdir / "quickstart.py"
    program.write_text(QUICKSTART)
    # -I: no PYTHONPATH, no user site, not even the program's own folder on sys.path.
    run = subprocess.run(
        [str(installed.python), "-I", str(program), url, unique("wheel")],
        capture_output=True,
        text=True,
        cwd=installed.workdir,
        env=clean_environment(),
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "round trip ok"
    assert lines[0] == str(installed.site_packages / "postwire" / "__init__.py")
    for entry in lines[1:-1]:
        assert not os.path.realpath(entry or ".").startswith(str(REPO) + os.sep), entry
