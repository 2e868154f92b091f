"""Responsible units (责任单位): find them at the end of a clause and split them into a list.

Conventions handled: ``（责任单位：A、B等相关部门，列第一位的单位为牵头部门，下同）``,
``（A、B负责）``, ``A、B按职能分工负责``, a table cell ``A、B（排在第一位的为牵头单位，下同）``.
The first unit is the lead unit. A collective unit such as 各县（市、区）人民政府 contains 、
inside brackets and is kept whole: splitting only happens outside brackets.
"""

from __future__ import annotations

import re

_OPEN, _CLOSE = "（(", "）)"
_LEAD_NOTE_RE = re.compile(
    r"[（(]?[，,。；;]?\s*(?:列|排在?)第一位的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?\s*(?:[，,]\s*下同)?[）)]?"
)
_LABEL_RE = re.compile(r"^\s*(?:责任单位|责任部门|牵头单位|责任主体)\s*[:：]\s*")
_SEPARATORS = "、，,；;"
# Trailing words that are annotations, not part of a unit name. Longest first.
_TRAILERS = (
    "按职能分工负责",
    "按职责分工负责",
    "等相关部门",
    "等相关单位",
    "等有关部门",
    "等有关单位",
    "等部门",
    "等单位",
    "负责",
    "牵头",
    "等",
)
# Words that make a parenthetical a responsibility note rather than ordinary text.
_UNIT_SUFFIX_RE = re.compile(
    r"(?:委|局|办|部|府|院|厅|会|行|室|处|所|中心|分局|支行|机构|组织|区县|单位)$"
)


def _matching_open(text: str, close_index: int) -> int:
    """Index of the bracket that opens the one closing at ``close_index`` (-1 if unbalanced)."""
    depth = 0
    for i in range(close_index, -1, -1):
        if text[i] in _CLOSE:
            depth += 1
        elif text[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_units(raw: str) -> list[str]:
    """'责任单位：市卫健委、市场监管局等相关部门，列第一位…下同' -> ['市卫健委', '市场监管局']."""
    text = _LEAD_NOTE_RE.sub("", raw)
    text = _LABEL_RE.sub("", text.strip()).strip(" 。.")
    units, depth, current = [], 0, []
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if ch in _SEPARATORS and depth == 0:
            units.append("".join(current))
            current = []
        else:
            current.append(ch)
    units.append("".join(current))
    return [unit for unit in (_strip_trailers(u) for u in units) if unit and unit != "下同"]


def _strip_trailers(unit: str) -> str:
    unit = unit.strip(" \t。.")
    changed = True
    while changed:
        changed = False
        for trailer in _TRAILERS:
            if unit.endswith(trailer) and len(unit) > len(trailer):
                unit, changed = unit[: -len(trailer)].strip(), True
    return "" if unit in _TRAILERS else unit


def looks_like_units(inner: str) -> bool:
    """Is a trailing parenthetical a responsibility note? (label, 负责, or a list of bodies)"""
    if _LABEL_RE.match(inner) or re.search(r"负责[。.]?|下同", inner[-12:] + inner):
        return True
    units = split_units(inner)
    return bool(units) and all(_UNIT_SUFFIX_RE.search(unit) for unit in units)


def extract_trailing_units(text: str) -> tuple[str, str | None]:
    """Split a clause into (text without the note, raw note) if it ends with a units note."""
    stripped = text.rstrip(" 。.;；")
    if not stripped or stripped[-1] not in _CLOSE:
        return text, None
    start = _matching_open(stripped, len(stripped) - 1)
    if start < 0:
        return text, None
    inner = stripped[start + 1 : -1]
    if not looks_like_units(inner):
        return text, None
    return stripped[:start].rstrip(), inner.strip()
