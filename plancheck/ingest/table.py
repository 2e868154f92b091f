"""Task-division tables exported from Word as tab-indented text.

Each cell is a line starting with a tab; rows are separated by empty lines. A vertically
merged cell appears only in its first row: the rows below carry an empty cell ("\t") or, when
the merged cell is the leading column, no cell at all. A row with a single non-empty cell is a
banner (a section heading spanning the table). The header row names the columns, and the
column names say what each column holds (see COLUMN_ROLES).
"""

from __future__ import annotations

import re

from plancheck.ingest.model import TableRow
from plancheck.normalise.numbering import ITEM, parse_marker
from plancheck.normalise.text import tidy_spaces

COLUMN_ROLES = {
    "key": ("重点任务", "重点工作", "主要任务", "任务类别", "工作重点"),
    "text": (
        "具体任务",
        "试点工作任务",
        "工作任务",
        "任务内容",
        "具体措施",
        "工作内容",
        "主要措施",
        "任务",
    ),
    "units": ("责任单位", "责任主体", "牵头单位", "责任部门", "牵头部门", "责任单位及分工"),
    "co_units": ("配合单位", "配合部门", "协同单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限要求", "时限"),
    "note": ("备注",),
}
_ROLE_OF = {name: role for role, names in COLUMN_ROLES.items() for name in names}


def is_table_line(line: str) -> bool:
    return line.startswith("\t")


def header_roles(cells: list[str]) -> list[str] | None:
    """Roles of a header row, or None if ``cells`` is not a header (needs text + one more)."""
    names = [re.sub(r"\s+", "", cell) for cell in cells]
    roles = [_ROLE_OF.get(name) for name in names]
    if len(roles) >= 2 and all(roles) and "text" in roles:
        return roles  # type: ignore[return-value]
    return None


def split_blocks(numbered: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Rows of the table: runs of tab-indented lines separated by lines without a tab."""
    blocks, current = [], []
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


def _text_index(cells: list[str], roles: list[str]) -> int:
    for i, cell in enumerate(cells):
        marker, _ = parse_marker(cell)
        if marker is not None and marker.level == ITEM:
            return i
    if len(cells) == len(roles):
        return roles.index("text")
    return max(range(len(cells)), key=lambda i: len(cells[i]))


def _assign(cells: list[str], roles: list[str]) -> dict[str, str]:
    """Place a row's cells: cells left of the task text fill the columns left of it
    (right-aligned, since a merged leading cell may be missing), the rest fill rightwards."""
    t = _text_index(cells, roles)
    text_col = roles.index("text")
    row: dict[str, str] = {"text": cells[t]}
    for offset, cell in enumerate(reversed(cells[:t]), start=1):
        if text_col - offset >= 0:
            row[roles[text_col - offset]] = cell
    for offset, cell in enumerate(cells[t + 1 :], start=1):
        if text_col + offset < len(roles):
            row[roles[text_col + offset]] = cell
    return row


def parse_table(numbered: list[tuple[int, str]]) -> tuple[list[TableRow], list[str]]:
    """Parse tab-indented table lines (header first) into rows with inherited cells filled."""
    blocks = split_blocks(numbered)
    if not blocks:
        return [], []
    roles = header_roles([cell for _, cell in blocks[0]]) or []
    rows: list[TableRow] = []
    banners: list[str] = []
    previous: dict[str, str] = {}
    section = ""
    for block in blocks[1:]:
        cells = [cell for _, cell in block]
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        lines = [n for n, cell in block if cell]
        if len(filled) == 1 and len(cells) == 1 and parse_marker(filled[0])[0] is None:
            banners.append(filled[0])
            continue
        row = TableRow(cells=_assign(cells, roles), line_start=lines[0], line_end=lines[-1])
        _inherit(row, previous, banners, has_key="key" in roles)
        section = " / ".join(banners) or section
        row.section = section
        banners = []
        rows.append(row)
        previous = row.cells
    return rows, roles


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
    for role in ("units", "co_units"):
        if not cells.get(role) and same_group and previous.get(role):
            cells[role] = previous[role]
            row.inherited.add(role)
