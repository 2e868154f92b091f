"""PDF with a text layer: text page by page (pypdf), page furniture removed, then the text readers.

What "line" means for a .pdf: a line of the extracted text, pages one after the other (a
removed header, footer or page number stays as a blank line so numbers do not shift);
``Document.page_of(line)`` gives the page of a line, so a task's ``line_start`` also names
its page.
Hard wraps and page breaks in mid-sentence are rejoined by the ``pdf_text`` reader. A scanned
PDF without a text layer is read by OCR (``ocr.py``).
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from plancheck.errors import InputError
from plancheck.ingest import limits
from plancheck.ingest.formats import choose_reader
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import pdf_text
from plancheck.normalise.text import drop_controls

PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—－–]\s*\d{1,4}\s*[-—－–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_EDGE = 2  # headers and footers sit in the first and last two lines of a page


ENCRYPTED = "encrypted: remove the password and save again (文件已加密：请去掉密码后重新保存)"


def _pages(path: Path, data: bytes, *, budget: float = limits.MAX_PDF_SECONDS) -> list[list[str]]:
    """The text of each page, within the limits of ``ingest.limits``: at most MAX_PDF_PAGES
    pages, content streams that unpack to at most MAX_PDF_CONTENT_BYTES together (pypdf
    stops one stream at 75 MB, and says so; a bomb of many streams just under that is
    stopped here), and ``budget`` seconds of extraction in all."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files warn a lot
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # an owner password only: readable as is
            except Exception:  # an algorithm the installed crypto library lacks
                opened = False
            if not opened:
                raise InputError(f"{path}: {ENCRYPTED}")
        pages = reader.pages
        limits.check_pdf_pages(path, len(pages))
        start, unpacked, out = time.monotonic(), 0, []
        for page in pages:
            contents = page.get_contents()
            unpacked += len(contents.get_data()) if contents is not None else 0
            limits.check_pdf_content(path, unpacked)
            out.append(_page_lines(page.extract_text() or ""))
            limits.check_pdf_time(path, time.monotonic() - start, budget)
        return out
    except InputError:
        raise
    except LimitReachedError:
        limits.check_pdf_content(path, limits.MAX_PDF_CONTENT_BYTES + 1)
        raise  # not reached: the check above refuses
    except Exception:  # damaged files fail in many library-specific ways
        raise InputError(
            f"{path}: this PDF is damaged or unreadable; re-export it or save the text instead"
        ) from None


def _page_lines(text: str) -> list[str]:
    lines = drop_controls(text).split("\n")
    return lines[:-1] if lines and not lines[-1] else lines  # the text ends with a newline


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_EDGE] + filled[-_EDGE:]))


def _furniture_key(line: str) -> str:
    """Running headers differ only in their page number: compare with digits masked."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Blank page numbers and lines repeated at the top or bottom of most pages."""
    counts = Counter(
        key for page in pages for key in {_furniture_key(page[i]) for i in _edge_indexes(page)}
    )
    repeated = {key for key, n in counts.items() if n >= 2 and n >= 0.5 * len(pages)}
    out = []
    for page in pages:
        page = list(page)
        for i in _edge_indexes(page):
            text = page[i].strip()
            if PAGE_NUMBER_RE.match(text) or _furniture_key(text) in repeated:
                page[i] = ""
        out.append(page)
    return out


def read_pdf(path: Path, data: bytes) -> Document:
    """Read a PDF's text layer and hand it to the text reader it looks like (usually pdf_text)."""
    pages = strip_furniture(_pages(path, data))
    lines = [line for page in pages for line in page]
    starts, first = [], 1
    for page in pages:
        starts.append(first)
        first += len(page)
    if not any(line.strip() for line in lines):  # a scan: its pages are images
        from plancheck.ingest.formats.ocr import ocr_pdf

        return ocr_pdf(path, data, len(pages))
    reader = choose_reader(lines, default=pdf_text)
    doc = reader.read(path, lines)
    return replace(doc, shape=f"pdf:{doc.shape}", page_starts=tuple(starts))
