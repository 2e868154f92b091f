"""Print a document as plancheck numbers its source lines, for writing gold files by hand.

    python3 benchmarks/gold/show.py ../shared/seeds/001_2c0f12420f1f2137.txt

Each line: the source line number (what `line:` in a gold file means, and what a diff's
findings point at) and its text as read (simplified characters, pinyin removed). Blank lines are
left out.
"""

from __future__ import annotations

import sys

from plancheck.ingest import read_document
from plancheck.normalise.text import strip_pinyin, to_simplified


def main(path: str) -> None:
    document = read_document(path)
    for number, line in enumerate(document.lines, start=1):
        text = to_simplified(strip_pinyin(line)).strip()
        if text:
            print(f"{number:5d}  {text}")


if __name__ == "__main__":
    main(sys.argv[1])
