"""Plain text with one paragraph per line (or blank-line separated): the fallback for a plan
that has numbered clauses but none of the other shapes' signatures."""

from __future__ import annotations

from pathlib import Path

from plancheck.ingest.model import Document
from plancheck.ingest.paragraphs import join_paragraphs
from plancheck.normalise.numbering import parse_marker
from plancheck.normalise.text import tidy_spaces

NAME = "plain_text"


def score(lines: list[str]) -> float:
    """Weak on purpose: three or more numbered lines make a plan, if nothing fits better."""
    numbered = sum(parse_marker(tidy_spaces(line))[0] is not None for line in lines)
    return 0.3 if numbered >= 3 else 0.0


def read(path: Path, lines: list[str]) -> Document:
    numbered = [(n, tidy_spaces(text)) for n, text in enumerate(lines, start=1)]
    return Document(path, NAME, lines, paragraphs=join_paragraphs(numbered))
