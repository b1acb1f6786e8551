"""Checks that docs/c-api.md shows the C examples exactly as they are in examples/c/.

The guide's "A complete producer" and "A complete consumer" sections each hold one C code
block, which must equal examples/c/producer.c and examples/c/consumer.c: the examples are
built and run by the tests, so the guide cannot show code that does not work.
"""

import re
import sys
from pathlib import Path


def code_block_after(text: str, heading: str) -> str:
    start = text.index(heading)
    match = re.search(r"```c\n(.*?)```", text[start:], re.DOTALL)
    if match is None:
        raise SystemExit(f"no C code block after '{heading}'")
    return match.group(1)


def main() -> int:
    root = Path(sys.argv[1])
    guide = (root / "docs" / "c-api.md").read_text()
    failed = False
    for heading, example in (
        ("## A complete producer", "producer.c"),
        ("## A complete consumer", "consumer.c"),
    ):
        shown = code_block_after(guide, heading)
        actual = (root / "examples" / "c" / example).read_text()
        if shown != actual:
            print(f"docs/c-api.md '{heading}' differs from examples/c/{example}")
            failed = True
    if not failed:
        print("docs/c-api.md shows examples/c/producer.c and consumer.c as they are")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
