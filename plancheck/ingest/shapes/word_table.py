"""A whole document that is a task-division table exported from Word (tab-indented cells)."""

from __future__ import annotations

from pathlib import Path

from plancheck.ingest.model import Document, Paragraph
from plancheck.ingest.table import header_roles, is_table_line, parse_table

NAME = "word_table"


def find_header(lines: list[str]) -> int | None:
    """Index of the first line of a table header row (consecutive tab cells naming columns)."""
    for i, line in enumerate(lines):
        if not is_table_line(line):
            continue
        cells = []
        for cell_line in lines[i:]:
            if not is_table_line(cell_line):
                break
            cells.append(cell_line.strip())
        if header_roles(cells):
            return i
    return None


def score(lines: list[str]) -> float:
    nonblank = [line for line in lines if line.strip()]
    if not nonblank or find_header(lines) is None:
        return 0.0
    return sum(is_table_line(line) for line in nonblank) / len(nonblank)


def read(path: Path, lines: list[str]) -> Document:
    start = find_header(lines) or 0
    numbered = list(enumerate(lines, start=1))
    rows, roles = parse_table(numbered[start:])
    preamble = [Paragraph(text.strip(), n, n) for n, text in numbered[:start] if text.strip()]
    return Document(
        path, NAME, lines, paragraphs=preamble, rows=rows, has_key_column="key" in roles
    )
