"""Column roles of task-division tables: what a header cell's name says its column holds.

The header row of every table format (spreadsheet, Word, HTML, TSV, Markdown, the
tab-indented Word export) names its columns; ``header_roles`` gives each name a role from
COLUMN_ROLES (an exact name or synonym, else the longest known name inside it) and decides
whether the row is a header at all. The table interpreter (``grid.py``) does the rest.
"""

from __future__ import annotations

import re

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
