"""A task-division table exported from Word as tab-indented text, as a ``Grid``.

What the export looks like: each cell is a line starting with a tab; rows are separated by
empty lines; the first row is the header. A vertically merged cell appears only in its first
row: the rows below carry an empty cell ("\\t") or, when the merged cell is a leading column,
no cell at all. So a row's cells are placed around its task cell: the cells left of it fill
the columns left of the task column right-aligned (a missing leading cell is the merged one),
the rest fill rightwards. The task cell is the one with an item number (``1.``), else the
header's task column when the row has every cell, else (with a 序号 column and a number in
the first cell) the column that far from it, else the longest cell. A row of one cell without
an item number is a banner spanning the table. Blank positions stay blank, so the table
interpreter inherits them from the row above and marks them, as for every other format.

This module is also the reader of a whole document that is such a table; ``plan_with_table``
uses ``export_grid`` for the annex table after a plan's text.
"""

from __future__ import annotations

from pathlib import Path

from plancheck.ingest.grid import Grid, GridCell, GridReading, interpret
from plancheck.ingest.model import Document, Paragraph
from plancheck.ingest.table import header_roles
from plancheck.normalise.numbering import ITEM, parse_marker
from plancheck.normalise.text import tidy_spaces

NAME = "word_table"

Block = list[tuple[int, str]]  # one row of the export: (source line, cell text) per cell


def is_table_line(line: str) -> bool:
    return line.startswith("\t")


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


def split_blocks(numbered: list[tuple[int, str]]) -> list[Block]:
    """Rows of the table: runs of tab-indented lines separated by lines without a tab."""
    blocks: list[Block] = []
    current: Block = []
    for lineno, line in numbered:
        if is_table_line(line):
            current.append((lineno, tidy_spaces(line[1:])))
        elif not line.strip():
            if current:
                blocks.append(current)
            current = []
        else:
            break  # prose after the table (抄送 …) ends it
    if current:
        blocks.append(current)
    return blocks


def _task_cell(cells: list[str], roles: list[str | None]) -> int:
    """Index of the row's task cell (see the module docstring)."""
    for i, cell in enumerate(cells):
        marker, _ = parse_marker(cell)
        if marker is not None and marker.level == ITEM:
            return i
    if len(cells) == len(roles):
        return roles.index("text")
    if "seq" in roles and len(cells) > 1 and cells[0].strip().isdigit():
        return min(1 + roles.index("text") - roles.index("seq"), len(cells) - 1)
    return max(range(len(cells)), key=lambda i: len(cells[i]))


def _place(block: Block, roles: list[str | None]) -> dict[int, GridCell]:
    """Column -> cell of one row, aligned on the task column (a cell that would fall left of
    the first column has no column and is left out)."""
    cells = [text for _, text in block]
    t = _task_cell(cells, roles)
    text_col = roles.index("text")
    placed = {}
    for i, (line, text) in enumerate(block):
        column = text_col + i - t
        if column >= 0:
            placed[column] = GridCell(text, line=line)
    return placed


def _row(block: Block, roles: list[str | None]) -> dict[int, GridCell] | None:
    """The placed cells of a row, or None for a banner (one cell, no item number)."""
    if len(block) == 1 and block[0][1] and parse_marker(block[0][1])[0] is None:
        return None
    return _place(block, roles)


def export_grid(numbered: list[tuple[int, str]]) -> Grid | None:
    """The grid of the tab-indented table starting at ``numbered[0]`` (its header row), or
    None if that row names no task column. A banner fills its whole row as one merged cell."""
    blocks = split_blocks(numbered)
    roles = header_roles([text for _, text in blocks[0]]) if blocks else None
    if not roles:
        return None
    placed = [_row(block, roles) for block in blocks[1:]]
    width = max([len(blocks[0]), len(roles), *(max(row, default=-1) + 1 for row in placed if row)])
    header = [GridCell(text, line=line) for line, text in blocks[0]]
    rows = [header + [GridCell("") for _ in range(width - len(header))]]
    for block, row in zip(blocks[1:], placed, strict=True):
        if row is None:  # a banner: the same value in every column, merged
            line, text = block[0]
            rows.append([GridCell(text, covered=i > 0, line=line) for i in range(width)])
        else:
            rows.append([row.get(i, GridCell("")) for i in range(width)])
    return Grid(rows, [block[0][0] for block in blocks])


def read_export(numbered: list[tuple[int, str]]) -> GridReading:
    """The task rows of the tab-indented table starting at ``numbered[0]``."""
    grid = export_grid(numbered)
    reading = interpret(grid) if grid is not None else None
    return reading or GridReading()


def score(lines: list[str]) -> float:
    nonblank = [line for line in lines if line.strip()]
    if not nonblank or find_header(lines) is None:
        return 0.0
    return sum(is_table_line(line) for line in nonblank) / len(nonblank)


def read(path: Path, lines: list[str]) -> Document:
    start = find_header(lines) or 0
    numbered = list(enumerate(lines, start=1))
    reading = read_export(numbered[start:])
    preamble = [Paragraph(text.strip(), n, n) for n, text in numbered[:start] if text.strip()]
    return Document(
        path,
        NAME,
        lines,
        paragraphs=preamble,
        rows=reading.rows,
        has_key_column="key" in reading.roles,
        table_lines=reading.header_lines,
    )
