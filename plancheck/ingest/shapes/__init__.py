"""One reader per source shape. Each module exposes:

- ``NAME``: the shape's name;
- ``score(lines) -> float``: how strongly the content looks like this shape (0 = not at all);
- ``read(path, lines) -> Document``.

The registry order is the tie-break order: more specific shapes first.
"""

from types import ModuleType

from plancheck.ingest.shapes import (
    ocr_markdown,
    pdf_text,
    plain_text,
    plan_with_table,
    text_table,
    web_page,
    word_table,
)

READERS = (web_page, text_table, word_table, plan_with_table, ocr_markdown, pdf_text, plain_text)


def best_reader(lines: list[str]) -> ModuleType | None:
    """The reader whose content signature fits best (first in READERS on a tie), or None.
    Each score is computed once: the web-page score runs OpenCC over the whole text."""
    scores = [(reader.score(lines), -i, reader) for i, reader in enumerate(READERS)]
    score, _, reader = max(scores, key=lambda item: item[:2])
    return reader if score > 0 else None
