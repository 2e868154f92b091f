"""Text extracted from a PDF: hard wraps at the page width, page furniture, an annex."""

from __future__ import annotations

from pathlib import Path

from plancheck.ingest.model import Document
from plancheck.ingest.paragraphs import TERMINAL, join_paragraphs, typical_width
from plancheck.normalise.text import tidy_spaces

NAME = "pdf_text"


def score(lines: list[str]) -> float:
    """Hard-wrapped text: many lines of the same width ending without punctuation."""
    cleaned = [tidy_spaces(line) for line in lines if line.strip()]
    width = typical_width(cleaned)
    if width < 15:
        return 0.0
    at_width = [line for line in cleaned if abs(len(line) - width) <= 2]
    unterminated = sum(line[-1] not in TERMINAL + "，、" for line in at_width)
    share = len(at_width) / len(cleaned)
    return 0.7 if share > 0.4 and unterminated > len(at_width) * 0.3 else 0.0


def read(path: Path, lines: list[str]) -> Document:
    numbered = [(n, tidy_spaces(text)) for n, text in enumerate(lines, start=1)]
    width = typical_width([text for _, text in numbered if text])
    return Document(path, NAME, lines, paragraphs=join_paragraphs(numbered, wrap_width=width))
