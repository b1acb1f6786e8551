"""The README's quickstart snippets, run as written against RabbitMQ: every fenced block in
README.md whose language is cpp, c, python, js or java is a complete program. C and C++ are
compiled as the README says a user outside the build compiles them (the headers of this
checkout, the dev build's libraries), Python runs in the test virtualenv, Node.js with the
package in node/, and Java in the JDK's source-file mode with the jar on the class path.

Two things change before a snippet runs: its broker URL becomes the test broker's, and its
queue "orders" a name of the test's own (the broker is shared), which is deleted afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BUILD, ROOT, Broker, Languages, run

README = ROOT / "README.md"
# The URL and queue every snippet uses.
SNIPPET_URL = "amqp://guest:guest@127.0.0.1:5672"
SNIPPET_QUEUE = "orders"
# The fence languages that are programs, and the file name each is saved as.
PROGRAMS = {
    "cpp": "snippet.cpp",
    "c": "snippet.c",
    "python": "snippet.py",
    "js": "snippet.js",
    "java": "Snippet.java",
}
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


@dataclass(frozen=True)
class Snippet:
    language: str
    line: int  # of its opening fence in README.md
    code: str

    @property
    def name(self) -> str:
        return f"{self.language}-line-{self.line}"


def snippets() -> list[Snippet]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        if match.group(1) in PROGRAMS:
            line = text.count("\n", 0, match.start()) + 1
            found.append(Snippet(match.group(1), line, match.group(2)))
    return found


def test_the_readme_has_a_snippet_in_every_language() -> None:
    assert {snippet.language for snippet in snippets()} == set(PROGRAMS)


def prepared(snippet: Snippet, url: str, queue: str) -> str:
    """The snippet on the test broker and the test's own queue."""
    assert SNIPPET_URL in snippet.code, f"{snippet.name} does not connect to {SNIPPET_URL}"
    quoted = re.compile(rf"([\"']){SNIPPET_QUEUE}\1")
    assert quoted.search(snippet.code), f"{snippet.name} does not use the queue {SNIPPET_QUEUE}"
    code = snippet.code.replace(SNIPPET_URL, url)
    return quoted.sub(lambda m: f"{m.group(1)}{queue}{m.group(1)}", code)


def command(languages: Languages, language: str, source: Path, tmp_path: Path) -> list[str]:
    """Builds the program when it is compiled; returns the command line that runs it."""
    program = str(tmp_path / "snippet")
    if language == "c":
        library = BUILD / "bindings" / "c"
        run(
            languages,
            [
                "cc",
                "-std=c99",
                "-Wall",
                "-Wextra",
                "-Werror",
                str(source),
                "-o",
                program,
                f"-I{ROOT / 'bindings' / 'c' / 'include'}",
                f"-L{library}",
                "-lpostwire",
                f"-Wl,-rpath,{library}",
            ],
            cwd=tmp_path,
        )
        return [program]
    if language == "cpp":
        library = BUILD / "core"
        run(
            languages,
            [
                "c++",
                "-std=c++20",
                # Not -Wextra: it flags the designated initializers that leave fields at
                # their defaults, which is how the C++ API is meant to be used.
                "-Wall",
                "-Werror",
                str(source),
                "-o",
                program,
                f"-I{ROOT / 'core' / 'include'}",
                f"-L{library}",
                "-lpostwire-core",
                f"-Wl,-rpath,{library}",
            ],
            cwd=tmp_path,
        )
        return [program]
    if language == "python":
        return languages.python(source)
    if language == "js":
        return languages.node(source)
    return languages.java(source)


@pytest.mark.parametrize("snippet", snippets(), ids=lambda snippet: snippet.name)
def test_snippet_runs_as_written(
    snippet: Snippet, amqp_url: str, languages: Languages, broker: Broker, tmp_path: Path
) -> None:
    queue = broker.queue(f"readme-{snippet.language}")
    source = tmp_path / PROGRAMS[snippet.language]
    source.write_text(prepared(snippet, amqp_url, queue), encoding="utf-8")
    run(languages, command(languages, snippet.language, source, tmp_path), cwd=tmp_path)
    # It declared the queue (durable, the default), sent one message and settled it:
    # declaring it again as the snippets do finds it empty.
    info = broker.client.declare_queue(queue)
    assert info.message_count == 0, f"{snippet.name} left {info.message_count} message(s)"
