"""Text with tab-separated or Markdown pipe tables (``| 序号 | 重点任务 | 责任单位 |``),
alone or among prose: the tables go to the table interpreter, the prose to the outline parser.

A tab-separated row holds its cells on one line (``1\\t完善机制\\t区发改局``); a line that only
starts with a tab is a cell of the Word export (``word_table``), not a row. A Markdown
separator row (``|---|:--:|``) is skipped. A blank cell under a unit or key-task column is
inherited from the row above and marked, as everywhere.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from plancheck.ingest.grid import Grid, GridCell, GridReading, interpret
from plancheck.ingest.model import Document
from plancheck.ingest.paragraphs import join_paragraphs
from plancheck.normalise.text import tidy_spaces

NAME = "text_table"
_PIPE_RE = re.compile(r"^\s*\|.*\|\s*$")
_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str] | None:
    """The cells of a table row on one line, or None if the line is no such row."""
    if _PIPE_RE.match(line):
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    if "\t" in line and (not line.startswith("\t") or line.count("\t") >= 2):
        return [cell.strip() for cell in line.split("\t")]
    return None


def _runs(lines: list[str]) -> list[Grid]:
    """Runs of consecutive table rows (a Markdown separator row belongs to its run)."""
    grids, rows, numbers = [], [], []
    for n, line in enumerate([*lines, ""], start=1):
        cells = None if _RULE_RE.match(line) and "-" in line else _cells(line)
        if cells is not None:
            rows.append(cells)
            numbers.append(n)
            continue
        if _RULE_RE.match(line) and "-" in line and rows:
            continue
        if len(rows) >= 2:
            width = max(len(row) for row in rows)
            grid_rows = [[GridCell(c) for c in row + [""] * (width - len(row))] for row in rows]
            grids.append(Grid(grid_rows, numbers))
        rows, numbers = [], []
    return grids


def _tables(lines: list[str]) -> list[tuple[Grid, GridReading]]:
    found = []
    for grid in _runs(lines):
        reading = interpret(grid)
        if reading is not None and reading.rows:
            found.append((grid, reading))
    return found


def score(lines: list[str]) -> float:
    if not any("\t" in line[1:] or line.lstrip().startswith("|") for line in lines):
        return 0.0
    return 0.95 if _tables(lines) else 0.0


def with_tables(reader, path: Path, lines: list[str]) -> Document:
    """``reader``'s document of ``lines``, plus the task rows of the tab-separated and pipe
    tables among them (which the reader then does not see): every text shape gets tables."""
    tables = _tables(lines)
    if not tables or reader.NAME == NAME:
        return reader.read(path, lines)
    in_table = {n for grid, _ in tables for n in grid.lines}
    doc = reader.read(path, ["" if n in in_table else line for n, line in enumerate(lines, 1)])
    rows = sorted(
        [*doc.rows, *(row for _, reading in tables for row in reading.rows)],
        key=lambda row: row.line_start,
    )
    return replace(
        doc,
        lines=[lines[n - 1] if n in in_table else line for n, line in enumerate(doc.lines, 1)],
        rows=rows,
        has_key_column=doc.has_key_column or any("key" in r.roles for _, r in tables),
        table_lines=doc.table_lines | {n for _, reading in tables for n in reading.header_lines},
    )


def read(path: Path, lines: list[str]) -> Document:
    tables = _tables(lines)
    in_table = {n for grid, _ in tables for n in grid.lines}
    rule_lines = {n for n, line in enumerate(lines, 1) if _RULE_RE.match(line) and "-" in line}
    prose = [
        (n, tidy_spaces(text))
        for n, text in enumerate(lines, start=1)
        if n not in in_table and not (n in rule_lines and n - 1 in in_table)
    ]
    rows = [row for _, reading in tables for row in reading.rows]
    header_lines = {n for _, reading in tables for n in reading.header_lines}
    header_lines |= {n for n in rule_lines if n - 1 in in_table}
    return Document(
        path,
        NAME,
        lines,
        paragraphs=join_paragraphs(prose),
        rows=rows,
        has_key_column=any("key" in reading.roles for _, reading in tables),
        table_lines=header_lines,
    )
