"""A saved web page: site chrome at the top, maybe traditional characters with pinyin glued
on (醫(yī)療), byte-damaged characters, and unrelated spam appended at the bottom."""

from __future__ import annotations

import re
from pathlib import Path

from plancheck.ingest.model import Document
from plancheck.ingest.paragraphs import join_paragraphs
from plancheck.normalise.text import (
    PINYIN_RE,
    repair_gbk_shift,
    strip_pinyin,
    tidy_spaces,
    to_simplified,
    traditional_share,
)

NAME = "web_page"
# Breadcrumbs and the metadata box of Chinese government sites (simplified after conversion).
CHROME_RE = re.compile(
    r"^(?:当前位置|您的位置|索\s*引\s*号|主题分类|发文机关|标\s*题|发文字号|成文日期|发布日期|"
    r"主\s*题\s*词|发布时间|信息来源|浏览次数|来源[:：]|字号[:：]|打印|关闭|分享到)|\s>\s"
)


def score(lines: list[str]) -> float:
    text = "\n".join(lines)
    pinyin = len(PINYIN_RE.findall(text))
    chrome = sum(bool(CHROME_RE.search(to_simplified(line.strip()))) for line in lines[:40])
    if pinyin >= 5 or chrome >= 2:
        return 1.0
    return 0.6 if traditional_share(text) > 0.05 else 0.0


def clean_line(line: str, traditional: bool) -> str:
    # Pinyin goes before and after the repair: a damaged character hides the pinyin after it.
    line = strip_pinyin(repair_gbk_shift(strip_pinyin(line)))
    if traditional:
        line = to_simplified(line)
    return tidy_spaces(line)


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def is_off_topic(line: str, rest: str) -> bool:
    """Spam appended to a page shares almost no character pairs with the document."""
    grams = _bigrams(line)
    if len(grams) < 4:
        return False
    return len(grams & _bigrams(rest)) / len(grams) < 0.1


def _last_numbered(cleaned: list[str]) -> int:
    """Index of the last line that starts a numbered clause (-1 if none)."""
    from plancheck.normalise.numbering import parse_marker

    numbered = [i for i, text in enumerate(cleaned) if parse_marker(text)[0] is not None]
    return numbered[-1] if numbered else -1


def read(path: Path, lines: list[str]) -> Document:
    traditional = traditional_share("\n".join(lines)) > 0.05
    cleaned = [clean_line(line, traditional) for line in lines]
    whole = "\n".join(cleaned)
    tail_from = _last_numbered(cleaned) + 1  # spam is appended after the document's last clause
    kept, dropped = [], {}
    for i, text in enumerate(cleaned):
        if not text:
            continue
        if CHROME_RE.search(text):
            dropped[i + 1] = "navigation"
        elif i >= tail_from and is_off_topic(text, whole.replace(text, "")):
            dropped[i + 1] = "spam"  # stays in the source lines (validation flags it)
        else:
            kept.append((i + 1, text))
    return Document(path, NAME, cleaned, paragraphs=join_paragraphs(kept), dropped=dropped)
