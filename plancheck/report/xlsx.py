"""Workbooks for Excel and WPS: plain sheets of text and numbers, written with XlsxWriter.

Every sheet has a bold frozen header row with an autofilter, and column widths measured in
display cells (a Chinese character is two), so Chinese text is readable without resizing;
long text columns wrap. Lists are joined with 、. Strings are always written as strings, never
as formulas, so a cell that starts with = + - @ stays text (no formula injection).
The same sheets give the same bytes: the document properties carry a fixed date (XlsxWriter
stamps the zip entries with a fixed date itself).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from wcwidth import wcswidth

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # the workbook's created date: reproducible
MAX_WIDTH = 60  # display cells; longer text wraps
MIN_WIDTH = 6


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters, no []:*?/\
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    # cell text -> background colour (#RRGGBB): a heatmap's states (a coverage matrix)
    colours: Mapping[str, str] = field(default_factory=dict)


def cell_text(value: Any) -> Any:
    """A value as a spreadsheet cell: lists joined with 、, None as empty, numbers kept."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    if isinstance(value, bool | int | float):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _width(value: Any) -> int:
    text = str(value)
    longest = max((wcswidth(line) for line in text.splitlines() or [""]), default=0)
    return longest if longest >= 0 else len(text) * 2


def column_widths(sheet: Sheet) -> list[int]:
    widths = [_width(h) for h in sheet.headers]
    for row in sheet.rows:
        for k, value in enumerate(row):
            widths[k] = max(widths[k], _width(value))
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def _write_cell(ws, row: int, col: int, value: Any, fmt) -> None:
    value = cell_text(value)
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, value, fmt)


def _add_sheet(book, sheet: Sheet, header_fmt, wrap_fmt, plain_fmt) -> None:
    ws = book.add_worksheet(sheet.name)
    widths = column_widths(sheet)
    coloured = {
        text: book.add_format({"bg_color": colour, "valign": "top", "border": 1})
        for text, colour in sorted(sheet.colours.items())
    }
    for col, (header, width) in enumerate(zip(sheet.headers, widths, strict=True)):
        ws.write_string(0, col, header, header_fmt)
        ws.set_column(col, col, width)
    for r, row in enumerate(sheet.rows, start=1):
        for col, value in enumerate(row):
            fmt = wrap_fmt if widths[col] >= MAX_WIDTH else plain_fmt
            if coloured and isinstance(value, str) and value in coloured:
                fmt = coloured[value]
            _write_cell(ws, r, col, value, fmt)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), max(len(sheet.headers) - 1, 0))


def workbook_bytes(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """The sheets as one .xlsx file's bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": title, "author": "plancheck", "created": FIXED_DATE})
    header_fmt = book.add_format({"bold": True, "bg_color": "#F2F4F7", "border": 1})
    wrap_fmt = book.add_format({"text_wrap": True, "valign": "top"})
    plain_fmt = book.add_format({"valign": "top"})
    for sheet in sheets:
        _add_sheet(book, sheet, header_fmt, wrap_fmt, plain_fmt)
    book.close()
    return buffer.getvalue()
