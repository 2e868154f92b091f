"""Word's automatic list numbering: the number a reader sees, which is not in the text.

A paragraph is in a list when its properties (or its style's) carry ``w:numPr`` (a list
``numId`` and a level ``ilvl``). The numbering part maps the list to an abstract definition
whose level gives a start value, a number format (decimal, chineseCounting,
ideographTraditional, decimalEnclosedCircle, …) and a level text such as ``（%1）`` or
``%1.%2``. Counting follows Word: lists that share an abstract definition continue one
another unless a list restarts (``w:startOverride``); a level counted resets the levels below.
The label is put before the paragraph's text, so an auto-numbered item gets the same task id
as a typed one. Bullets and unknown formats give no label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
STEMS = "甲乙丙丁戊己庚辛壬癸"
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _val(element, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}") if element is not None else None
    return None if child is None else child.get(f"{_W}val")


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str | None:
    """``n`` written in the Word number format ``fmt`` (None for bullets and the unknown)."""
    import cn2an

    if fmt in ("decimal", "decimalZero"):
        return str(n) if fmt == "decimal" or n > 9 else f"0{n}"
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "ideographDigital"):  # fmt: skip
        return cn2an.an2cn(n) if n > 0 else "〇"
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return PARENTHESISED[n - 1] if 0 < n <= len(PARENTHESISED) else f"({n})"
    if fmt == "ideographTraditional":
        return STEMS[(n - 1) % len(STEMS)] if n > 0 else None
    if fmt == "decimalFullWidth":
        return str(n).translate(FULL_WIDTH_DIGITS)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return None


@dataclass
class _Level:
    start: int
    fmt: str
    text: str


@dataclass
class ListNumbering:
    """The lists of one document and their counters (one object per document read)."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstract id -> levels
    lists: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId -> ...
    style_lists: dict[str, tuple[str, int]] = field(default_factory=dict)  # style -> (numId, lvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    restarted: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, numbering, styles) -> ListNumbering:
        """Read the numbering part (and the styles that number paragraphs); both may be None."""
        self = cls()
        if numbering is not None:
            for abstract in numbering.iterchildren(f"{_W}abstractNum"):
                levels = {}
                for lvl in abstract.iterchildren(f"{_W}lvl"):
                    levels[_int(lvl.get(f"{_W}ilvl"))] = _Level(
                        _int(_val(lvl, "start"), 1),
                        _val(lvl, "numFmt") or "decimal",
                        _val(lvl, "lvlText") or "",
                    )
                self.levels[abstract.get(f"{_W}abstractNumId") or ""] = levels
            for num in numbering.iterchildren(f"{_W}num"):
                overrides = {
                    _int(o.get(f"{_W}ilvl")): _int(_val(o, "startOverride"), 1)
                    for o in num.iterchildren(f"{_W}lvlOverride")
                    if _val(o, "startOverride") is not None
                }
                self.lists[num.get(f"{_W}numId") or ""] = (
                    _val(num, "abstractNumId") or "",
                    overrides,
                )
        if styles is not None:
            for style in styles.iterchildren(f"{_W}style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None and _val(num_pr, "numId"):
                    level = _int(_val(num_pr, "ilvl"))
                    self.style_lists[style.get(f"{_W}styleId") or ""] = (
                        _val(num_pr, "numId"),
                        level,
                    )  # type: ignore[assignment]
        return self

    def _list_of(self, p) -> tuple[str, int] | None:
        p_pr = p.find(f"{_W}pPr")
        if p_pr is None:
            return None
        num_pr = p_pr.find(f"{_W}numPr")
        style = self.style_lists.get(_val(p_pr, "pStyle") or "")
        if num_pr is None:
            return style
        num_id = _val(num_pr, "numId") or (style[0] if style else None)
        if not num_id or num_id == "0":
            return None  # numbering switched off for this paragraph
        return num_id, _int(_val(num_pr, "ilvl"), style[1] if style else 0)

    def label(self, p) -> tuple[str, int] | None:
        """(the number Word shows before paragraph ``p``, its list level), advancing the
        counters; None for a paragraph in no list, a bullet or an unknown format."""
        found = self._list_of(p)
        if found is None or found[0] not in self.lists:
            return None
        num_id, ilvl = found
        abstract, overrides = self.lists[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return None
        counts = self.counters.setdefault(abstract, {})
        if ilvl in overrides and (num_id, ilvl) not in self.restarted:
            self.restarted.add((num_id, ilvl))  # type: ignore[arg-type]
            counts[ilvl] = overrides[ilvl] - 1
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [lvl for lvl in counts if lvl > ilvl]:
            del counts[deeper]
        text = levels[ilvl].text
        for lvl in range(ilvl, -1, -1):
            if f"%{lvl + 1}" not in text:
                continue
            level = levels.get(lvl)
            shown = format_number(
                counts.get(lvl, level.start if level else 1), level.fmt if level else "decimal"
            )
            if shown is None:
                return None
            text = text.replace(f"%{lvl + 1}", shown)
        return (text, ilvl) if text else None
