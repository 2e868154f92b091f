"""Clause numbering as plans write it, full- and half-width alike.

Levels (outer to inner): 第一章 / 一、 / 一． (part) → 第一节 / （一） / (一) (clause) →
第一条 / 1. / 1． / 1、 (item) → （1） / (1) (sub-item) → ① (point). A document uses some of these
in this order; the outline parser only relies on the order, so a plan that starts at （一）
or at 1. works too. Chinese numerals go past ten (十一, 二十四); 一…九十九 in standard form are
read by a small pattern, anything else with cn2an on the extracted span only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "〇零一二三四五六七八九十百两"
PART, CLAUSE, ITEM, SUBITEM, POINT = 1, 2, 3, 4, 5
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_MARKERS = (
    (PART, re.compile(rf"^第\s*([{CN_DIGITS}\d]{{1,4}})\s*[章部分]{{1,2}}\s*")),
    (CLAUSE, re.compile(rf"^第\s*([{CN_DIGITS}\d]{{1,4}})\s*节\s*")),
    (ITEM, re.compile(rf"^第\s*([{CN_DIGITS}\d]{{1,4}})\s*条\s*")),
    # 一、 一． 一. (a Chinese numeral followed by a dot is a part in OCR'd and typed plans alike)
    (PART, re.compile(rf"^([{CN_DIGITS}]{{1,4}})\s*(?:、|．|﹒|\.(?!\d))\s*")),
    (CLAUSE, re.compile(rf"^[（(]\s*([{CN_DIGITS}]{{1,4}})\s*[）)]\s*")),
    (SUBITEM, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    # 1. / 1、 / 1． but not a decimal (1.5) or a year (2019年).
    (ITEM, re.compile(r"^(\d{1,3})\s*(?:[、．﹒]|\.(?!\d))\s*")),  # ﹒ U+FE52
    (POINT, re.compile(rf"^([{CIRCLED}])\s*")),
)


@dataclass(frozen=True)
class Marker:
    level: int
    number: int
    raw: str  # the marker as written, e.g. "（十一）"


_ONES = "一二三四五六七八九"
# 一 … 九十九 written the standard way: the markers of nearly every plan, read without cn2an
# (importing it takes ~0.15 s of a command's start-up).
_BELOW_HUNDRED = re.compile(rf"(?:([{_ONES}]?)十)?([{_ONES}]?)")


def chinese_numeral(text: str) -> int:
    """'二十四' -> 24. Raises ValueError if the span is not a numeral."""
    text = text.replace("两", "二")
    small = _BELOW_HUNDRED.fullmatch(text)
    if text and small:
        tens, ones = small.groups()
        value = _ONES.index(ones) + 1 if ones else 0
        if tens is not None:  # 十 present; 十 alone (十二) is one ten
            value += 10 * (_ONES.index(tens) + 1 if tens else 1)
        return value
    import cn2an

    return int(cn2an.cn2an(text, "strict"))


def _number(span: str) -> int:
    if span in CIRCLED:
        return CIRCLED.index(span) + 1
    return int(span) if span.isdigit() else chinese_numeral(span)


def parse_marker(text: str) -> tuple[Marker | None, str]:
    """Split a leading numbering marker from ``text``; (None, text) if there is none."""
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if not match:
            continue
        try:
            number = _number(match.group(1))
        except ValueError:
            continue
        return Marker(level, number, match.group(0).strip()), text[match.end() :]
    return None, text
