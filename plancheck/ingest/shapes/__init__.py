"""One reader per source shape. Each module exposes:

- ``NAME``: the shape's name;
- ``score(lines) -> float``: how strongly the content looks like this shape (0 = not at all);
- ``read(path, lines) -> Document``.

The registry order is the tie-break order: more specific shapes first.
"""

from plancheck.ingest.shapes import (
    ocr_markdown,
    pdf_text,
    plain_text,
    plan_with_table,
    web_page,
    word_table,
)

READERS = (web_page, word_table, plan_with_table, ocr_markdown, pdf_text, plain_text)
