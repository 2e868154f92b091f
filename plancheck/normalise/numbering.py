"""Clause numbering: 一、 (part) → （一） (clause) → 1. / 1、 (item) → （1） (sub-item).

Full- and half-width brackets and dots are mixed freely in real plans; Chinese numerals go
past ten (十一, 二十四). Numerals are read with cn2an on the extracted span only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "〇零一二三四五六七八九十百两"
PART, CLAUSE, ITEM, SUBITEM = 1, 2, 3, 4

_MARKERS = (
    (PART, re.compile(rf"^([{CN_DIGITS}]{{1,4}})\s*、\s*")),
    (CLAUSE, re.compile(rf"^[（(]\s*([{CN_DIGITS}]{{1,4}})\s*[）)]\s*")),
    (SUBITEM, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    # 1. / 1、 / 1． but not a decimal (1.5) or a year (2019年).
    (ITEM, re.compile(r"^(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*")),
)


@dataclass(frozen=True)
class Marker:
    level: int
    number: int
    raw: str  # the marker as written, e.g. "（十一）"


def chinese_numeral(text: str) -> int:
    """'二十四' -> 24. Raises ValueError if the span is not a numeral."""
    import cn2an

    return int(cn2an.cn2an(text.replace("两", "二"), "strict"))


def parse_marker(text: str) -> tuple[Marker | None, str]:
    """Split a leading numbering marker from ``text``; (None, text) if there is none."""
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if not match:
            continue
        span = match.group(1)
        try:
            number = int(span) if span.isdigit() else chinese_numeral(span)
        except ValueError:
            continue
        return Marker(level, number, match.group(0).strip()), text[match.end() :]
    return None, text
