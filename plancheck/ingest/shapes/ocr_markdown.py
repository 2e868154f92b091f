"""OCR output in Markdown: # headings, page breaks in mid-sentence, units in trailing brackets."""

from __future__ import annotations

import re
from pathlib import Path

from plancheck.ingest.model import Document
from plancheck.ingest.paragraphs import join_paragraphs
from plancheck.normalise.text import tidy_spaces

NAME = "ocr_markdown"
_MD_RE = re.compile(r"^#{1,6}\s")


def score(lines: list[str]) -> float:
    headings = sum(bool(_MD_RE.match(line)) for line in lines)
    return 0.8 if headings >= 2 else 0.0


def clean_line(line: str) -> str:
    # Markdown hard line breaks ("  " at the end) and spaces OCR puts inside words go.
    return tidy_spaces(line.rstrip())


def read(path: Path, lines: list[str]) -> Document:
    numbered = [(n, clean_line(text)) for n, text in enumerate(lines, start=1)]
    return Document(path, NAME, lines, paragraphs=join_paragraphs(numbered))
