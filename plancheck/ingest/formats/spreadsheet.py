"""Spreadsheets (.xlsx, .xls): every sheet's task-division table, read with python-calamine.

What "line" means for a workbook: the sheets' rows one after the other, in sheet order; line
n is one row, its cells joined by tabs in ``Document.lines``, and ``Document.locations`` says
which sheet and row it is (``任务分工!5``). Merged cells come from the sheet's merge ranges:
the value stands in every cell the range covers, marked covered (inherited) after the first.
A number is written as the office typed it (1.0 -> 1); a date cell as 2023年6月30日, so the
deadline reader sees what a person sees. Sheets without a header naming a task column
(instructions, a cover sheet) are context.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from plancheck.errors import InputError
from plancheck.ingest.grid import Grid, GridCell, interpret
from plancheck.ingest.limits import check_sheet
from plancheck.ingest.model import Document, TableRow
from plancheck.normalise.text import drop_controls

NAME = "spreadsheet"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return drop_controls(str(value).replace("\r", "").replace("\n", ""))


def _grid(sheet, first_line: int) -> Grid:
    values = sheet.to_python(skip_empty_area=False)
    width = max((len(row) for row in values), default=0)
    rows = [
        [GridCell(_text(v)) for v in row] + [GridCell("")] * (width - len(row)) for row in values
    ]
    top, left = sheet.start or (0, 0)
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        r0, r1, c0, c1 = r0 - top, r1 - top, c0 - left, c1 - left
        if not (0 <= r0 < len(rows) and 0 <= c0 < width):
            continue
        value = rows[r0][c0].text
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if (r, c) != (r0, c0):
                    rows[r][c] = GridCell(value, covered=True)
    return Grid(rows, list(range(first_line, first_line + len(rows))), sheet.name)


def _workbook(path: Path, data: bytes):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # a damaged workbook fails in many reader-specific ways
        raise InputError(
            f"{path}: this spreadsheet is damaged or not a real .xlsx/.xls; open and re-save it"
        ) from None


def read_spreadsheet(path: Path, data: bytes) -> Document:
    """Read every sheet; the rows of each task table become ``Document.rows``."""
    book = _workbook(path, data)
    lines: list[str] = []
    locations: dict[int, str] = {}
    rows: list[TableRow] = []
    header_lines: set[int] = set()
    has_key = False
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            check_sheet(path, name, sheet.height, sheet.width)
            grid = _grid(sheet, len(lines) + 1)
        except InputError:
            raise
        except Exception:
            raise InputError(
                f"{path}: sheet {name!r} cannot be read; re-save the workbook"
            ) from None
        for offset, (row, line) in enumerate(zip(grid.rows, grid.lines, strict=True)):
            lines.append("\t".join("" if c.covered else c.text for c in row).rstrip("\t"))
            locations[line] = f"{name}!{(sheet.start or (0, 0))[0] + offset + 1}"
        reading = interpret(grid)
        if reading is None:
            continue
        for table_row in reading.rows:
            table_row.section = " / ".join(p for p in (name, table_row.section) if p)
        rows += reading.rows
        header_lines |= reading.header_lines
        has_key = has_key or "key" in reading.roles
    return Document(
        path, NAME, lines, rows=rows, has_key_column=has_key, table_lines=header_lines,
        locations=locations,
    )  # fmt: skip
