"""Plan text (numbered clauses) followed by an annex task table with deadlines."""

from __future__ import annotations

from pathlib import Path

from plancheck.ingest.model import Document
from plancheck.ingest.paragraphs import join_paragraphs
from plancheck.ingest.shapes.word_table import find_header, read_export
from plancheck.normalise.numbering import parse_marker
from plancheck.normalise.text import tidy_spaces

NAME = "plan_with_table"


def score(lines: list[str]) -> float:
    start = find_header(lines)
    if start is None:
        return 0.0
    numbered_body = sum(parse_marker(line.strip())[0] is not None for line in lines[:start])
    return 0.9 if numbered_body >= 3 else 0.0


def read(path: Path, lines: list[str]) -> Document:
    start = find_header(lines)
    numbered = list(enumerate(lines, start=1))
    body = [(n, tidy_spaces(text)) for n, text in numbered[:start]]
    reading = read_export(numbered[start:])
    return Document(
        path,
        NAME,
        lines,
        paragraphs=join_paragraphs(body),
        rows=reading.rows,
        has_key_column="key" in reading.roles,
        table_lines=reading.header_lines,
    )
