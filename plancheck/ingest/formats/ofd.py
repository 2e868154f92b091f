"""OFD (GB/T 33190, the national format for official electronic documents): a zip of XML.

``OFD.xml`` names the document (``DocBody/DocRoot`` -> ``Doc_0/Document.xml``), the document
lists its pages (``Pages/Page/@BaseLoc`` -> ``Pages/Page_0/Content.xml``), and a page's
content holds ``TextObject``s placed by ``Boundary="x y w h"`` (mm) whose ``TextCode``s carry
the text at ``X``/``Y`` inside the boundary. What the reader assumes and does:
- a line of the page is the text whose baselines lie within half a character height of each
  other (converters often write one TextObject per character or per run, so text objects are
  grouped by position, then read left to right); lines are read top to bottom;
- a gap wider than two characters between two pieces of one line is a cell boundary (a
  table drawn with positioned text): it becomes a tab, so the table readers see the cells;
- page templates (``Template``: running headers, footers, page numbers) are not page text;
  page furniture found on the pages themselves is removed as for a PDF (``pdf.strip_furniture``);
- every part is parsed by lxml with entities, DTDs and the network off, and a part that
  declares a DOCTYPE is refused; the package is held to the archive limits of a .docx.

What "line" means for an .ofd: a line of the page text, pages one after the other, as for a
PDF; ``Document.page_of(line)`` gives its page.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import replace
from pathlib import Path

from plancheck.errors import InputError
from plancheck.ingest.formats import choose_reader
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import pdf_text

_REDO = "open it in an OFD reader and export it as PDF or text"
_MAX_PAGES = 5_000


def _parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )  # fmt: skip


def _part(path: Path, archive: zipfile.ZipFile, name: str):
    from lxml import etree

    try:
        data = archive.read(name)
    except KeyError:
        raise InputError(f"{path}: the OFD package has no part {name!r}; {_REDO}") from None
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise InputError(f"{path}: part {name} declares a DOCTYPE or entities; {_REDO}")
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        raise InputError(f"{path}: part {name} of the OFD package is damaged; {_REDO}") from None


def _resolve(base: str, location: str) -> str:
    """A BaseLoc/DocRoot: absolute from the package root, else relative to ``base``'s folder."""
    location = location.strip().replace("\\", "/")
    joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(joined)


def _floats(text: str | None, n: int) -> list[float]:
    try:
        values = [float(v) for v in (text or "").split()]
    except ValueError:
        values = []
    return (values + [0.0] * n)[:n]


def _pieces(page) -> list[tuple[float, float, float, float, str]]:
    """(baseline y, x, size, width, text) of every text code on a page."""
    out = []
    for obj in page.iter("{*}TextObject"):
        bx, by, _, _ = _floats(obj.get("Boundary"), 4)
        size = _floats(obj.get("Size"), 1)[0] or 3.5
        for code in obj.iter("{*}TextCode"):
            text = "".join(code.itertext())
            if not text.strip():
                continue
            x, y = _floats(code.get("X"), 1)[0], _floats(code.get("Y"), 1)[0]
            out.append((by + y, bx + x, size, size * len(text), text))
    return out


def page_lines(page) -> list[str]:
    """The text lines of one page's content (see the module text)."""
    pieces = sorted(_pieces(page))
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for piece in pieces:
        if lines and abs(piece[0] - lines[-1][0][0]) <= piece[2] / 2:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    out = []
    for line in lines:
        text, end = "", None
        for _, x, size, width, words in sorted(line, key=lambda p: p[1]):
            if end is not None and x - end > 2 * size:
                text += "\t"
            text += words
            end = x + width
        out.append(text)
    return out


def _pages(path: Path, data: bytes) -> list[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(f"{path}: this OFD file is damaged; {_REDO}") from None
    with archive:
        root = _part(path, archive, "OFD.xml")
        doc_root = root.find(".//{*}DocBody/{*}DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            raise InputError(f"{path}: OFD.xml names no document (DocRoot); {_REDO}")
        doc_name = _resolve("", doc_root.text or "")
        document = _part(path, archive, doc_name)
        pages = document.findall(".//{*}Pages/{*}Page")
        if len(pages) > _MAX_PAGES:
            raise InputError(f"{path}: {len(pages):,} pages (limit {_MAX_PAGES:,}); {_REDO}")
        folder = posixpath.dirname(doc_name)
        out = []
        for page in pages:
            location = page.get("BaseLoc")
            if not location:
                continue
            out.append(page_lines(_part(path, archive, _resolve(folder, location))))
        return out


def read_ofd(path: Path, data: bytes) -> Document:
    """Read an OFD's page text and hand it to the text reader it looks like (as for a PDF)."""
    from plancheck.ingest.formats.pdf import strip_furniture

    pages = strip_furniture(_pages(path, data))
    lines = [line for page in pages for line in page]
    if not any(line.strip() for line in lines):
        raise InputError(f"{path}: this OFD has no text (a scan?); run OCR on it and give the text")
    starts, first = [], 1
    for page in pages:
        starts.append(first)
        first += len(page)
    from plancheck.ingest.shapes.text_table import with_tables

    reader = choose_reader(lines, default=pdf_text)
    doc = with_tables(reader, path, lines)  # cells of a positioned table are split by tabs
    return replace(doc, shape=f"ofd:{doc.shape}", page_starts=tuple(starts))
