"""Container formats: Word (.docx; .doc/.wps through LibreOffice, ``office.py``), spreadsheets
(.xlsx/.xls/.et), PDF with a text layer, OFD (``ofd.py``), saved web pages (.html), and zips
of attachments (``ingest/archive.py``).

The format is recognised from the bytes (``sniff``), never from the file name, and each reader
returns the same ``Document`` the text readers do, so structure and normalisation are shared.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from plancheck.errors import InputError
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import best_reader, plain_text

__all__ = ["DOCUMENT_SUFFIXES", "FORMATS", "choose_reader", "read_format", "sniff"]

FORMATS = ("docx", "xlsx", "xls", "pdf", "html", "doc", "zip", "ofd", "image")
# The names a folder's plan documents have (``plancheck report FOLDER``, ``validate FOLDER``);
# which reader reads a file is still decided by its bytes, never by these.
DOCUMENT_SUFFIXES = (
    ".txt", ".md", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".pdf", ".ofd", ".html",
    ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)  # fmt: skip
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
_HTML_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta)\b",
    re.IGNORECASE | re.DOTALL,
)


def _head_text(data: bytes) -> str:
    """The first few KB as text, for the HTML test (UTF-16 pages carry a BOM)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) & ~1].decode("utf-16", errors="ignore")
    return head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")


def sniff(data: bytes) -> str | None:
    """'docx', 'xlsx', 'xls', 'pdf', 'html', 'doc' (Word 97-2003 or Kingsoft WPS .wps; an
    .et is a BIFF workbook like .xls), 'ofd', 'zip' (attachments), 'image' (a scan or photo:
    OCR) or None for plain text/unknown."""
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"  # a photo or scan of pages: PNG, JPEG, TIFF
    if data.startswith(_OLE_MAGIC):  # the directory names the workbook stream of an .xls
        return (
            "xls"
            if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data
            else "doc"
        )
    if _HTML_RE.match(_head_text(data).replace("\x00", "")):
        return "html"
    return None


def _zip_kind(data: bytes) -> str | None:
    """A zip package by the parts it names: .docx, .xlsx, or else a zip of attachments."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # A damaged package: tell by the names in its local headers (the reader says what
        # is wrong with it).
        if b"word/document.xml" in data:
            return "docx"
        return "xlsx" if b"xl/workbook" in data else None
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    if any(name.startswith("xl/workbook") for name in names):
        return "xlsx"
    return "zip"


def choose_reader(lines: list[str], default: ModuleType) -> ModuleType:
    """The text reader whose content signature fits best, else ``default`` (the container's
    own reader knows more than the plain-text fallback, so that one never wins here)."""
    best = best_reader(lines)
    return best if best is not None and best is not plain_text else default


def read_format(
    kind: str, path: Path, data: bytes, *, encoding: str | None = None, converter=None
) -> Document:
    """Read ``data`` (the bytes of ``path``) as the container format ``kind`` from ``sniff``.

    A legacy file (``doc``; an ``xls`` the spreadsheet reader cannot open) goes through
    ``converter`` (an ``office.OfficeConverter`` the caller made for its batch) or, without
    one, through a converter made for this file alone."""
    from plancheck.ingest import limits

    if kind == "doc":
        return _legacy(path, data, "docx", converter)
    if kind == "zip":
        return _one_member(path, data, encoding=encoding, converter=converter)

    if kind in ("docx", "xlsx", "ofd"):
        limits.check_archive(path, data)
    if kind == "image":
        from plancheck.ingest.formats.ocr import ocr_images

        return ocr_images(path, data)
    if kind == "ofd":
        from plancheck.ingest.formats.ofd import read_ofd

        return read_ofd(path, data)
    if kind == "xlsx":
        limits.check_workbook_cells(path, data)
    elif kind == "html":
        limits.check_html(path, data)
    if kind == "docx":
        from plancheck.ingest.formats.docx import read_docx

        return read_docx(path, data)
    if kind in ("xlsx", "xls"):
        from plancheck.ingest.formats.spreadsheet import read_spreadsheet

        try:
            return read_spreadsheet(path, data)
        except InputError:
            if kind == "xlsx":
                raise
            # An .xls or .et that python-calamine cannot open (some WPS files): LibreOffice.
            from plancheck.ingest.formats.office import find_soffice

            if find_soffice() is None and converter is None:
                raise
            return _legacy(path, data, "xlsx", converter)
    if kind == "pdf":
        from plancheck.ingest.formats.pdf import read_pdf

        return read_pdf(path, data)
    if kind == "html":
        from plancheck.ingest.formats.html import read_html

        return read_html(path, data, encoding=encoding)
    raise ValueError(f"unknown format {kind!r}")


def _one_member(path: Path, data: bytes, *, encoding: str | None, converter) -> Document:
    """A zip of attachments named as one plan: its only document, else a refusal that lists
    the members to name instead (each member is a document of its own)."""
    from plancheck.ingest.archive import member_bytes, member_names, split_member
    from plancheck.ingest.decode import MAX_BYTES

    if split_member(path) is not None:
        raise InputError(f"{path}: is an archive inside an archive; unpack the outer archive first")
    names = member_names(path, data)
    if len(names) != 1:
        listed = ", ".join(f"{path.as_posix()}/{name}" for name in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        raise InputError(
            f"{path}: is a zip of {len(names)} documents"
            + (f" ({listed}{more}); name one of them, or give the folder that holds the zip"
               if names else "; put the plan documents (.docx, .pdf, ...) in it")
        )  # fmt: skip
    member = path / names[0]
    inner = member_bytes(path, data, names[0], MAX_BYTES)
    kind = sniff(inner)
    if kind is None:
        from plancheck.ingest import read_document

        return read_document(member, encoding=encoding, converter=converter)
    return read_format(kind, member, inner, encoding=encoding, converter=converter)


def _legacy(path: Path, data: bytes, target: str, converter) -> Document:
    """A legacy file converted by LibreOffice, then read by the .docx/.xlsx reader (the
    converted package is checked against the archive limits like any other)."""
    from plancheck.ingest.formats.office import OfficeConverter

    if converter is None:
        with OfficeConverter() as own:
            converted = own.convert(data, target, name=str(path))
    else:
        converted = converter.convert(data, target, name=str(path))
    doc = read_format(target, path, converted)
    return replace(doc, shape=f"legacy:{doc.shape}")
