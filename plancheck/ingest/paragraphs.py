"""Rejoin lines into paragraphs without gluing separate clauses together.

Assumptions (hold for plans written in the usual official style):
- a new clause always starts a line with its numbering marker (一、 （一） 1. 1、 （1）);
- a paragraph that does not end with sentence-final punctuation continues on the next
  non-blank line (OCR page breaks and PDF hard wraps cut sentences, not clauses);
- a short line with a part/clause marker and no full stop inside is a heading;
- in hard-wrapped text (PDF), a line as wide as the page ends mid-paragraph even after 。.
- a unit or deadline line (牵头单位：… 完成时限：…) and document furniture (抄送：, a rule, a date,
  see ``furniture.py``) are paragraphs of their own; an office's name after a closed sentence
  is a signature, not the end of that sentence.
"""

from __future__ import annotations

import re
from collections import Counter

from plancheck.ingest.furniture import is_separator, is_signature
from plancheck.ingest.model import Paragraph
from plancheck.normalise.numbering import CLAUSE, PART, parse_marker
from plancheck.normalise.units import UNIT_LINE_RE

TERMINAL = "。！？；：!?;:"
_MD_HEADING_RE = re.compile(r"^#{1,6}\s*")
_HEADING_MAX = 40
_CLOSED = TERMINAL + "）)"


def strip_markdown(text: str) -> str:
    return _MD_HEADING_RE.sub("", text).strip()


def is_heading(text: str) -> bool:
    """A numbered line that only names a part or clause (no sentence of content)."""
    text = strip_markdown(text)
    marker, rest = parse_marker(text)
    if marker is None or marker.level not in (PART, CLAUSE):
        return False
    body = rest.rstrip("。.").strip()
    return len(body) <= _HEADING_MAX and not re.search("[。；;]", body)


def typical_width(lines: list[str]) -> int:
    """The most common length of long lines: the page width of hard-wrapped text."""
    lengths = [len(line) for line in lines if len(line) >= 15]
    if not lengths:
        return 0
    return Counter(lengths).most_common(1)[0][0]


def _continues(paragraph: list[str], nxt: str, wrap_width: int) -> bool:
    if parse_marker(strip_markdown(nxt))[0] is not None or nxt.startswith("#"):
        return False
    if is_separator(nxt) or UNIT_LINE_RE.match(nxt):
        return False
    last = paragraph[-1]
    if is_signature(nxt) and last.rstrip()[-1:] in _CLOSED:
        return False
    if (
        is_heading(paragraph[0])
        and len(paragraph) == 1
        and (not wrap_width or len(last) < wrap_width - 2)
    ):
        return False
    if is_separator(last) or UNIT_LINE_RE.match(last):
        return False
    if last.rstrip()[-1:] not in TERMINAL:
        return True
    return bool(wrap_width) and len(last) >= wrap_width - 1


def join_paragraphs(numbered: list[tuple[int, str]], *, wrap_width: int = 0) -> list[Paragraph]:
    """Group (line number, cleaned text) pairs into paragraphs; blank lines are ignored."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = end = 0
    for lineno, text in numbered:
        text = text.strip()
        if not text:
            continue
        if current and _continues(current, text, wrap_width):
            current.append(text)
            end = lineno
            continue
        if current:
            paragraphs.append(Paragraph(_glue(current), start, end))
        current, start, end = [text], lineno, lineno
    if current:
        paragraphs.append(Paragraph(_glue(current), start, end))
    return paragraphs


def _glue(parts: list[str]) -> str:
    """Join broken lines. Chinese needs no space; keep one between two Latin words."""
    out = parts[0]
    for part in parts[1:]:
        sep = " " if re.match(r"[A-Za-z]", part) and re.search(r"[A-Za-z]$", out) else ""
        out += sep + part
    return out
