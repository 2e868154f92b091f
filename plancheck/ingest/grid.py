"""The table interpreter: any grid of cells -> task-division rows.

Every table format ends here - spreadsheets (.xlsx/.xls), Word tables, tab-separated and
Markdown pipe tables in text - as a ``Grid``: rows of cells with merged cells already
resolved (a merged cell's value stands in every position it covers, marked ``covered``
except in its first one). What the interpreter assumes:
- the header row is among the first ``HEADER_ROWS`` rows (a title row or two may sit above
  it) and names its columns; ``table.column_role`` gives each name its role (序号, 重点任务,
  具体任务, 牵头单位/责任单位, 配合单位, 完成时限 and their synonyms). A repeated header (a
  page break in the source) is skipped;
- a row whose filled cells all hold one value (a merged row across the table) or whose only
  value is outside the task column is a banner: a section heading, or the key task of the
  rows below when the table has a key-task column but the row does not fill it;
- a blank or covered unit/key cell is inherited from the row above (within the same key task
  for units) and marked, since a blank can also be an omission;
- a row's source lines are its own line, or, where cells carry their own lines (the
  tab-indented Word export puts each cell on a line), the first to the last filled cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plancheck.ingest.model import TableRow
from plancheck.ingest.table import header_roles
from plancheck.normalise.numbering import parse_marker
from plancheck.normalise.text import tidy_spaces

HEADER_ROWS = 6


_UNIT_ROLES = ("units", "co_units")
_LIST_SEPARATORS = "、，,；;"


@dataclass
class GridCell:
    text: str
    covered: bool = False  # inside a merged cell, after its first position
    parts: tuple[str, ...] = ()  # the cell's paragraphs, where the format has them (Word)
    line: int | None = None  # the cell's own source line, where it has one (the Word export)


def cell_value(cell: GridCell, role: str) -> str:
    """A cell's text for its column; a unit cell with one unit per paragraph is a list."""
    if role not in _UNIT_ROLES or len(cell.parts) < 2:
        return tidy_spaces(cell.text)
    out = ""
    for part in cell.parts:
        needs = out and out[-1] not in _LIST_SEPARATORS and part[0] not in _LIST_SEPARATORS
        out += ("、" if needs else "") + part
    return tidy_spaces(out)


@dataclass
class Grid:
    """A table: ``rows[i]`` holds the cells of the row on line ``lines[i]`` of the document."""

    rows: list[list[GridCell]]
    lines: list[int]
    name: str = ""  # where the table is (sheet name), for messages


@dataclass
class GridReading:
    rows: list[TableRow] = field(default_factory=list)
    roles: list[str | None] = field(default_factory=list)
    header_lines: set[int] = field(default_factory=set)  # header, title and banner lines


def find_header(grid: Grid) -> tuple[int, list[str | None]] | None:
    """(row index, column roles) of the header row among the first rows, or None."""
    for i, row in enumerate(grid.rows[:HEADER_ROWS]):
        roles = header_roles([cell.text for cell in row])
        if roles is not None:
            return i, roles
    return None


def _values(row: list[GridCell], roles: list[str | None]) -> tuple[dict[str, str], set[str]]:
    cells: dict[str, str] = {}
    covered: set[str] = set()
    for cell, role in zip(row, roles, strict=False):
        if role is None or role in cells:
            continue
        cells[role] = cell_value(cell, role)
        if cell.covered and cells[role]:
            covered.add(role)
    return cells, covered


def _banner(row: list[GridCell], cells: dict[str, str]) -> str | None:
    """A section heading: one value of the row's own (a merged value from above is not),
    across the whole row or where there is no task text."""
    filled = {tidy_spaces(cell.text) for cell in row if cell.text.strip() and not cell.covered}
    if len(filled) != 1:
        return None
    value = next(iter(filled))
    if parse_marker(value)[0] is not None and cells.get("text") == value and len(row) > 1:
        return None  # a numbered task in a row whose other cells are merged into it
    whole = sum(1 for cell in row if tidy_spaces(cell.text) == value) == len(row) > 1
    if not whole and parse_marker(value)[0] is not None:
        return None  # a numbered task whose task cell is not where the header says
    return value if whole or not cells.get("text") else None


def _lines(row: list[GridCell], line: int) -> tuple[int, int]:
    """First and last source line of a row: its filled cells' own lines, else its line."""
    own = [c.line for c in row if c.line is not None and c.text and not c.covered]
    return (min(own), max(own)) if own else (line, line)


def _all_lines(row: list[GridCell], line: int) -> set[int]:
    return {line} | {c.line for c in row if c.line is not None}


def _inherit(row: TableRow, previous: dict[str, str], banners: list[str], *, has_key: bool) -> None:
    """Fill blank merged cells from the row above and record which ones were filled.

    A banner just before a row without its own key cell is that row's key task (it is
    taken off ``banners``); the other banners become the row's section. Units are only
    inherited within the same key task.
    """
    cells = row.cells
    if has_key and not cells.get("key"):
        if banners:
            cells["key"] = banners.pop()
        elif previous.get("key"):
            cells["key"] = previous["key"]
            row.inherited.add("key")
    same_group = not has_key or cells.get("key") == previous.get("key")
    for role in _UNIT_ROLES:
        if not cells.get(role) and same_group and previous.get(role):
            cells[role] = previous[role]
            row.inherited.add(role)


def interpret(grid: Grid) -> GridReading | None:
    """The task rows of ``grid``, or None if it has no header naming a task column."""
    found = find_header(grid)
    if found is None:
        return None
    start, roles = found
    reading = GridReading(roles=roles)
    for row, line in zip(grid.rows[: start + 1], grid.lines, strict=False):
        reading.header_lines |= _all_lines(row, line)
    has_key = "key" in roles
    previous: dict[str, str] = {}
    banners: list[str] = []
    section = ""
    header = [cell.text for cell in grid.rows[start]]
    for row, line in zip(grid.rows[start + 1 :], grid.lines[start + 1 :], strict=True):
        cells, covered = _values(row, roles)
        skip = [cell.text for cell in row] == header or not any(cells.values())
        banner = None if skip else _banner(row, cells)
        if skip or banner is not None or not cells.get("text"):
            reading.header_lines |= _all_lines(row, line)  # header repeat, banner, empty
            if banner is not None:
                banners.append(banner)
            continue
        table_row = TableRow(cells, *_lines(row, line), inherited=covered)
        _inherit(table_row, previous, banners, has_key=has_key)
        section = " / ".join(banners) or section
        table_row.section = section
        banners = []
        reading.rows.append(table_row)
        previous = table_row.cells
    return reading
