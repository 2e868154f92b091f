"""The unit-annotation grammar: who is responsible for a task, and by when.

One grammar for every place a plan names units - a trailing note, a line under an item, a
table cell:

- ``（责任单位：A、B等相关部门，列第一位的单位为牵头部门，下同）``, ``（A、B负责）``,
  ``A、B按职能分工负责``, ``A、B（排在第一位的为牵头单位，下同）``;
- ``（牵头单位：A；配合单位：B、C）``, ``（A牵头，B、C配合）``, ``由A牵头，B配合``;
- ``牵头单位：A`` / ``责任单位：A、B`` / ``配合单位：B`` / ``完成时限：2023年底前`` lines, colons
  full- or half-width.

A note is read clause by clause (split at ；，。 outside brackets). A clause takes its role from
its label (牵头单位：) or its last word (牵头 / 配合 / 负责); a clause with neither continues the
role before it (``责任单位：A，B``). The lead unit is the first unit labelled 牵头 where there is
one, else the first listed; the others follow in the order written. A collective unit such as
各县（市、区）人民政府 contains 、 inside brackets and is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN, _CLOSE = "（(", "）)"
_LEAD_NOTE_RE = re.compile(
    r"[（(]?[，,。；;]?\s*(?:列|排在?)第一位的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?\s*(?:[，,]\s*下同)?[）)]?"
)
LABELS = {
    "lead": ("牵头单位", "牵头部门", "主责单位", "主办单位", "牵头"),
    "responsible": ("责任单位", "责任部门", "责任主体", "责任单位及分工", "实施单位", "负责单位"),
    "partner": ("配合单位", "配合部门", "协办单位", "协同单位", "参与单位", "协助单位", "配合"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限要求", "进度安排", "时间安排", "时限"),
}
_ROLE_OF_LABEL = {label: role for role, labels in LABELS.items() for label in labels}
_LABEL_ALT = "|".join(sorted(_ROLE_OF_LABEL, key=len, reverse=True))
_LABEL_RE = re.compile(rf"^\s*({_LABEL_ALT})\s*[:：]\s*")
# A paragraph that is only a unit or deadline annotation (a line under an item).
UNIT_LINE_RE = re.compile(rf"^[（(]?\s*({_LABEL_ALT})\s*[:：]")
_SUFFIX_ROLES = (("牵头", "lead"), ("配合", "partner"), ("协助", "partner"), ("参与", "partner"),
                 ("协办", "partner"), ("负责", "responsible"))  # fmt: skip
_CLAUSE_SEPARATORS = "；;，,。"
_UNIT_SEPARATORS = "、"
# Trailing words that are annotations, not part of a unit name. Longest first.
_TRAILERS = (
    "按职能分工负责", "按职责分工负责", "按职责负责", "等相关部门", "等相关单位", "等有关部门",
    "等有关单位", "等部门", "等单位", "负责", "牵头", "配合", "协助", "参与", "协办", "等",
)  # fmt: skip
_LEAD_MARK_RE = re.compile(r"[（(]牵头[）)]$")
# Words that make a parenthetical a responsibility note rather than ordinary text.
_UNIT_SUFFIX_RE = re.compile(
    r"(?:委|局|办|部|府|院|厅|会|行|室|处|所|中心|分局|支行|机构|组织|区县|单位)$"
)
_BY_RE = re.compile(
    r"(?:^|(?<=[，,。；;]))\s*由([^，,。；;由]{2,60}?)(?:牵头|负责)(?:[，,][^。；;]{2,80}?(?:配合|参与|协助))?[。；;]?$"
)


@dataclass(frozen=True)
class UnitNote:
    """What a note says: the units (lead first, then the others as written) and a deadline."""

    units: tuple[str, ...] = ()
    deadline: str | None = None

    @property
    def lead(self) -> str | None:
        return self.units[0] if self.units else None


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if ch in separators and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _strip_trailers(unit: str) -> str:
    unit = unit.strip(" \t。.")
    changed = True
    while changed:
        changed = False
        for trailer in _TRAILERS:
            if unit.endswith(trailer) and len(unit) > len(trailer):
                unit, changed = unit[: -len(trailer)].strip(), True
    return "" if unit in _TRAILERS else unit


def _clause_role(clause: str, previous: str) -> tuple[str, str]:
    """(role, the clause without its label) for one clause of a note."""
    match = _LABEL_RE.match(clause)
    if match:
        return _ROLE_OF_LABEL[match.group(1)], clause[match.end() :]
    body = clause.strip().rstrip("。.")
    for suffix, role in _SUFFIX_ROLES:
        if body.endswith(suffix):
            return role, body
    return previous, clause


def parse_unit_note(raw: str) -> UnitNote:
    """'牵头单位：A；配合单位：B、C' -> UnitNote(('A', 'B', 'C')); see the module docstring."""
    text = _LEAD_NOTE_RE.sub("", raw or "")
    leads: list[str] = []
    others: list[str] = []
    deadlines: list[str] = []
    role = "responsible"
    for clause in _split_outside_brackets(text, _CLAUSE_SEPARATORS):
        clause = clause.strip()
        if clause.startswith("由"):
            clause = clause[1:]
        if not clause:
            continue
        role, body = _clause_role(clause, role)
        if role == "deadline":
            deadlines.append(body.strip())
            continue
        for part in _split_outside_brackets(body, _UNIT_SEPARATORS):
            part = part.strip()
            marked = bool(_LEAD_MARK_RE.search(part))
            unit = _strip_trailers(_LEAD_MARK_RE.sub("", part))
            if not unit or unit == "下同":
                continue
            (leads if role == "lead" or marked else others).append(unit)
    units = list(dict.fromkeys(leads + others))
    return UnitNote(tuple(units), "；".join(d for d in deadlines if d) or None)


def split_units(raw: str) -> list[str]:
    """'责任单位：市卫健委、市场监管局等相关部门，列第一位…下同' -> ['市卫健委', '市场监管局']."""
    return list(parse_unit_note(raw).units)


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


def looks_like_units(inner: str) -> bool:
    """Is a trailing parenthetical a responsibility note? (label, 负责/牵头, or a list of bodies)"""
    if _LABEL_RE.match(inner) and not inner.startswith(LABELS["deadline"]):
        return True
    if re.search(r"(?:负责|牵头|配合)[。.]?$|下同", inner):
        return True
    units = split_units(inner)
    return bool(units) and all(_UNIT_SUFFIX_RE.search(unit) for unit in units)


def extract_trailing_units(text: str) -> tuple[str, str | None]:
    """Split a clause into (text without the note, raw note) if it ends with a units note:
    a parenthetical (``（A牵头，B配合）``) or a closing sentence ``由A牵头，B配合。``."""
    stripped = text.rstrip(" 。.;；")
    if not stripped:
        return text, None
    if stripped[-1] in _CLOSE:
        start = _matching_open(stripped, len(stripped) - 1)
        if start < 0:
            return text, None
        inner = stripped[start + 1 : -1]
        if not looks_like_units(inner):
            return text, None
        return stripped[:start].rstrip(), inner.strip()
    match = _BY_RE.search(text.rstrip())
    if match and all(_UNIT_SUFFIX_RE.search(u) for u in split_units(match.group(0))):
        return text[: match.start()].rstrip("，, "), match.group(0).strip().rstrip("。.;；")
    return text, None
