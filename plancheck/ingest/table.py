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
    "seq": ("序号", "编号", "序"),
    "key": ("重点任务", "重点工作", "主要任务", "任务类别", "工作重点", "重点领域", "任务分类", "工作事项"),
    "text": (
        "具体任务", "试点工作任务", "工作任务", "任务内容", "具体措施", "工作内容", "主要措施",
        "具体内容", "工作措施", "任务举措", "改革举措", "具体工作", "任务", "措施", "内容",
    ),
    "units": (
        "责任单位", "责任主体", "牵头单位", "责任部门", "牵头部门", "责任单位及分工", "主责单位",
        "牵头责任单位", "实施主体", "负责单位",
    ),
    "co_units": ("配合单位", "配合部门", "协同单位", "协办单位", "参与单位", "协助单位"),
    "deadline": (
        "完成时限", "完成时间", "时间节点", "时限要求", "时限", "进度安排", "时间安排", "完成期限",
    ),
    "note": ("备注", "说明"),
}  # fmt: skip
_ROLE_OF = {name: role for role, names in COLUMN_ROLES.items() for name in names}
_BY_LENGTH = sorted(_ROLE_OF, key=len, reverse=True)
_BRACKETS_RE = re.compile(r"[（(][^）)]*[）)]|\s+")


def is_table_line(line: str) -> bool:
    return line.startswith("\t")


def column_role(name: str) -> str | None:
    """The role of a column from its header text: an exact name or synonym, else the longest
    known name inside it (牵头单位（部门） and 市级牵头单位 are unit columns)."""
    name = _BRACKETS_RE.sub("", name) or re.sub(r"\s+", "", name)
    if name in _ROLE_OF:
        return _ROLE_OF[name]
    if len(name) > 12:
        return None  # a sentence, not a column name
    for known in _BY_LENGTH:
        if len(known) >= 4 and known in name:
            return _ROLE_OF[known]
    return None


def header_roles(cells: list[str]) -> list[str | None] | None:
    """Roles of a header row, or None if ``cells`` is not a header: it names a task column
    and at least one other known column, and most of its cells are known names. Without a
    task-text column, the (last) key-task column holds the task."""
    roles = [column_role(cell) for cell in cells]
    for i, cell in enumerate(cells):  # a merged cell repeats its name: one column
        if i and cell.strip() and cell == cells[i - 1]:
            roles[i] = None
    named = [r for i, (c, r) in enumerate(zip(cells, roles, strict=True)) if c.strip() and (
        not i or c != cells[i - 1])]  # fmt: skip
    known = [role for role in named if role]
    if "text" not in known and "key" in known:
        last = max(i for i, role in enumerate(roles) if role == "key")
        roles[last] = "text"
        known = [role for role in roles if role]
    if "text" not in known or len(known) < 2 or len(known) * 2 < len(named):
        return None
    seen: set[str] = set()
    for i, role in enumerate(roles):  # a second column of a role is a note (two 备注 columns)
        if role in seen and role != "note":
            roles[i] = "co_units" if role == "units" and "co_units" not in seen else "note"
        seen.add(roles[i] or "")
    return roles


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


def _text_index(cells: list[str], roles: list[str | None]) -> int:
    for i, cell in enumerate(cells):
        marker, _ = parse_marker(cell)
        if marker is not None and marker.level == ITEM:
            return i
    if len(cells) == len(roles):
        return roles.index("text")
    if "seq" in roles and len(cells) > 1 and cells[0].strip().isdigit():
        return min(1 + roles.index("text") - roles.index("seq"), len(cells) - 1)
    return max(range(len(cells)), key=lambda i: len(cells[i]))


def _assign(cells: list[str], roles: list[str | None]) -> dict[str, str]:
    """Place a row's cells: cells left of the task text fill the columns left of it
    (right-aligned, since a merged leading cell may be missing), the rest fill rightwards."""
    t = _text_index(cells, roles)
    text_col = roles.index("text")
    row: dict[str, str] = {"text": cells[t]}
    for offset, cell in enumerate(reversed(cells[:t]), start=1):
        if text_col - offset >= 0 and roles[text_col - offset]:
            row[roles[text_col - offset]] = cell  # type: ignore[index]
    for offset, cell in enumerate(cells[t + 1 :], start=1):
        if text_col + offset < len(roles) and roles[text_col + offset]:
            row[roles[text_col + offset]] = cell  # type: ignore[index]
    return row


def parse_table(numbered: list[tuple[int, str]]) -> tuple[list[TableRow], list[str | None]]:
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
