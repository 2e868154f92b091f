"""The unit-annotation grammar: who is responsible for a task, and by when.

One grammar for every place a plan names units - a trailing note, a line under an item, a
table cell. A note is read as a whole. It is split into parts at ；，。 outside brackets (so
各县（市、区）人民政府 stays whole); each part is one of

- a **unit list** (A、B、C, split at 、 and 等和), with a role from a label in front of it
  (``牵头单位：``, ``责任单位：``, ``配合单位：``, ``牵头考核单位：``, ``负责部门：``) or a role word
  after it (牵头, 负责, 配合, 参与, 协助, 协同, 协办, 指导, written bare or with a manner:
  分工负责, 按职责分工负责, 按职能分工配合, 共同负责, 负责落实); ``X会同Y`` makes X lead and Y
  partners; ``由X牵头`` is X牵头; a trailing 等 / 等相关部门 / 等有关部门和单位 only says the list
  is open;
- a **deadline** (``完成时限：…``, or a part that only speaks of time: 2024年底前完成, 6月底完成,
  持续推进, 长期坚持, 每年…);
- a **leader** (``责任领导：…``, 分管副市长, 市政府分管领导): a person, never a unit;
- a **note** (下同, 适用范围：…, 列第一位的单位为牵头部门, 以下…不再列出).

A part with neither label nor role word takes the role of the role word that follows it
(``A，B按职责分工负责``: both share the duty) or else the label before it (``责任单位：A，B``).
Role words are always cut off the unit names, so 省通信管理局分工负责 gives 省通信管理局.

The lead unit is the first unit labelled 牵头 (or written before 会同) where there is one, or
else the first responsible unit when others are labelled partners (``A负责，B参与``), or the first
listed when the note says the first listed leads (列第一位的为牵头单位). Otherwise - every unit
shares one duty (``A、B按职责分工负责``, ``责任单位：A、B``) - the first listed is taken as the lead
and ``UnitNote.lead_by_order`` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN, _CLOSE = "（(", "）)"
# "The first listed is the lead" (列第一位的单位为牵头部门，下同 / 排名第一的为牵头单位).
_LEAD_NOTE_RE = re.compile(
    r"[（(]?[，,。；;]?\s*(?:列|排|排名|排在|位列|列在)(?:第一位?|首位)(?:的|者)?(?:单位|部门)?"
    r"(?:为|是)牵头(?:单位|部门)?\s*(?:[，,]?\s*下同)?[）)]?"
)
LABELS = {
    "lead": (
        "牵头单位", "牵头部门", "主责单位", "主办单位", "牵头考核单位", "牵头责任单位",
        "主要责任单位", "牵头", "主责部门",
    ),
    "responsible": (
        "责任单位", "责任部门", "责任主体", "责任单位及分工", "实施单位", "负责单位", "负责部门",
        "承办单位", "落实单位", "实施主体", "责任处室",
    ),
    "partner": (
        "配合单位", "配合部门", "协办单位", "协同单位", "参与单位", "协助单位", "配合", "协作单位",
        "参加单位", "协同部门", "参与部门",
    ),
    "deadline": (
        "完成时限", "完成时间", "时间节点", "时限要求", "进度安排", "时间安排", "时限", "完成期限",
    ),
    "leader": ("责任领导", "牵头领导", "分管领导", "联系领导", "包抓领导", "牵头市领导", "责任人"),
    "note": ("适用范围", "备注"),
}  # fmt: skip
_ROLE_OF_LABEL = {label: role for role, labels in LABELS.items() for label in labels}
_LABEL_ALT = "|".join(sorted(_ROLE_OF_LABEL, key=len, reverse=True))
_LABEL_RE = re.compile(rf"^\s*({_LABEL_ALT})\s*[:：]\s*")
# A label that starts a second field on the same line (牵头单位：X　责任单位：Y).
# Matched left to right and consumed, so 完成时限： is one label, never 完成 + 时限：.
_INNER_LABEL_RE = re.compile(rf"[\s\u3000]*((?:{_LABEL_ALT})\s*[:：])")
# A paragraph that is only a unit or deadline annotation (a line under an item).
UNIT_LINE_RE = re.compile(rf"^[（(]?\s*({_LABEL_ALT})\s*[:：]")
# Role words after a unit list: an optional manner (分工, 按职责分工, 共同 …) and a verb.
_VERB_ROLE = {
    "牵头负责": "lead", "牵头落实": "lead", "牵头": "lead", "负责落实": "responsible",
    "负责实施": "responsible", "负责": "responsible", "组织实施": "responsible",
    "配合": "partner", "参与": "partner", "协助": "partner", "协同": "partner",
    "协办": "partner", "指导": "partner",
}  # fmt: skip
_MANNER = r"(?:按照?(?:各自)?(?:职责|职能)(?:分工)?|依(?:据)?职责|根据职责(?:分工)?|分工|共同|具体|分别|各司其职)"
_ROLE_TAIL_RE = re.compile(
    rf"(?P<manner>{_MANNER})?(?P<verb>{'|'.join(sorted(_VERB_ROLE, key=len, reverse=True))})[。.]?$"
)
# X会同Y: 会同 after a unit name joins two lists; at the start of a name it is 会同县 (a county).
_JOINT_RE = re.compile(r"(?<=[^、，,；;\s（(])会同")
_LEAD_MARK_RE = re.compile(r"[（(]牵头(?:单位|部门)?[）)]$")
_OPEN_LIST_RE = re.compile(
    r"等(?:其他|其它)?(?:有关|相关)?(?:部门|单位)?(?:[和及、](?:有关|相关)?(?:部门|单位))?$"
)
_DEADLINE_RE = re.compile(
    r"\d{2,4}\s*年|\d{1,2}\s*月|[一二三四]季度|年底|年内|年末|年前|上半年|下半年|持续|长期|"
    r"每年|每季度|每月|每半年|常态化|逐年|定期|前完成|底完成|底前|按进度|按计划|按期"
)
# A person, not a unit: 分管副市长, 市政府分管领导, 张副市长, 市长.
_LEADER_RE = re.compile(
    r"(?:分管|主管|联系|牵头)(?:副)?(?:省|市|县|区|州|旗)?(?:长|领导|主席|秘书长|主任|书记)"
    r"|副?(?:省|市|县|区|州|旗)长$|副?秘书长$|(?:领导|同志)$"
)
_NOTE_RE = re.compile(r"^(?:下同|以下|同上|适用范围|不再列出|.*不再列出)")
_UNIT_SUFFIX_RE = re.compile(
    r"(?:委|局|办|部|府|院|厅|会|行|室|处|所|署|关|中心|分局|支行|机构|组织|区县|单位|公司|集团|"
    r"大学|学院|企业|组|队|站|社|总社)$"
)
_BY_RE = re.compile(
    r"(?:^|(?<=[，,。；;]))\s*由([^，,。；;由]{2,60}?)(?:牵头|负责)(?:[，,][^。；;]{2,80}?(?:配合|参与|协助))?[。；;]?$"
)
_UNIT_SEPARATORS = "、"
_PART_SEPARATORS = "；;，,。"
_RANK = {"lead": 0, "responsible": 1, "partner": 2}


@dataclass(frozen=True)
class UnitNote:
    """What a note says: the units (lead first, then the others as written), a deadline, the
    leaders it names, and whether the lead is only the first listed (no unit is labelled lead)."""

    units: tuple[str, ...] = ()
    deadline: str | None = None
    lead_by_order: bool = False
    leaders: tuple[str, ...] = ()
    first_is_lead: bool = False  # the note says the first listed leads (列第一位的为牵头单位)
    convention_below: bool = False  # … and that this holds for the notes below (下同)

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


def _clean_unit(part: str) -> str:
    """A unit name without role words, open-list words or stray punctuation."""
    unit = part.strip(" \t\u3000。.:：")
    while True:
        before = unit
        tail = _ROLE_TAIL_RE.search(unit)
        if tail and tail.start() > 0:
            unit = unit[: tail.start()].strip()
        unit = _OPEN_LIST_RE.sub("", unit).strip() if len(unit) > 1 else unit
        if unit == before:
            break
    return "" if unit in _VERB_ROLE or unit in ("等", "下同") else unit


def _is_deadline(body: str) -> bool:
    """A part that speaks only of time: it names a date or a rhythm and no body."""
    if not _DEADLINE_RE.search(body):
        return False
    return not any(_UNIT_SUFFIX_RE.search(_clean_unit(p)) for p in body.split("、"))


@dataclass
class _Part:
    role: str | None  # lead | responsible | partner; None until a role word or label decides
    units: list[tuple[str, str | None]]  # (unit, its own role when the part gave it one)
    shared: bool = False  # 分工负责 / 按职责分工配合: each acts within its remit
    labelled: bool = False  # a label in front (责任单位：) opened this part
    worded: bool = False  # a role word after it (负责, 配合) closed this part


def _read_part(body: str) -> _Part | None:
    """One unit list: role words cut off, 会同 split, (牵头) marks read."""
    body = body.strip()
    head, by, rest = body.rpartition("由")
    if by and not _UNIT_SUFFIX_RE.search(head):  # 由X牵头, 技工院校内由X负责: X is the unit
        body = rest
    tail = _ROLE_TAIL_RE.search(body)
    role, shared = None, False
    if tail and tail.start() > 0:
        role, shared = _VERB_ROLE[tail["verb"]], bool(tail["manner"])
        body = body[: tail.start()]
    units: list[tuple[str, str | None]] = []
    pieces = _JOINT_RE.split(body, maxsplit=1)
    for n, piece in enumerate(pieces):
        own = ("lead" if n == 0 else "partner") if len(pieces) > 1 else None
        for raw in _join_levels(_split_outside_brackets(piece, _UNIT_SEPARATORS)):
            for item in raw.split("等和"):
                marked = bool(_LEAD_MARK_RE.search(item.strip()))
                unit = _clean_unit(_LEAD_MARK_RE.sub("", item.strip()))
                if unit and not _NOTE_RE.match(unit):
                    units.append((unit, "lead" if marked else own))
    return _Part(role, units, shared, worded=role is not None) if units else None


_LEVEL_WORD_RE = re.compile(r"^各?[省市州县区]$")


def _join_levels(pieces: list[str]) -> list[str]:
    """各市、县（市、区）人民政府 is one collective: a bare level word joins the piece after it."""
    out: list[str] = []
    for piece in pieces:
        if out and _LEVEL_WORD_RE.match(out[-1].strip()):
            out[-1] = f"{out[-1]}、{piece}"
        else:
            out.append(piece)
    return out


def _unwrap(text: str) -> str:
    """（牵头单位：A；配合单位：B） -> the note inside its brackets."""
    text = text.strip()
    while text[:1] in _OPEN and text[-1:] in _CLOSE and _matching_open(text, len(text) - 1) == 0:
        text = text[1:-1].strip()
    return text


def _parts(text: str) -> list[str]:
    text = _INNER_LABEL_RE.sub(r"；\1", _unwrap(text)).lstrip("；")
    return [p.strip() for p in _split_outside_brackets(text, _PART_SEPARATORS) if p.strip()]


def parse_unit_note(raw: str, *, role: str = "responsible") -> UnitNote:
    """'牵头单位：A；配合单位：B、C' -> UnitNote(('A', 'B', 'C')); see the module docstring.

    ``role`` is the role of a unit list with no label and no role word (a table's 配合单位
    column is read with ``role="partner"``).
    """
    text = raw or ""
    convention = _LEAD_NOTE_RE.search(text)
    text = _LEAD_NOTE_RE.sub("", text)
    deadlines: list[str] = []
    leaders: list[str] = []
    parts: list[_Part] = []
    label: str | None = None  # the role the last label set
    for part in _parts(text):
        match = _LABEL_RE.match(part)
        if match:
            label, part = _ROLE_OF_LABEL[match.group(1)], part[match.end() :].strip()
        if match and label == "deadline" or not match and _is_deadline(part):
            deadlines.append(part.strip("。 "))
        elif match and label == "leader" or not match and _is_leader(part):
            leaders.append(part)
        elif not (match and label == "note" or _NOTE_RE.match(part)):
            read = _read_part(part)
            if read is not None:
                read.labelled = bool(match)
                if match and read.role is None and label in _RANK:
                    read.role = label
                parts.append(read)
    _settle_roles(parts, label if label in _RANK else role)
    return _assemble(parts, deadlines, leaders, convention)


def _is_leader(part: str) -> bool:
    """分管副市长, 市政府分管领导: a person named before the units."""
    return bool(_LEADER_RE.search(part)) and not _UNIT_SUFFIX_RE.search(_clean_unit(part))


def _settle_roles(parts: list[_Part], default: str) -> None:
    """A bare list takes the role word that follows it (``A，B按职责分工负责``) unless a label
    comes between, else the role before it (``责任单位：A，B``), else ``default``."""
    following: tuple[str, bool] | None = None
    for part in reversed(parts):
        if part.worded and part.role is not None:
            following = (part.role, part.shared)
        elif part.role is None and following is not None:
            part.role, part.shared = following
        if part.labelled:
            following = None
    previous = default
    for part in parts:
        if part.role is None:
            part.role = previous
        previous = part.role


def _assemble(
    parts: list[_Part], deadlines: list[str], leaders: list[str], convention: re.Match | None
) -> UnitNote:
    ranked: list[tuple[int, int, str]] = []
    for part in parts:
        for unit, own in part.units:
            ranked.append((_RANK[own or part.role or "responsible"], len(ranked), unit))
    units: list[str] = []
    for _, _, unit in sorted(ranked):
        if unit not in units:
            units.append(unit)
    labelled = any(rank == 0 for rank, _, _ in ranked) or len({r for r, _, _ in ranked}) > 1
    by_order = len(units) > 1 and not labelled and convention is None
    return UnitNote(
        tuple(units),
        "；".join(d for d in deadlines if d) or None,
        by_order,
        tuple(leaders),
        first_is_lead=convention is not None,
        convention_below=convention is not None and "下同" in convention.group(0),
    )


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
    """Is a trailing parenthetical a responsibility note? (label, a role word, or a list of
    bodies)"""
    if _LABEL_RE.match(inner) and not inner.startswith(LABELS["deadline"]):
        return True
    if any(_LABEL_RE.match(part) for part in _parts(inner)[1:]):
        return True  # （2024年底前完成，牵头单位：市发改委）
    if re.search(r"(?:负责|牵头|配合|参与)[。.]?$|下同", inner):
        return True
    note = parse_unit_note(inner)
    return bool(note.units) and all(_UNIT_SUFFIX_RE.search(unit) for unit in note.units)


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
